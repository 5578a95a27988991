"""The coordinator's side of the person's page: the documents they uploaded (downloaded
through the case's scope, audited) and revoking their personal links."""

from __future__ import annotations

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import ngettext
from django.views import View

from audit.models import AuditEntry
from audit.services import audit_record
from common.filetypes import EXTENSIONS
from coordinators.services.links import personal_links_revoke
from coordinators.views import CaseActionView, CaseScopedMixin


class DocumentDownloadView(CaseScopedMixin, View):
    """A document of a case in the user's scope (another region's: 404), as an attachment
    named by the reference, never by what the person called it."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        case = self.get_object()
        document = get_object_or_404(case.documents, pk=kwargs["document_id"])
        audit_record(action=AuditEntry.Action.DOWNLOAD, request=request, obj=document,
                     reference=case.reference)  # fmt: skip
        filename = f"{case.reference}-{str(document.pk)[:8]}.{EXTENSIONS[document.content_type]}"
        response = FileResponse(
            document.file.open("rb"), as_attachment=True, filename=filename,
            content_type=document.content_type,
        )  # fmt: skip
        response["X-Content-Type-Options"] = "nosniff"
        return response


class PersonalLinksRevokeView(CaseActionView):
    """Every personal link of the case's person stops working (their open page too)."""

    def perform(self, form):
        count = personal_links_revoke(returnee=self.object.returnee)
        return ngettext(
            "%(count)d personal link is revoked.", "%(count)d personal links are revoked.", count
        ) % {"count": count}

    def get_success_url(self):
        return reverse("workspace:case_detail", args=[self.object.reference]) + "#documents"
