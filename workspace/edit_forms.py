"""The case page's forms that correct what a coordinator knows: the person's contact
details, the household, the municipality of interest and timeframe, a logged contact.
Each carries the version it was loaded from (common.versions)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.fields import DateField
from common.validators import normalise_phone
from common.versions import VersionField
from coordinators.models import Case, HouseholdMember, Interaction, Language
from coordinators.services.interactions import interaction_dates_check
from municipalities.models import Municipality

from .forms import DateInput


class ContactDetailsForm(forms.Form):
    """The person's name and contact details."""

    version = VersionField()
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    country = forms.ChoiceField(label=_("Country of residence"), required=False)
    town = forms.CharField(label=_("Town of residence"), max_length=100, required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—")] + list(countries)

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalise_phone(phone) if phone else ""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class CaseDetailsForm(forms.Form):
    """The municipality of interest and the planned timeframe."""

    version = VersionField()
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=_("Municipality of interest"), required=False, queryset=None, empty_label="—"
    )
    timeframe = forms.ChoiceField(
        label=_("Planned timeframe"), required=False, choices=[("", "—"), *Case.Timeframe.choices]
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.of_region(
            case.planning_region_id
        )


class HouseholdMemberForm(forms.Form):
    """One member of the household: the relation and, if known, the birth year."""

    version = VersionField()
    relation = forms.ChoiceField(label=_("Relation"), choices=HouseholdMember.Relation.choices)
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=2100
    )
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)


class InteractionEditForm(forms.Form):
    """Correct a logged contact: its kind, date and summary."""

    version = VersionField()
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[choice for choice in Interaction.Kind.choices if choice[0] != "contact_form"],
    )
    occurred_on = DateField(label=_("Date"), widget=DateInput)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        errors = interaction_dates_check(occurred_on=cleaned.get("occurred_on"), follow_up_on=None)
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned


class FinalStepUndoForm(forms.Form):
    """Take back "returned" or "closed"; the reason is needed after the grace period."""

    expected_status = forms.ChoiceField(choices=Case.Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why it is undone"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
