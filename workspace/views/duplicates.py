"""Probable duplicates: the list, the page that compares two people (the confirm step of a
merge, without JavaScript), merge and "not the same person"."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import ListView, View

from audit.services import audit_case_viewed, audit_list_viewed
from common.errors import DomainError
from coordinators.models import Returnee
from coordinators.views import CaseWorkerRequiredMixin
from duplicates.models import DuplicateCandidate
from duplicates.selectors import duplicate_detail_queryset, duplicate_list
from duplicates.services import (
    ALREADY_DECIDED,
    candidate_version,
    duplicate_dismiss,
    returnee_merge,
)

from ..duplicate_forms import DismissForm, MergeForm


class DuplicateListView(CaseWorkerRequiredMixin, ListView):
    """The open pairs in the user's scope, 50 a page."""

    template_name = "workspace/duplicate_list.html"
    context_object_name = "candidates"
    paginate_by = 50

    def get_queryset(self):
        return duplicate_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audit_list_viewed(
            request=self.request, what="duplicate list", rows=context["paginator"].count
        )
        return context


class DuplicateMixin(CaseWorkerRequiredMixin):
    """One pair, in scope: both of its cases visible to the user, else 404."""

    template_name = "workspace/duplicate_detail.html"

    def get_object(self):
        queryset = duplicate_detail_queryset(user=self.request.user)
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def render_page(self, candidate, merge_form=None):
        version = candidate_version(candidate)
        context = {
            "candidate": candidate,
            "cases": [candidate.case_a, candidate.case_b],
            "merge_form": merge_form
            or MergeForm(candidate=candidate, initial={"version": version}),
            "dismiss_form": DismissForm(initial={"version": version}),
        }
        for case in context["cases"]:
            audit_case_viewed(request=self.request, case=case)
        return TemplateResponse(self.request, self.template_name, context)


class DuplicateDetailView(DuplicateMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        return self.render_page(self.get_object())


class DuplicateMergeView(DuplicateMixin, View):
    """Merge the two people into the one chosen; refused (with the reason) when the pair
    was decided meanwhile or a case is outside the user's scope."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        candidate = self.get_object()
        if candidate.status != DuplicateCandidate.Status.OPEN:  # merged meanwhile: say so
            messages.error(request, ALREADY_DECIDED)
            return redirect("workspace:duplicate_detail", pk=candidate.pk)
        form = MergeForm(request.POST, candidate=candidate)
        if not form.is_valid():
            messages.error(request, _("Please correct the errors below."))
            return self.render_page(candidate, merge_form=form)
        survivor = Returnee(pk=form.cleaned_data["survivor"])
        try:
            returnee_merge(candidate=candidate, survivor=survivor, actor=request.user,
                           version=form.cleaned_data["version"], request=request)  # fmt: skip
        except DomainError as error:  # a StaleEdit too: the page shows the pair as it is now
            messages.error(request, error.message)
            return redirect("workspace:duplicate_detail", pk=candidate.pk)
        kept = next(case for case in (candidate.case_a, candidate.case_b)
                    if case.returnee_id == survivor.pk)  # fmt: skip
        messages.success(request, _("The two records are merged into one person."))
        return redirect("workspace:case_detail", reference=kept.reference)


class DuplicateDismissView(DuplicateMixin, View):
    """Not the same person: remembered, the pair is not flagged again."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        candidate = self.get_object()
        form = DismissForm(request.POST)
        form.is_valid()
        try:
            duplicate_dismiss(
                candidate=candidate, actor=request.user, version=form.cleaned_data.get("version")
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("workspace:duplicate_detail", pk=candidate.pk)
        messages.success(
            request, _("Marked as two different people; they will not be flagged again.")
        )
        return redirect(reverse("workspace:duplicate_list"))
