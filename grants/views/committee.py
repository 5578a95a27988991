"""The committee's pages: a member scores or declares a conflict; the chair decides."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from common.errors import DomainError
from common.forms import focus_first_error
from common.versions import StaleEdit, version_token

from .. import selectors, services
from ..forms import ConflictForm, DecisionForm, ScoreForm
from .base import GrantsView, application_for, call_for


class ScoreView(GrantsView, FormView):
    """A member's score sheet of one application (not for a member with a conflict)."""

    template_name = "grants/score_form.html"
    form_class = ScoreForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.application = application_for(request.user, kwargs["pk"], role="member")
            self.criteria = list(self.application.call.criteria.all())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        mine = self.application.scores.filter(member=self.request.user)
        initial = {score.criterion_id: score.score for score in mine}
        return {**super().get_form_kwargs(), "criteria": self.criteria, "initial_scores": initial}

    def get_context_data(self, **kwargs):
        conflict = self.application.conflicts.filter(member=self.request.user).first()
        return super().get_context_data(
            application=self.application, conflict=conflict, conflict_form=ConflictForm(),
            requested=self.application.requested_total(), **kwargs,
        )  # fmt: skip

    def form_valid(self, form):
        try:
            services.score_record(
                application=self.application, member=self.request.user, scores=form.scores()
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Your scores are saved."))
        return redirect("grants:call_detail", pk=self.application.call_id)

    def form_invalid(self, form):
        return super().form_invalid(focus_first_error(form))


class ConflictView(GrantsView, View):
    """POST: the member declares a conflict of interest; it is recorded, they do not score."""

    def post(self, request, pk):
        application = application_for(request.user, pk, role="member")
        form = ConflictForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            services.conflict_declare(application=application, member=request.user, note=note)
        except DomainError as error:
            return self.refused(error, reverse("grants:score", args=[pk]))
        messages.success(request, _("Your conflict of interest is recorded."))
        return redirect("grants:call_detail", pk=application.call_id)


class DecisionView(GrantsView, FormView):
    """The chair's decision: the weighted totals, a sum per application, within the budget."""

    template_name = "grants/decision_form.html"
    form_class = DecisionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.call = call_for(request.user, kwargs["pk"], role="chair")
            self.results = selectors.call_results(call=self.call)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        version = version_token(services.decision_values(self.call))
        return {"note": self.call.decision_note, "version": version}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "results": self.results}

    def get_context_data(self, **kwargs):
        criteria = list(self.call.criteria.all())
        return super().get_context_data(
            call=self.call, results=self.results, criteria=criteria, **kwargs
        )

    def form_valid(self, form):
        try:
            services.call_decide(
                call=self.call, actor=self.request.user, awards=form.awards(),
                note=form.cleaned_data["note"], version=form.cleaned_data["version"],
            )  # fmt: skip
        except StaleEdit as error:
            form.add_error(None, error.message)
            form.data = form.data.copy() | {"version": error.current_version}
            return self.form_invalid(form)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The decision is recorded."))
        return redirect("grants:call_detail", pk=self.call.pk)
