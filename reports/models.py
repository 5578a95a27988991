"""A report's PDF, asked for on the report page and made by the worker.

The PDF of a long period takes seconds (3.5–4 s since 2018), so no request makes it: the page
stores the report's query string (the filters, with the preset turned into dates) and the
language; the worker renders it (`reports.tasks`) and the requester downloads it for 24 hours.
"""

from __future__ import annotations

from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from common.prepared_files import PreparedFile, PreparedFileQuerySet


class ReportExportQuerySet(PreparedFileQuerySet["ReportExport"]):
    """The shared expiry, pending and pruning rules (common.prepared_files)."""


class ReportExport(PreparedFile):
    """One requested PDF of a report, for the user who asked for it only."""

    # The report page's query string, dates resolved: figures, never anybody's name.
    query = models.CharField(_("report filters"), max_length=500)
    language = models.CharField(_("language"), max_length=10)
    filename = models.CharField(_("file name"), max_length=100, blank=True)

    objects = ReportExportQuerySet.as_manager()

    class Meta(PreparedFile.Meta):
        verbose_name = _("report PDF")
        verbose_name_plural = _("report PDFs")
        indexes = [models.Index(fields=["requested_by", "created_at"])]

    def __str__(self):
        return f"{self.requested_by_id} {self.created_at:%d.%m.%Y %H:%M}"

    @property
    def period(self) -> str:
        """The report's period as the page shows it: dd.mm.yyyy – dd.mm.yyyy."""
        query = QueryDict(self.query)
        return f"{query.get('date_from', '')} – {query.get('date_to', '')}"
