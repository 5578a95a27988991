"""Writes of the reports app: the report PDF asked for on the page and made by the worker,
and the closing (and reopening) of a reporting period.

`report_export_request` (in the request) stores what to make and enqueues the task;
`report_export_build` (in the worker) renders the PDF with the requester's scope and the
page's language; `report_export_download` hands it to its requester, in the audit trail.
"""

from __future__ import annotations

import datetime
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation
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


@transaction.atomic
def closed_period_create(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    actor: User,
    request: HttpRequest | None = None,
    today: datetime.date | None = None,
) -> ClosedPeriod:
    """Close a reporting period: store its figures (national and per region) as submitted,
    in the audit trail. Only national administrators; only a period that has ended."""
    if not actor.is_national_admin:
        raise PermissionDenied(ONLY_NATIONAL_ADMINS_CLOSE)
    today = today or timezone.localdate()
    if date_to >= today:
        raise ValidationError({"date_to": PERIOD_NOT_ENDED})
    if date_from < PROGRAMME_START:
        raise ValidationError({"date_from": PERIOD_BEFORE_PROGRAMME})
    if ClosedPeriod.objects.in_force().filter(date_from=date_from, date_to=date_to).exists():
        raise ValidationError(PERIOD_ALREADY_CLOSED)
    period = ClosedPeriod(
        date_from=date_from,
        date_to=date_to,
        figures=closed_period_figures(date_from=date_from, date_to=date_to),
        closed_at=timezone.now(),
        closed_by=actor,
    )
    period.full_clean()
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError as error:  # closed at the same moment by somebody else
        raise ValidationError(PERIOD_ALREADY_CLOSED) from error
    audit_record(
        action=AuditEntry.Action.PERIOD_CLOSED,
        request=request,
        actor=actor,
        obj=period,
        detail=f"reports: period {period.date_from:%d.%m.%Y}-{period.date_to:%d.%m.%Y} closed",
    )
    return period


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
    if locked.reopened_at is not None:
        raise ValidationError(PERIOD_NOT_CLOSED)
    locked.reopened_at, locked.reopened_by, locked.reopen_reason = timezone.now(), actor, reason
    locked.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    # The reason may name a case or a person: it stays on the row, not in the audit detail.
    audit_record(
        action=AuditEntry.Action.PERIOD_REOPENED,
        request=request,
        actor=actor,
        obj=locked,
        detail=f"reports: period {locked.date_from:%d.%m.%Y}-{locked.date_to:%d.%m.%Y} reopened",
    )
    return locked
