"""Forms of the offer builder. They validate; offers.services acts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.versions import VersionField
from coordinators.models import Language, MunicipalityRequest
from municipalities.models import MunicipalService, NeedCategory

from .models import Offer, OfferItem
from .services import OFFER_LANGUAGES


class OfferLanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the offer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, label) for code, label in Language.choices if code in OFFER_LANGUAGES
        ]


class OfferItemForm(forms.ModelForm):
    """One section: a title, the text and whom to contact, and the version it showed."""

    version = VersionField()

    class Meta:
        model = OfferItem
        fields = ["title", "text", "contact"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class OfferItemAddForm(OfferItemForm):
    """A new section typed by the coordinator, under one need."""

    need = forms.ModelChoiceField(label=_("Need"), queryset=NeedCategory.objects.all())
    version = None  # type: ignore[assignment]  # a new section has no earlier version

    class Meta(OfferItemForm.Meta):
        fields = ["need", "title", "text", "contact"]


class ServicePickForm(forms.Form):
    """Pick a service from the catalogue; the choices are the case's available services."""

    service: forms.ModelChoiceField[MunicipalService] = forms.ModelChoiceField(
        label=_("Catalogue service"), queryset=None
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services


class RequestPickForm(forms.Form):
    """Use a municipality's answer to one of the coordinator's questions."""

    request: forms.ModelChoiceField[MunicipalityRequest] = forms.ModelChoiceField(
        label=_("Answer"), queryset=None
    )

    def __init__(self, *args, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = requests


class OfferResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("The person's response"),
        choices=[
            (Offer.Status.ACCEPTED, _("accepted the offer")),
            (Offer.Status.CHANGES_REQUESTED, _("wants changes")),
            (Offer.Status.DECLINED, _("declined the offer")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OfferSendForm(forms.Form):
    """The confirm step before an offer goes to the person, without JavaScript: a box to tick."""

    confirm = forms.BooleanField(
        label=_("I have read the offer through: send it to the person"),
        error_messages={"required": _("Tick the box to confirm that the offer may be sent.")},
    )
