"""Writes of the reports app: the report PDF asked for on the page and made by the worker,
and the closing (and reopening) of a reporting period.

`report_export_request` (in the request) stores what to make and enqueues the task;
`report_export_build` (in the worker) renders the PDF with the requester's scope and the
page's language; `report_export_download` hands it to its requester, in the audit trail.
Closing is the same: `closed_period_create` (in the request) stores the period pending and
enqueues the task; `closed_period_close` (in the worker) stores its figures.
"""

from __future__ import annotations

import datetime
import logging
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import audit_record
from common.tasks import task_enqueue_on_commit
from coordinators.models import User
from municipalities.models import PlanningRegion

from .exports import filename, report_pdf
from .figures.filters import PROGRAMME_START, ReportFilters
from .figures.report import report_build
from .figures.stored import NATIONAL, report_data
from .forms import report_filters_from_query
from .models import ClosedPeriod, ReportExport
from .selectors import report_for

logger = logging.getLogger(__name__)

REPORT_EXPORT_LIFETIME = timedelta(hours=24)
# A PDF still pending after this long lost its task (a worker that died): ask anew.
REPORT_EXPORT_STALE = timedelta(minutes=10)


class FiltersNoLongerValid(ValueError):
    """The stored filters are refused now (the user's region changed since they asked)."""


def report_export_request(*, user: User, query: str, language: str) -> ReportExport:
    """Ask the worker for the PDF of the report with this (validated, resolved) query
    string. The same PDF still being prepared for the same user is not asked for twice."""
    now = timezone.now()
    pending = ReportExport.objects.filter(
        requested_by=user,
        query=query,
        language=language,
        status=ReportExport.Status.PENDING,
        created_at__gt=now - REPORT_EXPORT_STALE,
    ).first()
    if pending is not None:
        return pending
    export = ReportExport.objects.create(
        requested_by=user,
        query=query,
        language=language,
        created_at=now,
        expires_at=now + REPORT_EXPORT_LIFETIME,
    )
    task_enqueue_on_commit("reports.tasks.report_export_build_task", export_id=str(export.pk))
    return export


def report_export_build(*, export_id: str) -> bool:
    """In the worker: render a pending PDF with the requester's scope, in the language of the
    page it was asked for on, and store it. False when there is nothing (left) to make. A
    failure marks the export failed and is raised again, so the task is recorded failed."""
    export = (
        ReportExport.objects.current().pending(export_id).select_related("requested_by").first()
    )
    if export is None:
        return False
    pending = ReportExport.objects.pending(export.pk)
    try:
        with translation.override(export.language):
            filters = report_filters_from_query(QueryDict(export.query), user=export.requested_by)
            if filters is None:
                raise FiltersNoLongerValid(export.query)
            report = report_for(filters)
            content = report_pdf(report)
    except Exception:
        pending.update(status=ReportExport.Status.FAILED, finished_at=timezone.now())
        raise
    stored = pending.update(
        status=ReportExport.Status.READY,
        content=content,
        filename=filename(report, "pdf"),
        finished_at=timezone.now(),
    )
    return bool(stored)


def report_export_download(*, export: ReportExport, request: HttpRequest) -> bytes:
    """The PDF for its requester, written to the audit trail as a download."""
    audit_record(
        action=AuditEntry.Action.DOWNLOAD,
        request=request,
        detail=f"reports: PDF {export.period.replace(' – ', '-')}",
    )
    return bytes(export.content)


