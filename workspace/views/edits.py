"""Corrections on the case page: contact details, municipality and timeframe, household
members, a logged contact. Each goes through `coordinators.services.details`; a save over
a newer change comes back with what was typed (CaseActionView.stale)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from common.errors import DomainError
from common.forms import focus_first_error
from common.versions import StaleEdit, version_token
from coordinators.models import Interaction, MunicipalityRequest
from coordinators.services.details import (
    case_details_update,
    household_member_remove,
    household_member_save,
    interaction_correct,
    interaction_values,
    returnee_contact_update,
)
from coordinators.services.pipeline import case_final_step_undo
from coordinators.services.requests import municipality_request_withdraw
from coordinators.views import CaseScopedMixin

from ..edit_forms import (
    CaseDetailsForm,
    ContactDetailsForm,
    FinalStepUndoForm,
    HouseholdMemberForm,
    InteractionEditForm,
)
from .cases import CaseFormView


class ContactUpdateView(CaseFormView):
    form_class = ContactDetailsForm
    form_name, prefix, anchor = "contact_form", "contact", "person-heading"

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        changed = returnee_contact_update(
            case=self.object, data=data, actor=self.request.user, version=version
        )
        return _("The contact details are saved.") if changed else _("Nothing changed.")

    def refused(self, error):
        """An e-mail address of another person: a field error, what was typed kept."""
        self.form.add_error("email", error.message)
        return self.form_invalid(focus_first_error(self.form))


class CaseDetailsUpdateView(CaseFormView):
    form_class = CaseDetailsForm
    form_name, prefix, anchor = "details_form", "details", "person-heading"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.object}

    def perform(self, form):
        changed = case_details_update(
            case=self.object, actor=self.request.user, **form.cleaned_data
        )
        return _("The case details are saved.") if changed else _("Nothing changed.")


class HouseholdMemberAddView(CaseFormView):
    form_class = HouseholdMemberForm
    form_name, prefix, anchor = "member_form", "member", "household"

    def perform(self, form):
        data = form.cleaned_data
        household_member_save(
            case=self.object, member=None, relation=data["relation"],
            birth_year=data["birth_year"], actor=self.request.user, version=data["version"],
        )  # fmt: skip
        return _("The household member is added.")


class HouseholdMemberUpdateView(HouseholdMemberAddView):
    """Change a member, or remove them (the form's remove button)."""

    def load(self):
        super().load()
        household = self.object.returnee.household
        self.member = get_object_or_404(household, pk=self.kwargs["member_id"])
        self.prefix = f"member-{self.member.pk}"

    def perform(self, form):
        data = form.cleaned_data
        if not data["remove"]:
            changed = household_member_save(
                case=self.object, member=self.member, relation=data["relation"],
                birth_year=data["birth_year"], actor=self.request.user, version=data["version"],
            )  # fmt: skip
            return _("The household member is saved.") if changed else _("Nothing changed.")
        household_member_remove(
            case=self.object, member=self.member, actor=self.request.user, version=data["version"]
        )
        return _("The household member is removed.")


class FinalStepUndoView(CaseFormView):
    """ "Returned" or "closed" clicked by mistake: back to the status before it."""

    form_class = FinalStepUndoForm
    form_name, prefix, anchor = "undo_form", "undo", "status"

    def perform(self, form):
        case_final_step_undo(case=self.object, actor=self.request.user, **form.cleaned_data)
        return _("The step is undone: the status is “%(status)s” again.") % {
            "status": self.object.get_status_display()
        }


class RequestWithdrawView(CaseFormView):
    """Take back an open question to a municipality (a button, no fields)."""

    anchor = "questions"

    def perform(self, form):
        queryset = MunicipalityRequest.objects.filter(case=self.object).select_related(
            "municipality"
        )
        request = get_object_or_404(queryset, pk=self.kwargs["request_id"])
        municipality_request_withdraw(request=request, actor=self.request.user)
        return _("The question to %(municipality)s is withdrawn.") % {
            "municipality": request.municipality.name
        }


class InteractionEditView(CaseScopedMixin, View):
    """Correct a logged contact on a page of its own; the field history keeps the old text."""

    template_name = "workspace/interaction_form.html"

    def load(self):
        self.object = self.get_object()
        queryset = Interaction.objects.filter(case=self.object).exclude(kind="contact_form")
        self.interaction = get_object_or_404(queryset, pk=self.kwargs["interaction_id"])

    def render_form(self, form):
        focus_first_error(form)
        context = {"case": self.object, "interaction": self.interaction, "form": form}
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        self.load()
        values = interaction_values(self.interaction)
        initial = {**values, "version": version_token(values)}
        return self.render_form(InteractionEditForm(prefix="edit", initial=initial))

    def post(self, request, *args, **kwargs):
        self.load()
        form = InteractionEditForm(request.POST, prefix="edit")
        if not form.is_valid():
            return self.render_form(form)
        try:
            interaction_correct(
                interaction=self.interaction, actor=request.user, **form.cleaned_data
            )
        except StaleEdit as error:
            return self.stale(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.render_form(form)
        messages.success(request, _("The contact is corrected."))
        return redirect(
            reverse("workspace:case_detail", args=[self.object.reference]) + "#timeline"
        )

    def stale(self, form, error):
        data = self.request.POST.copy()
        data[form.add_prefix("version")] = error.current_version
        form = InteractionEditForm(data, prefix="edit")
        form.is_valid()
        form.add_error(None, error.message)
        return self.render_form(form)
