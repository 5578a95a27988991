"""A call's PDF is made by the worker, never in the request (0.3 s a page on this machine,
about 0.9 s for the biggest regional call: bench/grants.py): the request stores a
`CallExport` and enqueues the task on commit; the task renders and stores it with a
conditional UPDATE; the requester downloads it for 24 hours; a daily job prunes it."""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from audit.models import AuditEntry
from audit.services import audit_record
from coordinators.models import User

from .exports import call_pdf, filename
from .models import Call, CallExport

LIFETIME = datetime.timedelta(hours=24)
STALE = datetime.timedelta(minutes=10)  # a pending PDF older than this is asked for again


def call_pdf_request(*, call: Call, user: User, language: str) -> CallExport:
    """Ask the worker for the call's PDF; one still being made for the user is reused."""
    now = timezone.now()
    pending = CallExport.objects.filter(
        call=call, requested_by=user, language=language, status=CallExport.Status.PENDING,
        created_at__gt=now - STALE,
    ).first()  # fmt: skip
    if pending is not None:
        return pending
    export = CallExport.objects.create(
        call=call, requested_by=user, language=language, created_at=now, expires_at=now + LIFETIME
    )
    transaction.on_commit(partial(_ask_builder, export.pk), robust=True)
    return export


def _ask_builder(export_id: object) -> None:
    from .tasks import call_pdf_build_task

    call_pdf_build_task.enqueue(export_id=str(export_id))


def call_pdf_build(*, export_id: str) -> bool:
    """In the worker: render a pending PDF in the language it was asked in and store it.
    False when there is nothing (left) to make; a failure marks it failed and re-raises."""
    export = CallExport.objects.current().pending(export_id).select_related("call").first()
    if export is None:
        return False
    pending = CallExport.objects.pending(export.pk)
    try:
        with translation.override(export.language):
            content = call_pdf(export.call)
    except Exception:
        pending.update(status=CallExport.Status.FAILED, finished_at=timezone.now())
        raise
    stored = pending.update(
        status=CallExport.Status.READY, content=content, finished_at=timezone.now()
    )
    return stored == 1


def call_pdf_download(*, export: CallExport, request: HttpRequest) -> bytes:
    """The PDF for its requester, written to the audit trail."""
    audit_record(action=AuditEntry.Action.DOWNLOAD, request=request, obj=export.call, detail="pdf")
    return bytes(export.content)


def call_exports_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the call PDFs past their 24 hours (daily job)."""
    return CallExport.objects.prune(now)


def call_pdf_filename(export: CallExport) -> str:
    return filename(export.call, "pdf")
