"""The bases of every staff page about a case, and the one rule of 403 versus 404.

A role that does not work on cases (an analyst, a municipal specialist) gets 403 on every
case page: the page is not theirs. A case worker asking for a case outside their scope gets
404, the same as for a case that does not exist: `get_object()` goes through
`get_queryset()`, which is `Case.objects.visible_to(user)` (as neapolitan and Django's
admin do). Workspace, offer and personal-data pages all build on these classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from common.errors import DomainError
from common.forms import focus_first_error
from common.versions import VERSION_FIELD, StaleEdit

from .models import Case

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class CaseWorkerRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Anonymous users go to the login page; roles that do not work cases get 403."""

    request: HttpRequest

    def test_func(self) -> bool:
        # union-attr: the user may be AnonymousUser as far as the types go, but
        # LoginRequiredMixin has turned anonymous users away before test_func runs.
        return self.request.user.can_work_cases  # type: ignore[union-attr]


class RequestAnswererRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Municipal specialists answer requests; national administrators may look on."""

    request: HttpRequest

    def test_func(self) -> bool:
        # union-attr: authenticated here, as above.
        return self.request.user.can_answer_requests  # type: ignore[union-attr]


class CaseScopedMixin(CaseWorkerRequiredMixin):
    """A page about one case, named by its reference in the URL."""

    kwargs: dict[str, Any]

    def get_queryset(self) -> QuerySet[Case]:
        return Case.objects.visible_to(self.request.user)

    def get_object(self, queryset: QuerySet[Case] | None = None) -> Case:
        queryset = self.get_queryset() if queryset is None else queryset
        return get_object_or_404(queryset, reference=self.kwargs["reference"])


class CaseActionView(CaseScopedMixin, View):
    """One step on a case: load the case in scope, validate the form, call the service,
    flash its message, redirect. An invalid form shows the page again with the errors and
    what was typed; a refusal of the rules (DomainError) is flashed instead of a 500.

    Subclasses set `form_class` (the default, a form without fields, is a plain button)
    and define `perform`, `get_success_url` and, when the form has fields, `form_invalid`.
    """

    http_method_names = ["post"]
    # A Form or a ModelForm (InteractionForm, OfferItemForm).
    form_class: type[forms.BaseForm] = forms.Form
    invalid_message: StrOrPromise = ""
    object: Case
    form: forms.BaseForm

    def load(self) -> None:
        """Fetch what the action works on (the case; subclasses add e.g. the offer)."""
        self.object = self.get_object()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {}

    def perform(self, form: forms.BaseForm) -> str:
        """Call the service; return the message that confirms what was done."""
        raise NotImplementedError

    def get_success_url(self) -> str:
        raise NotImplementedError

    def form_invalid(self, form: forms.BaseForm) -> HttpResponse:
        raise NotImplementedError

    def refused(self, error: DomainError) -> HttpResponse:
        """The rules refused the step: say why, and go where a success would have gone."""
        messages.error(self.request, error.message)
        return redirect(self.get_success_url())

    def stale(self, error: StaleEdit) -> HttpResponse:
        """Someone saved in between: the form again with what was typed, the message and
        the current version (so saving again is a decision). Forms without fields have
        nothing to keep: refused as any other step."""
        if self.form_class is forms.Form:
            return self.refused(error)
        data = self.request.POST.copy()
        data[self.form.add_prefix(VERSION_FIELD)] = error.current_version
        form = self.form_class(data, **self.get_form_kwargs())
        form.is_valid()
        form.add_error(None, error.message)
        messages.error(self.request, error.message)
        return self.form_invalid(focus_first_error(form))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load()
        form = self.form = self.form_class(request.POST, **self.get_form_kwargs())
        if not form.is_valid():
            if self.invalid_message:
                messages.error(request, self.invalid_message)
            return self.form_invalid(focus_first_error(form))
        try:
            message = self.perform(form)
        except StaleEdit as error:
            return self.stale(error)
        except DomainError as error:
            return self.refused(error)
        messages.success(request, message)
        return redirect(self.get_success_url())
