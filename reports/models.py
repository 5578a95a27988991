"""A report's PDF, asked for on the report page and made by the worker.

The PDF of a long period takes seconds (3.5–4 s since 2018), so no request makes it: the page
stores the report's query string (the filters, with the preset turned into dates) and the
language; the worker renders it (`reports.tasks`) and the requester downloads it for 24 hours.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Self

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportExportQuerySet(models.QuerySet["ReportExport"]):
    def current(self, now: datetime.datetime | None = None) -> Self:
        """Not yet expired: an expired PDF is gone, pruned or not."""
        return self.filter(expires_at__gt=now or timezone.now())


class ReportExport(models.Model):
    """One requested PDF of a report, for the user who asked for it only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("could not be prepared")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The report page's query string, dates resolved: figures, never anybody's name.
    query = models.CharField(_("report filters"), max_length=500)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"))
    filename = models.CharField(_("file name"), max_length=100, blank=True)
    content = models.BinaryField(_("content"), blank=True, default=b"")

    objects = ReportExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
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
