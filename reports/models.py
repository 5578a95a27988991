"""A report's PDF, asked for on the report page and made by the worker.

The PDF of a long period takes seconds (3.5–4 s since 2018), so no request makes it: the page
stores the report's query string (the filters, with the preset turned into dates) and the
language; the worker renders it (`reports.tasks`) and the requester downloads it for 24 hours.
"""

from __future__ import annotations

from django.conf import settings
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


class ClosedPeriodQuerySet(models.QuerySet["ClosedPeriod"]):
    """Closed periods: the ones still closed (not reopened)."""

    def in_force(self) -> ClosedPeriodQuerySet:
        return self.filter(reopened_at__isnull=True)


class ClosedPeriod(models.Model):
    """A reporting period a national administrator closed: its figures as submitted.

    `figures` holds, for the whole country ("national") and for each planning region (by
    code), every figure of the report (`reports.figures.stored.report_data`). A report of the
    period shows these, with live − stored as "corrections since closing". Reopening keeps
    the row (with who, when and why), so the record of what was submitted stays.
    """

    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    figures = models.JSONField(_("figures as submitted"))
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    objects = ClosedPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-date_to", "-date_from", "-closed_at"]
        verbose_name = _("closed reporting period")
        verbose_name_plural = _("closed reporting periods")
        constraints = [
            # One set of submitted figures per period at a time; reopened ones stay as record.
            models.UniqueConstraint(
                fields=["date_from", "date_to"],
                condition=models.Q(reopened_at__isnull=True),
                name="closed_period_once_in_force",
            ),
            models.CheckConstraint(
                condition=models.Q(date_to__gte=models.F("date_from")),
                name="closed_period_not_inverted",
            ),
        ]

    def __str__(self):
        return self.period

    @property
    def period(self) -> str:
        """dd.mm.yyyy – dd.mm.yyyy"""
        return f"{self.date_from:%d.%m.%Y} – {self.date_to:%d.%m.%Y}"
