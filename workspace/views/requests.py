"""The municipal specialist's view: questions to their municipality, and the answer form."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from audit.services import audit_case_viewed
from common.errors import DomainError
from coordinators.models import MunicipalityRequest
from coordinators.selectors.requests import municipality_requests_for_specialist
from coordinators.services.requests import municipality_request_answer
from coordinators.views import RequestAnswererRequiredMixin

from ..forms import AnswerForm


class RequestListView(RequestAnswererRequiredMixin, ListView):
    template_name = "workspace/request_list.html"
    context_object_name = "requests"
    paginate_by = 50

    def get_queryset(self):
        self.status = self.request.GET.get("status", MunicipalityRequest.Status.OPEN)
        if self.status not in MunicipalityRequest.Status.values + ["all"]:
            self.status = MunicipalityRequest.Status.OPEN
        return municipality_requests_for_specialist(
            user=self.request.user, status=None if self.status == "all" else self.status
        )

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status"] = self.status
        context["status_choices"] = MunicipalityRequest.Status.choices + [("all", _("all"))]
        return context


class RequestDetailView(RequestAnswererRequiredMixin, DetailView):
    """Only what the municipality needs to answer; names and contacts only when shared."""

    template_name = "workspace/request_detail.html"
    context_object_name = "municipality_request"

    def get_object(self, queryset=None):
        return get_object_or_404(
            municipality_requests_for_specialist(user=self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("answer_form", AnswerForm())
        context = super().get_context_data(**kwargs)
        if self.object.share_contact_details:
            # The specialist sees the person's name and contacts (after a GET or an invalid
            # answer): logged like a case view.
            audit_case_viewed(request=self.request, case=self.object.case)
        context["household"] = list(self.object.case.returnee.household.all())
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(answer_form=form))
        try:
            municipality_request_answer(
                request=self.object, answer=form.cleaned_data["answer"], actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("workspace:request_detail", pk=self.object.pk)
        messages.success(request, _("Thank you. The answer is sent to the coordinator."))
        return redirect("workspace:request_list")
