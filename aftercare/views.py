"""The survey page (public, reached by its signed link only) and the staff report of unmet
needs after return."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from audit.services import audit_list_viewed
from common.errors import DomainError
from common.forms import focus_first_error
from coordinators.views import CaseWorkerRequiredMixin

from .forms import SurveyForm
from .selectors import unmet_needs
from .services import survey_answer, survey_from_token


class SurveyView(View):
    """GET the questions, POST the answers; an invalid or expired link is a 404 that says
    so, and an answered survey only thanks."""

    template_name = "aftercare/survey.html"

    def dispatch(self, request, *args, **kwargs):
        self.survey = survey_from_token(kwargs["token"])
        if self.survey is None:
            return render(request, "aftercare/survey_invalid.html", status=404)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        return self.page(SurveyForm())

    def post(self, request, token):
        form = SurveyForm(request.POST)
        if not form.is_valid() or self.survey.answered_at is not None:
            return self.page(focus_first_error(form))
        try:
            survey_answer(survey=self.survey, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.page(form)
        messages.success(request, _("Thank you! Your answers are sent to your coordinator."))
        return redirect(request.path)

    def page(self, form):
        context = {"form": form, "survey": self.survey}
        return render(self.request, self.template_name, context)


class UnmetNeedsView(CaseWorkerRequiredMixin, TemplateView):
    """What returnees say after return, in the coordinator's scope."""

    template_name = "aftercare/report.html"

    def get_context_data(self, **kwargs):
        report = unmet_needs(user=self.request.user)
        audit_list_viewed(request=self.request, what="aftercare_unmet_needs", rows=report.answered)
        return super().get_context_data(report=report, **kwargs)