def report_exports_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete PDFs past their 24 hours (daily job)."""
    return ReportExport.objects.prune(now)


# --- closing a reporting period -------------------------------------------------------------

ONLY_NATIONAL_ADMINS_CLOSE = _("Only a national administrator may close or reopen a period.")
PERIOD_NOT_ENDED = _("A period can be closed only after it has ended (its last day is past).")
PERIOD_BEFORE_PROGRAMME = _("The programme started on 01.03.2018: the period cannot start before.")
PERIOD_ALREADY_CLOSED = _("This period is already closed.")
PERIOD_BEING_CLOSED = _(
    "This period is already being closed: its figures are being stored. Wait until it is done."
)
PERIOD_OVERLAPS_CLOSING = _(
    "The period %(period)s, which overlaps this one, is being closed: wait until it is done, "
    "then close this one."
)
PERIOD_STILL_BEING_CLOSED = _(
    "This period is still being closed: it can be reopened once its figures are stored."
)
PERIOD_NOT_CLOSED = _("This period is not closed (it was reopened).")
REASON_NEEDED = _("Say why the period is reopened.")


def closed_period_figures(*, date_from: datetime.date, date_to: datetime.date) -> dict[str, Any]:
    """Every figure of the period for the whole country and for each planning region, as
    data (reports.figures.stored.report_data), keyed "national" and by region code."""
    regions = tuple(PlanningRegion.objects.order_by("code"))
    scopes = {
        NATIONAL: ReportFilters(date_from, date_to, regions=regions, include_national_queue=True)
    }
    scopes.update(
        {region.code: ReportFilters(date_from, date_to, regions=(region,)) for region in regions}
    )
    return {key: report_data(report_build(filters)) for key, filters in scopes.items()}


def _period_text(period: ClosedPeriod) -> str:
    """The period as the audit details name it: dd.mm.yyyy-dd.mm.yyyy."""
    return f"{period.date_from:%d.%m.%Y}-{period.date_to:%d.%m.%Y}"


def _closings_abandon_stale(*, now: datetime.datetime) -> None:
    """Mark failed the closings whose worker was lost (pending past CLOSING_STALE), so they
    hold no period any longer; each in the audit trail. A worker still at one finds it
    failed when it comes to store the figures, and stores nothing."""
    stale = ClosedPeriod.objects.lost(now)
    for period in stale.select_related("closed_by").defer("figures"):
        if (
            ClosedPeriod.objects.pending()
            .filter(pk=period.pk)
            .update(state=ClosedPeriod.State.FAILED)
        ):
            audit_record(
                action=AuditEntry.Action.PERIOD_CLOSE_FAILED,
                actor=period.closed_by,
                obj=period,
                detail=f"reports: period {_period_text(period)} not closed: no worker finished it",
            )


@transaction.atomic
def closed_period_create(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    actor: User,
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> ClosedPeriod:
    """Ask for a reporting period to be closed: store it pending, in the audit trail, and
    let the worker store its figures (`closed_period_close`, enqueued on commit). Only
    national administrators; only a period that has ended, not closed or being closed, and
    overlapping no period being closed."""
    if not actor.is_national_admin:
        raise PermissionDenied(ONLY_NATIONAL_ADMINS_CLOSE)
    today = today or timezone.localdate()
    if date_to >= today:
        raise ValidationError({"date_to": PERIOD_NOT_ENDED})
    if date_from < PROGRAMME_START:
        raise ValidationError({"date_from": PERIOD_BEFORE_PROGRAMME})
    _closings_serialize()
    now = timezone.now()
    _closings_abandon_stale(now=now)
    if ClosedPeriod.objects.in_force().filter(date_from=date_from, date_to=date_to).exists():
        raise ValidationError(PERIOD_ALREADY_CLOSED)
    _refuse_while_being_closed(date_from=date_from, date_to=date_to)
    period = ClosedPeriod(
        date_from=date_from,
        date_to=date_to,
        state=ClosedPeriod.State.PENDING,
        requested_at=now,
        closed_by=actor,
    )
    period.full_clean()
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError as error:  # asked for at the same moment by somebody else
        raise ValidationError(PERIOD_BEING_CLOSED) from error
    audit_record(
        action=AuditEntry.Action.PERIOD_CLOSING,
        request=request,
        actor=actor,
        obj=period,
        detail=f"reports: period {_period_text(period)} closing asked for",
    )
    # The task's row in the same transaction as the period: a pending period always has
    # its task (an enqueue after the commit that failed would leave it waiting for nothing).
    import_string("reports.tasks.closed_period_close_task").enqueue(period_id=period.pk)
    return period


# Any fixed number: the lock that makes two closings asked for at once wait for each other.
CLOSINGS_LOCK = 4_151_801


def _closings_serialize() -> None:
    """Two administrators closing overlapping periods at the same moment would both pass
    the overlap check (the unique constraint only knows identical dates): on PostgreSQL
    the closings take a transaction-wide advisory lock in turn. SQLite's transactions
    already take the write lock when they begin (transaction_mode IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLOSINGS_LOCK])


