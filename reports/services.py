"""Writes of the reports app: the report PDF asked for on the page and made by the worker.

`report_export_request` (in the request) stores what to make and enqueues the task;
`report_export_build` (in the worker) renders the PDF with the requester's scope and the
page's language; `report_export_download` hands it to its requester, in the audit trail.
"""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation

from audit.models import AuditEntry
from audit.services import audit_record
from common.tasks import task_enqueue_on_commit
from coordinators.models import User

from .exports import filename, report_pdf
from .figures.report import report_build
from .forms import report_filters_from_query
from .models import ReportExport

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
            report = report_build(filters)
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
