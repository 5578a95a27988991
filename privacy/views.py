"""A case's personal-data page: download everything held on the person, or erase it.

Reached through the case reference (never a name in the URL) and the case views' bases of
`coordinators.views`: a person outside the user's scope is a 404, and roles that do not work
cases (municipal specialists, analysts) get 403.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from common.errors import DomainError
from coordinators.views import CaseActionView, CaseScopedMixin

from .forms import ErasureForm
from .services import is_erased, returnee_data_export, returnee_erase


class CasePrivacyMixin(CaseScopedMixin):
    def get_queryset(self):
        return super().get_queryset().select_related("returnee")

    def render_page(self, form=None):
        case = self.object
        context = {
            "case": case,
            "erased": is_erased(case.returnee),
            "form": form or ErasureForm(reference=case.reference),
        }
        return TemplateResponse(self.request, "privacy/case_privacy.html", context)


class CasePrivacyView(CasePrivacyMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_page()


class DataExportView(CasePrivacyMixin, View):
    """The person's data as a ZIP; a refusal (another region's case) is said on the page."""

    http_method_names = ["post"]

    def post(self, request, reference):
        case = self.get_object()
        try:
            content = returnee_data_export(
                returnee=case.returnee, actor=request.user, request=request
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("privacy:case", reference=reference)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{reference}-personal-data.zip"'
        return response


class ErasureView(CasePrivacyMixin, CaseActionView):
    form_class = ErasureForm
    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        raise Http404

    def get_form_kwargs(self):
        return {"reference": self.object.reference}

    def form_invalid(self, form):
        return self.render_page(form)

    def perform(self, form):
        returnee_erase(returnee=self.object.returnee, actor=self.request.user, request=self.request)
        return _("The person's identifying data has been erased.")

    def get_success_url(self):
        return reverse("privacy:case", args=[self.object.reference])
