"""The calls: list, create, detail (with the results for the chair and the managers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from common.errors import DomainError

from .. import selectors, services
from ..forms import CallForm
from ..models import Application, Call
from .base import GrantsView, call_for


class CallListView(GrantsView, ListView):
    template_name = "grants/call_list.html"
    context_object_name = "calls"
    paginate_by = 25

    def get_queryset(self):
        self.search = self.request.GET.get("q", "").strip()[:100]
        calls = selectors.call_list(user=self.request.user, search=self.search)
        self.sort = "deadline" if self.request.GET.get("sort") == "deadline" else "-deadline"
        return calls.order_by(self.sort, "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(search=self.search, sort=self.sort)
        user = self.request.user
        context["may_create"] = user.is_national_admin or user.is_regional_coordinator
        return context


class CallCreateView(GrantsView, UserPassesTestMixin, FormView):
    """National administrators and regional coordinators (their own region) open a call."""

    template_name = "grants/call_form.html"
    form_class = CallForm

    def test_func(self):
        user = self.request.user
        return user.is_national_admin or user.is_regional_coordinator

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            call = services.call_create(
                actor=self.request.user, title=data["title"],
                planning_region=data["planning_region"], total_budget=data["total_budget"],
                maximum_per_municipality=data["maximum_per_municipality"],
                deadline=data["deadline"], activity_kinds=data["activity_kinds"],
                criteria=data["criteria"], members=data["members"], chair=data["chair"],
            )  # fmt: skip
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The call is open."))
        return redirect("grants:call_detail", pk=call.pk)


class CallDetailView(GrantsView, TemplateView):
    template_name = "grants/call_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        call = call_for(user, self.kwargs["pk"])
        committee = list(call.committee.select_related("user"))
        member = next((m for m in committee if m.user_id == user.pk), None)
        sees_results = (member is not None and member.is_chair) or (
            Call.objects.managed_by(user).filter(pk=call.pk).exists()
        )
        applications = selectors.applications_with_totals(
            Application.objects.visible_to(user).filter(call=call)
        )
        return super().get_context_data(
            call=call, committee=committee, member=member, sees_results=sees_results,
            applications=applications, criteria=list(call.criteria.all()),
            results=selectors.call_results(call=call) if sees_results else None,
            awarded_total=selectors.call_awarded_total(call=call),
            pdf_exports=call.exports.current().filter(requested_by=user)[:3],
            may_apply=user.is_municipal_specialist and call.is_open()
            and not applications.filter(municipality_id=user.municipality_id).exists(),
            **kwargs,
        )  # fmt: skip
