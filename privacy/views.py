"""A case's personal-data page: download everything held on the person, or erase it.

Reached through the case reference (never a name in the URL) and the case views' bases of
`coordinators.views`: a person outside the user's scope is a 404, and roles that do not work
cases (municipal specialists, analysts) get 403. The ZIP is asked for here and built by the
worker; its download is addressed by a random UUID, for its requester only.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from common.errors import DomainError
from coordinators.views import CaseActionView, CaseScopedMixin

from .forms import ErasureForm
from .selectors import data_export_for_download, data_exports_for_page
from .services import data_export_download, data_export_request, is_erased, returnee_erase

EXPORT_REQUESTED = _(
    "The personal data is being prepared as a ZIP file. Reload this page in a minute to "
    "download it; it stays available for 24 hours."
)


class CasePrivacyMixin(CaseScopedMixin):
    def get_queryset(self):
        return super().get_queryset().select_related("returnee")

    def render_page(self, form=None):
        case = self.object
        context = {
            "case": case,
            "erased": is_erased(case.returnee),
            "form": form or ErasureForm(reference=case.reference),
            "exports": data_exports_for_page(case=case, user=self.request.user),
        }
        return TemplateResponse(self.request, "privacy/case_privacy.html", context)


class CasePrivacyView(CasePrivacyMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_page()


class DataExportView(CasePrivacyMixin, View):
    """Ask the worker for the person's data as a ZIP; a refusal (another region's case) is
    said on the page."""

    http_method_names = ["post"]

    def post(self, request, reference):
        case = self.get_object()
        try:
            data_export_request(case=case, actor=request.user, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, EXPORT_REQUESTED)
        return redirect("privacy:case", reference=reference)


class DataExportDownloadView(CasePrivacyMixin, View):
    """The ZIP the worker built, for the user who asked for it (or a national admin)."""

    http_method_names = ["get"]

    def get(self, request, reference, export_id):
        case = self.get_object()
        export = data_export_for_download(case=case, user=request.user, export_id=export_id)
        response = HttpResponse(
            data_export_download(export=export, request=request), content_type="application/zip"
        )
        response["Content-Disposition"] = f'attachment; filename="{reference}-personal-data.zip"'
        response["Cache-Control"] = "private, no-store"
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
        return gettext("The person's identifying data has been erased.")

    def get_success_url(self):
        return reverse("privacy:case", args=[self.object.reference])
