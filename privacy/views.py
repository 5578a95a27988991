"""A case's personal-data page: download everything held on the person, or erase it.

Reached through the case reference (never a name in the URL) and the case scoping rule, so
a person outside the user's scope is a 404. Municipal specialists and analysts never get here.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from coordinators.models import Case

from .forms import ErasureForm
from .services import PrivacyError, is_erased, returnee_data_export, returnee_erase


class CasePrivacyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.case = get_object_or_404(
                Case.objects.visible_to(request.user).select_related("returnee"),
                reference=kwargs["reference"],
            )
        return super().dispatch(request, *args, **kwargs)


class CasePrivacyView(CasePrivacyMixin, TemplateView):
    template_name = "privacy/case_privacy.html"

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(
            case=self.case,
            erased=is_erased(self.case.returnee),
            form=form or ErasureForm(reference=self.case.reference),
            **kwargs,
        )


class DataExportView(CasePrivacyMixin, View):
    def post(self, request, reference):
        try:
            content = returnee_data_export(
                returnee=self.case.returnee, actor=request.user, request=request
            )
        except PrivacyError as error:
            messages.error(request, error.message)
            return redirect("privacy:case", reference=reference)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{reference}-personal-data.zip"'
        return response


class ErasureView(CasePrivacyMixin, View):
    def post(self, request, reference):
        form = ErasureForm(request.POST, reference=self.case.reference)
        if not form.is_valid():
            page = CasePrivacyView(request=request, kwargs={"reference": reference})
            page.case = self.case
            return page.render_to_response(page.get_context_data(form=form))
        try:
            returnee_erase(returnee=self.case.returnee, actor=request.user, request=request)
        except PrivacyError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The person's identifying data has been erased."))
        return redirect("privacy:case", reference=reference)

    def get(self, request, reference):
        raise Http404
