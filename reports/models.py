"""A report's PDF, asked for on the report page and made by the worker; a closed period.

The PDF of a long period takes seconds (3.5–4 s since 2018), so no request makes it: the page
stores the report's query string (the filters, with the preset turned into dates) and the
language; the worker renders it (`reports.tasks`) and the requester downloads it for 24 hours.
Closing a period builds the report six times (tens of seconds at 100,000 cases), so it too is
stored pending by the request and done by the worker.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


# A closing a worker took this long ago and did not finish lost its worker (one that died
# while storing the figures): it no longer holds the period, and closing it again is allowed.
CLOSING_STALE = timedelta(minutes=30)
# A closing no worker took this long after it was asked for (its task row is written with
# it, so only a queue that stopped leaves it waiting): the same.
CLOSING_UNCLAIMED_STALE = timedelta(hours=24)


def closing_stale_q(now: datetime.datetime) -> Q:
    """THE rule of a lost closing (for pending rows): taken by a worker longer than
    CLOSING_STALE ago, or never taken within CLOSING_UNCLAIMED_STALE. A closing waiting
    behind other tasks in the queue is not lost."""
    return Q(started_at__lt=now - CLOSING_STALE) | Q(
        started_at__isnull=True, requested_at__lt=now - CLOSING_UNCLAIMED_STALE
    )


class ClosedPeriodQuerySet(models.QuerySet["ClosedPeriod"]):
    """Closed periods: the ones still closed (not reopened), the ones being closed."""

    def in_force(self) -> ClosedPeriodQuerySet:
        """Closed, with their figures stored, and not reopened."""
        return self.filter(state=ClosedPeriod.State.CLOSED, reopened_at__isnull=True)

    def pending(self) -> ClosedPeriodQuerySet:
        """Asked to be closed, their figures not stored yet."""
        return self.filter(state=ClosedPeriod.State.PENDING)

    def working(self, now: datetime.datetime | None = None) -> ClosedPeriodQuerySet:
        """Pending and not stale: a worker stores (or will store) their figures."""
        return self.pending().exclude(closing_stale_q(now or timezone.now()))

    def lost(self, now: datetime.datetime | None = None) -> ClosedPeriodQuerySet:
        """Pending and stale: their worker was lost (see `closing_stale_q`)."""
        return self.pending().filter(closing_stale_q(now or timezone.now()))

    def with_is_stale(self, now: datetime.datetime | None = None) -> ClosedPeriodQuerySet:
        """Each with `is_stale`: pending and its worker lost, by the same rule, for a list
        that shows them as failed."""
        stale = Q(state=ClosedPeriod.State.PENDING) & closing_stale_q(now or timezone.now())
        return self.annotate(is_stale=ExpressionWrapper(stale, output_field=BooleanField()))

    def overlapping(self, date_from: datetime.date, date_to: datetime.date) -> ClosedPeriodQuerySet:
        """Periods sharing at least one day with date_from – date_to."""
        return self.filter(date_from__lte=date_to, date_to__gte=date_from)


class ClosedPeriod(models.Model):
    """A reporting period a national administrator closed: its figures as submitted.

    Closing is asked for in a request (the row is stored `pending`, figures empty) and done
    by the worker (`reports.services.closed_period_close`), which stores the figures and
    marks it `closed`, or `failed` (the period may then be closed again).
    `figures` holds, for the whole country ("national") and for each planning region (by
    code), every figure of the report (`reports.figures.stored.report_data`). A report of the
    period shows these, with live − stored as "corrections since closing". Reopening keeps
    the row (with who, when and why), so the record of what was submitted stays.
    """

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("state of a reporting period", "being closed")
        CLOSED = "closed", pgettext_lazy("state of a reporting period", "closed")
        FAILED = "failed", pgettext_lazy("state of a reporting period", "closing failed")

    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    # A row written without a state is a closed one (the rows from before the worker did it).
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.CLOSED)
    figures = models.JSONField(_("figures as submitted"), default=dict, blank=True)
    requested_at = models.DateTimeField(_("closing asked for at"), default=timezone.now)
    # Set by the worker that claims the closing (a conditional UPDATE), so no other runs it.
    started_at = models.DateTimeField(_("figures started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
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
        ordering = ["-date_to", "-date_from", "-requested_at"]
        verbose_name = _("closed reporting period")
        verbose_name_plural = _("closed reporting periods")
        constraints = [
            # One set of submitted figures (or one closing under way) per period at a time;
            # reopened and failed ones stay as record.
            models.UniqueConstraint(
                fields=["date_from", "date_to"],
                condition=models.Q(reopened_at__isnull=True) & ~models.Q(state="failed"),
                name="closed_period_once_in_force",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="closed") | models.Q(closed_at__isnull=False),
                name="closed_period_closed_has_closed_at",
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
