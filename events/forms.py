"""The public registration form (the same spam defences as "Dod ziņu!": honeypot, minimum
fill time, a signed one-time start token) and the staff's event form (version-checked)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

# attr-defined: django-countries' fields.pyi leaves out this class, which fields.py defines.
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]

from common.validators import normalise_phone
from common.versions import VersionField
from intake.forms import ContactForm, LongSelect, timestamp_token
from municipalities.models import Municipality

from .models import MAX_PARTY, Event


class RegistrationForm(forms.Form):
    """Who comes, how many, and whether we may contact them about returning."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, help_text=_("We will send the confirmation here.")
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    country = LazyTypedChoiceField(
        label=_("Country of residence"), choices=[("", "—")] + list(countries), widget=LongSelect
    )
    party_size = forms.IntegerField(
        label=_("Number of people, including you"),
        min_value=1,
        max_value=MAX_PARTY,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    contact_consent = forms.BooleanField(
        label=_(
            "A remigration coordinator may contact me after the event about returning to "
            "Latvia (optional)."
        ),
        required=False,
    )
    # The same honeypot and signed start token as the contact form (intake.forms).
    homepage = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    clean_homepage = ContactForm.clean_homepage
    clean_started = ContactForm.clean_started
    is_spam = ContactForm.is_spam
    started_token = ContactForm.started_token

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The countries' names in the language of this request, not of the first import.
        self.fields["country"].choices = [("", "—"), *countries]
        if not self.is_bound:
            self.initial["started"] = timestamp_token()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalise_phone(phone) if phone else ""


def _event_formfield(field, **kwargs):
    """The model's form fields; a link without a scheme is taken as https."""
    if field.name == "online_link":
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class EventForm(forms.ModelForm):
    """The staff's form for a new event or a change; `version` guards the change."""

    version = VersionField()

    class Meta:
        model = Event
        formfield_callback = _event_formfield
        fields = [
            "title", "kind", "organiser_region", "organiser_municipality", "country", "city",
            "venue", "online_link", "starts_at", "ends_at", "language", "capacity",
            "description", "published",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"starts_at": _("dd.mm.yyyy hh:mm"), "ends_at": _("dd.mm.yyyy hh:mm")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser_municipality"].queryset = Municipality.objects.order_by("name")
        if not user.is_national_admin:
            # A coordinator organises for their own region only.
            region = self.fields["organiser_region"]
            region.queryset = region.queryset.filter(pk=user.planning_region_id)
            region.initial = user.planning_region_id
