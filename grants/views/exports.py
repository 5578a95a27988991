"""The call's exports, for its managers and the chair; each download audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from audit.models import AuditEntry
from audit.services import audit_record

from .. import exports
from .base import call_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(request, call, content, extension, content_type):
    audit_record(action=AuditEntry.Action.EXPORT, request=request, obj=call, detail=extension)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(call, extension)}"'
    return response


@login_required
def call_xlsx(request, pk):
    call = call_for(request.user, pk, role="results")
    return _download(request, call, exports.call_xlsx(call), "xlsx", XLSX)


@login_required
def call_pdf(request, pk):
    # A call's document is a few pages (0.03 s a page, bench/grants.py): rendered in the
    # request, as an offer's PDF is; a much bigger one would go to the worker.
    call = call_for(request.user, pk, role="results")
    return _download(request, call, exports.call_pdf(call), "pdf", "application/pdf")