def _refuse_while_being_closed(*, date_from: datetime.date, date_to: datetime.date) -> None:
    """A period being closed, or overlapping one being closed, waits for that closing."""
    busy = (
        ClosedPeriod.objects.pending()
        .overlapping(date_from, date_to)
        .order_by("date_from", "date_to")
        .defer("figures")
    )
    for period in busy:
        if (period.date_from, period.date_to) == (date_from, date_to):
            raise ValidationError(PERIOD_BEING_CLOSED)
    if busy:
        raise ValidationError(PERIOD_OVERLAPS_CLOSING, params={"period": busy[0].period})


def closed_period_close(*, period_id: int) -> bool:
    """In the worker: store the figures of a pending closing and mark it closed, in the
    audit trail. The row is claimed first with a conditional UPDATE, so a second worker
    (or the task run twice) does nothing. False when there is nothing (left) to do. A
    failure marks it failed (the error's class in the audit trail and the log, never its
    text) and is raised again, so the task is recorded failed."""
    claimed = (
        ClosedPeriod.objects.pending()
        .filter(pk=period_id, started_at__isnull=True)
        .update(started_at=timezone.now())
    )
    if not claimed:
        return False
    period = ClosedPeriod.objects.select_related("closed_by").defer("figures").get(pk=period_id)
    # Still pending: a closing abandoned as stale meanwhile is not stored after all.
    pending = ClosedPeriod.objects.pending().filter(pk=period_id)
    try:
        figures = closed_period_figures(date_from=period.date_from, date_to=period.date_to)
    except Exception as error:
        with transaction.atomic():
            if pending.update(state=ClosedPeriod.State.FAILED):
                audit_record(
                    action=AuditEntry.Action.PERIOD_CLOSE_FAILED,
                    actor=period.closed_by,
                    obj=period,
                    detail=f"reports: period {_period_text(period)} not closed: "
                    f"{type(error).__name__}",
                )
        logger.error("Closing period %s failed: %s", period.pk, type(error).__name__)
        # Raised without the error's text and traceback, which the task's result and its
        # log would keep (a database error's detail may quote values).
        raise ClosingFailed(type(error).__name__) from None
    with transaction.atomic():
        stored = pending.update(
            state=ClosedPeriod.State.CLOSED, figures=figures, closed_at=timezone.now()
        )
        if stored:
            audit_record(
                action=AuditEntry.Action.PERIOD_CLOSED,
                actor=period.closed_by,
                obj=period,
                detail=f"reports: period {_period_text(period)} closed",
            )
        else:
            logger.warning(
                "Closing period %s: its figures were not stored, it was marked lost meanwhile",
                period.pk,
            )
    return bool(stored)


class ClosingFailed(Exception):
    """Storing a period's figures failed: the class of the error it met, nothing more."""


@transaction.atomic
def closed_period_reopen(
    *, period: ClosedPeriod, actor: User, reason: str, request: HttpRequest | None = None
) -> ClosedPeriod:
    """Reopen a closed period with a reason (national administrators only, audited): its
    report shows live figures again; the stored ones stay on record with the reason."""
    if not actor.is_national_admin:
        raise PermissionDenied(ONLY_NATIONAL_ADMINS_CLOSE)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_NEEDED})
    locked = ClosedPeriod.objects.select_for_update().get(pk=period.pk)
    if locked.state == ClosedPeriod.State.PENDING:
        raise ValidationError(PERIOD_STILL_BEING_CLOSED)
    if locked.reopened_at is not None or locked.state != ClosedPeriod.State.CLOSED:
        raise ValidationError(PERIOD_NOT_CLOSED)
    locked.reopened_at, locked.reopened_by, locked.reopen_reason = timezone.now(), actor, reason
    locked.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    # The reason may name a case or a person: it stays on the row, not in the audit detail.
    audit_record(
        action=AuditEntry.Action.PERIOD_REOPENED,
        request=request,
        actor=actor,
        obj=locked,
        detail=f"reports: period {_period_text(locked)} reopened",
    )
    return locked
