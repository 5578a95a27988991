"""Contacts to check: contact forms whose e-mail address is already registered. The
coordinator reads what was typed, then links it to the known person or dismisses it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView, View

from common.errors import DomainError
from coordinators.models import ContactSubmission
from coordinators.services.contacts import (
    contact_data_load,
    contact_submission_dismiss,
    contact_submission_link,
)
from coordinators.views import CaseWorkerRequiredMixin


class ContactListView(CaseWorkerRequiredMixin, ListView):
    """The contacts to check in the user's scope (the region's and the national queue)."""

    template_name = "workspace/contact_list.html"
    context_object_name = "contacts"
    paginate_by = 50

    def get_queryset(self):
        return (
            ContactSubmission.objects.visible_to(self.request.user)
            .to_check()
            .select_related("planning_region")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [(item, contact_data_load(item.data)) for item in context["contacts"]]
        return context


class ContactActionView(CaseWorkerRequiredMixin, View):
    """Link or dismiss one contact in scope (404 outside it); back to the list."""

    http_method_names = ["post"]
    action = staticmethod(contact_submission_link)

    def post(self, request, *args, **kwargs):
        submission = get_object_or_404(
            ContactSubmission.objects.visible_to(request.user), pk=kwargs["pk"]
        )
        try:
            messages.success(request, self.action(submission=submission, actor=request.user))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("workspace:contact_list")


class ContactDismissView(ContactActionView):
    action = staticmethod(contact_submission_dismiss)
