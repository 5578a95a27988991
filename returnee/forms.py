"""The person's forms: answer an offer, correct their details, upload a document, ask for
a new link, withdraw consent, ask for erasure. Edit forms carry their version
(common.versions), as the staff forms do."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.validators import normalise_phone
from common.versions import VersionField
from coordinators.models import Case, HouseholdMember, Language
from municipalities.models import Municipality, NeedCategory
from offers.models import Offer

NOTE_MAX_LENGTH = 3000
CHANGES_NEED_A_COMMENT = _("Please tell us what you would like changed.")


class OfferAnswerForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        widget=forms.RadioSelect,
        choices=[
            (Offer.Status.ACCEPTED, _("I accept the offer")),
            (Offer.Status.CHANGES_REQUESTED, _("I would like changes")),
            (Offer.Status.DECLINED, _("I decline the offer")),
        ],
    )
    note = forms.CharField(
        label=_("Comment (optional; needed when you ask for changes)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        if data.get("response") == Offer.Status.CHANGES_REQUESTED and not data.get("note", ""):
            self.add_error("note", CHANGES_NEED_A_COMMENT)
        return data


class ContactDetailsForm(forms.Form):
    """The person's own corrections. Not the e-mail address: it is what their links go to,
    so a link (forwarded, or left open on a shared computer) must not be able to move it
    elsewhere, nor tell whether another address is registered; the coordinator changes it."""

    version = VersionField()
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=32, required=False)
    country = forms.ChoiceField(label=_("Country of residence"), required=False)
    town = forms.CharField(label=_("Town of residence (optional)"), max_length=100, required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—")] + list(countries)

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalise_phone(phone) if phone else ""


class PlansForm(forms.Form):
    """Where and when the family would like to return, and what would help."""

    version = VersionField()
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=_("Municipality of interest"), required=False, queryset=None, empty_label="—"
    )
    timeframe = forms.ChoiceField(
        label=_("When would you like to return?"),
        required=False,
        choices=[("", "—"), *Case.Timeframe.choices],
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("What would help your family"),
        required=False,
        queryset=NeedCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.of_region(
            case.planning_region_id
        )


class HouseholdMemberForm(forms.Form):
    version = VersionField()
    relation = forms.ChoiceField(label=_("Relation"), choices=HouseholdMember.Relation.choices)
    birth_year = forms.IntegerField(
        label=_("Birth year (optional)"), required=False, min_value=1900, max_value=2100
    )


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, JPEG or PNG)"))


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"))


class ConfirmForm(forms.Form):
    """A deliberate step (withdraw consent, ask for erasure): a box to tick."""

    confirm = forms.BooleanField(label=_("Yes, I am sure"))
    note = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
