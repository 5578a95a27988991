"""The national inbox (mail that named no case: assign it or dismiss it), a case's received
mail with its files, and the download of a file. Reads are on the audit trail."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView, TemplateView

from audit.models import AuditEntry
from audit.services import audit_case_viewed, audit_list_viewed, audit_record
from common.errors import DomainError
from common.filetypes import download_name
from coordinators.views import CaseScopedMixin, CaseWorkerRequiredMixin

from .forms import AssignForm
from .selectors import attachment_for_user, case_messages, inbox_list
from .services import inbound_message_assign, inbound_message_dismiss


class NationalAdminRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """The inbox is national: mail of no case may be anybody's, so only national
    administrators read it (403 for everybody else)."""

    def test_func(self):
        return self.request.user.is_national_admin


class InboxView(NationalAdminRequiredMixin, ListView):
    """The national inbox, searchable by sender and subject, newest or oldest first."""

    template_name = "inbound/inbox.html"
    context_object_name = "inbox"
    paginate_by = 25
    errors: dict[int, AssignForm] | None = None

    def get_queryset(self):
        search = self.request.GET.get("q", "").strip()
        return inbox_list(user=self.request.user, search=search, sort=self.sort())

    def sort(self):
        return "oldest" if self.request.GET.get("sort") == "oldest" else "newest"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(q=self.request.GET.get("q", ""), sort=self.sort())
        context["rows"] = [
            (
                item,
                (self.errors or {}).get(item.pk)
                or AssignForm(user=self.request.user, prefix=item.pk),
            )
            for item in context["inbox"]
        ]
        filters = [name for name in ("q",) if self.request.GET.get(name)]
        audit_list_viewed(request=self.request, what="inbox", rows=context["paginator"].count,
                          filters=filters)  # fmt: skip
        return context


class InboxAssignView(InboxView):
    """Put one message of the inbox on a case; a wrong reference is shown at the message,
    with what was typed."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        message = get_object_or_404(inbox_list(user=request.user), pk=kwargs["pk"])
        form = AssignForm(request.POST, user=request.user, prefix=message.pk)
        if not form.is_valid():
            self.errors = {message.pk: form}
            messages.error(request, form.errors["reference"][0])
            return self.get(request, *args, **kwargs)
        assert form.case is not None  # noqa: S101 - set by a valid form
        try:
            done = inbound_message_assign(message=message, case=form.case, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("inbound:inbox")
        messages.success(request, done)
        return redirect("inbound:inbox")


class InboxDismissView(NationalAdminRequiredMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        message = get_object_or_404(inbox_list(user=request.user), pk=kwargs["pk"])
        try:
            messages.success(request, inbound_message_dismiss(message=message, actor=request.user))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("inbound:inbox")


class CaseMailView(CaseScopedMixin, TemplateView):
    """The e-mails the person sent about this case, with their files."""

    template_name = "inbound/case_mail.html"

    def get_context_data(self, **kwargs):
        case = self.get_object()
        audit_case_viewed(request=self.request, case=case)
        return super().get_context_data(case=case, inbound=case_messages(case=case), **kwargs)


class AttachmentDownloadView(CaseWorkerRequiredMixin, TemplateView):
    """One file, for whoever may see its message; always as a download, never shown inline."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        attachment = attachment_for_user(user=request.user, attachment_id=kwargs["pk"])
        if attachment is None:
            raise Http404
        case = attachment.message.case
        audit_record(action=AuditEntry.Action.DOWNLOAD, request=request, obj=attachment,
                     reference=case.reference if case else "")  # fmt: skip
        with attachment.file.open("rb") as file:
            response = HttpResponse(file.read(), content_type=attachment.content_type)
        name = download_name(name=attachment.filename, content_type=attachment.content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response
