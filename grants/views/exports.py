"""The call's exports, for its managers and the chair; each download audited. The XLSX is
made in the request (0.1 s for the biggest regional call), the PDF by the worker."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEntry
from audit.services import audit_record

from .. import documents, exports
from ..models import CallExport
from .base import call_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content, name, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def call_xlsx(request, pk):
    call = call_for(request.user, pk, role="results")
    audit_record(action=AuditEntry.Action.EXPORT, request=request, obj=call, detail="xlsx")
    return _download(exports.call_xlsx(call), exports.filename(call, "xlsx"), XLSX)


@login_required
@require_POST
def call_pdf(request, pk):
    """Ask the worker for the call's PDF; the call's page shows when it is ready."""
    call = call_for(request.user, pk, role="results")
    documents.call_pdf_request(call=call, user=request.user, language=get_language())
    audit_record(action=AuditEntry.Action.EXPORT, request=request, obj=call, detail="pdf asked")
    messages.success(request, _("The PDF is being prepared — it appears below in a minute."))
    return redirect("grants:call_detail", pk=call.pk)


@login_required
def call_pdf_download(request, pk, export_id):
    """A PDF the worker made, for the user who asked for it only (through the same scope)."""
    call = call_for(request.user, pk, role="results")
    export = (
        CallExport.objects.current()
        .filter(pk=export_id, call=call, requested_by=request.user, status="ready")
        .first()
    )
    if export is None:
        raise Http404
    content = documents.call_pdf_download(export=export, request=request)
    return _download(content, documents.call_pdf_filename(export), "application/pdf")
