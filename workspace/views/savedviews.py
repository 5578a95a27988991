"""Saved views of the case list: save the list's filters under a name, open, delete. Each
user's own: another user's view is a 404."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from common.errors import DomainError
from coordinators.views import CaseWorkerRequiredMixin
from savedviews.models import SavedView
from savedviews.services import saved_view_delete, saved_view_save

from ..forms import CaseFilterForm


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Save these filters as"), max_length=60, required=False)
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


def case_list_url(query=""):
    url = reverse("workspace:case_list")
    return f"{url}?{query}" if query else url


class SavedViewCreateView(CaseWorkerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = SavedViewForm(request.POST)
        form.is_valid()
        data = form.cleaned_data
        try:
            view, created = saved_view_save(
                user=request.user, name=data.get("name", ""), query=data.get("query", ""),
                allowed=CaseFilterForm.base_fields,
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(case_list_url(data.get("query", "")))
        if created:
            messages.success(request, _("The view “%(name)s” is saved.") % {"name": view.name})
        else:
            messages.success(request, _("The view “%(name)s” is updated.") % {"name": view.name})
        return redirect(case_list_url(view.query))


class SavedViewDeleteView(CaseWorkerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        view = get_object_or_404(SavedView.objects.filter(user=request.user), pk=kwargs["pk"])
        saved_view_delete(view=view)
        messages.success(request, _("The view “%(name)s” is deleted.") % {"name": view.name})
        return redirect(case_list_url())
