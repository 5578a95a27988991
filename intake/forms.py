"""The public "Dod ziņu!" form: what a person abroad tells us, validated before anything is
stored. Spam checks (honeypot, minimum fill time) live here too; the rate limit is the view's."""

import functools
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.forms.utils import flatatt
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

# attr-defined: django-countries' fields.pyi leaves out this class, which fields.py defines.
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]

from common.forms import FetchedChoiceIterator
from common.validators import normalise_phone
from coordinators.models import Case, Language
from municipalities.models import NeedCategory, PlanningRegion

from .fragments import ReferenceRows, reference_rows

MESSAGE_MAX_LENGTH = 3000
MAX_ADULTS = 10
MAX_CHILDREN = 10
CHILD_MAX_AGE = 17
ASCII_NUMBER = re.compile(r"[0-9]{1,2}")
# A form older than this was not filled by the person now sending it; its signed token is
# also the form instance's one-time key (intake.services.contact_submission_receive).
FORM_MAX_AGE_SECONDS = 6 * 60 * 60
TIMESTAMP_SALT = "coordinators.contact-form.started"

TOO_FAST = _(
    "That was very quick. Please check that everything is filled in and send the form again."
)
FORM_EXPIRED = _("The form was open for too long. Please check it and send it again.")
CHILDREN_AGES_INVALID = _(
    "Enter each child's age as a whole number from 0 to 17, separated by commas, e.g. 3, 7."
)
TOO_MANY_CHILDREN = _("Enter at most %(max)s children.")
MUNICIPALITY_NOT_IN_REGION = _(
    "This municipality is not in the chosen planning region. Choose one of the region's "
    "municipalities, or none."
)
CONSENT_REQUIRED = _("We can only help you if you agree that we process your data.")
HONEYPOT_FILLED = "honeypot"  # error code only: a bot gets no explanation


def timestamp_token(now=None):
    """A signed token of the moment the form was shown (for the minimum fill time) and of a
    random nonce, so that each form shown is one instance that can be stored only once."""
    moment = now if now is not None else time.time()
    return signing.dumps([moment, secrets.token_urlsafe(16)], salt=TIMESTAMP_SALT)


def token_moment(value):
    """The moment in a token (an old token was the bare number)."""
    return float(value[0] if isinstance(value, list) else value)


class LongSelect(forms.Select):
    """A select whose options are rendered in Python, not one template each: for the 250
    countries that is ~1 ms instead of ~15 ms on every page view."""

    def __deepcopy__(self, memo):
        # Share the choices (they never change) instead of copying and normalising 250 of
        # them for every form: Widget's copy, not ChoiceWidget's (issue 16).
        return forms.Widget.__deepcopy__(self, memo)

    def render(self, name, value, attrs=None, renderer=None):
        selected = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                # " selected" has nothing to escape, so it needs no mark_safe.
                (code, " selected" if str(code) == selected else "", label)
                for code, label in self.choices
            ),
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)


class CountryChoiceField(LazyTypedChoiceField):
    """The country select, its 250 choices shared by every form instead of deep-copied for
    each (that copy was a third of the form's construction, issue 16): they never change."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


def _row_id(value: object) -> int | None:
    """The id a choice's value names, or None when it names none."""
    try:
        return int(value)  # type: ignore[call-overload]  # anything typed: refused below
    except (ValueError, TypeError, OverflowError):
        return None


class KeptRowsIterator(FetchedChoiceIterator):
    """The choices from the form's kept rows, in the model's order, instead of a query."""

    def objects(self):
        return list(self.field.rows().values())


class RegionChoiceField(forms.ModelChoiceField):
    """A region checked and listed from the form's kept rows (intake/fragments.py: one
    fingerprint query for the three reference fields instead of one query each, issue 16).
    The form sets `rows`."""

    iterator = KeptRowsIterator
    rows: Callable[[], dict[int, Any]]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        region = self.rows().get(_row_id(value))
        if region is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return region


class NeedChoiceField(forms.ModelMultipleChoiceField):
    """The needs, checked and listed from the form's kept rows like the region; the cleaned
    value is a list of needs."""

    iterator = KeptRowsIterator
    rows: Callable[[], dict[int, Any]]

    def label_from_instance(self, obj):
        return obj.label

    def clean(self, value):
        value = self.prepare_value(value)
        if not value:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        rows, needs = self.rows(), {}
        for pk in value:
            self.validate_no_null_characters(pk)
            key = _row_id(pk)
            if key is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
            if key not in rows:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
            needs[key] = rows[key]
        self.run_validators(value)
        return list(needs.values())


class ContactForm(forms.Form):
    """Everything the person tells us; `cleaned_data` is what the service stores."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, help_text=_("We will write to you at this address.")
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=32,
        required=False,
        help_text=_("In international format, e.g. +44 7911 123456."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    country = CountryChoiceField(
        label=_("Country of residence"), choices=[("", "—")] + list(countries), widget=LongSelect
    )
    town = forms.CharField(label=_("Town of residence (optional)"), max_length=100, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Language for our contact"), choices=Language.choices
    )
    planning_region = RegionChoiceField(
        label=_("Planning region you are interested in"),
        queryset=PlanningRegion.objects.all(),
        required=False,
        empty_label=_("Not decided yet"),
    )
    municipality = forms.TypedChoiceField(
        label=_("Municipality (optional)"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("If you already know where you would like to live."),
    )
    timeframe = forms.ChoiceField(
        label=_("When are you planning to return?"),
        choices=Case.Timeframe.choices,
        widget=forms.RadioSelect,
    )
    adults = forms.IntegerField(
        label=_("Adults moving, including you"),
        min_value=1,
        max_value=MAX_ADULTS,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    children_ages = forms.CharField(
        label=_("Ages of children moving with you (optional)"),
        max_length=60,
        required=False,
        help_text=_("Separated by commas, e.g. 3, 7. Leave empty if there are no children."),
    )
    needs = NeedChoiceField(
        label=_("What could we help you with?"),
        queryset=NeedCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("Your message (optional)"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        # Lazy: translated in the language of each request, not once at import time.
        help_text=lazy(
            lambda: gettext("Up to %(max)s characters.") % {"max": MESSAGE_MAX_LENGTH}, str
        )(),
    )
    consent = forms.BooleanField(
        label=_("I agree that the remigration coordinators process my data to help me return."),
        error_messages={"required": CONSENT_REQUIRED},
    )
    sharing_consent = forms.BooleanField(
        label=_(
            "I also agree that the coordinator may pass my name and contact details to a "
            "municipality so that it can answer me directly (optional)."
        ),
        required=False,
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    homepage = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A callable: read when the select is rendered or a choice validated, so a GET that
        # uses the kept rendering (intake/fragments.py) reads no municipality.
        self.fields["municipality"].choices = self._municipality_choices
        self.fields["planning_region"].rows = lambda: self.reference.regions
        self.fields["needs"].rows = lambda: self.reference.needs
        if not self.is_bound:
            self.initial.setdefault("preferred_language", (get_language() or "lv")[:2])
            self.initial["started"] = timestamp_token()

    @functools.cached_property
    def reference(self) -> ReferenceRows:
        """The regions, municipalities and needs the choices are listed from and checked
        against: the process's kept rows; a sent form's are checked by a fingerprint read
        now (one query), an empty form's by one at most CHECK_SECONDS old."""
        return reference_rows(fresh=self.is_bound)

    @property
    def _municipalities(self):
        """Every municipality by id, with its region, by region and name."""
        return self.reference.municipalities

    def _municipality_choices(self):
        groups = {}
        for municipality in self._municipalities.values():
            groups.setdefault(municipality.planning_region.name, []).append(
                (municipality.pk, municipality.name)
            )
        return [("", _("Not decided yet")), *groups.items()]

    @property
    def started_token(self):
        """The token to render: the one the person got, unless it is missing or broken."""
        if self.is_bound and (
            "started" not in self.errors or self.has_error("started", "too_fast")
        ):
            return self.data.get("started")
        return timestamp_token()

    def full_clean(self):
        super().full_clean()
        # Tie each erroneous input to its error message for screen readers.
        for name in self.errors:
            if name in self.fields:
                field_id = self[name].auto_id
                described = f"{field_id}_errors"
                if self.fields[name].help_text:
                    described += f" {field_id}_helptext"
                self.fields[name].widget.attrs["aria-describedby"] = described

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalise_phone(phone) if phone else ""

    def clean_children_ages(self):
        text = self.cleaned_data["children_ages"].strip()
        if not text:
            return []
        parts = [part for part in re.split(r"[,;\s]+", text) if part]
        # isdigit() is true for "²", which int() refuses: ASCII digits only.
        if not all(ASCII_NUMBER.fullmatch(part) and int(part) <= CHILD_MAX_AGE for part in parts):
            raise forms.ValidationError(CHILDREN_AGES_INVALID, code="invalid")
        if len(parts) > MAX_CHILDREN:
            raise forms.ValidationError(
                TOO_MANY_CHILDREN, code="too_many", params={"max": MAX_CHILDREN}
            )
        return [int(part) for part in parts]

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError("", code=HONEYPOT_FILLED)
        return ""

    def clean_started(self):
        try:
            started = signing.loads(
                self.cleaned_data["started"], salt=TIMESTAMP_SALT, max_age=FORM_MAX_AGE_SECONDS
            )
        except signing.BadSignature as error:  # also SignatureExpired
            raise forms.ValidationError(FORM_EXPIRED, code="expired") from error
        age = time.time() - token_moment(started)
        if age > FORM_MAX_AGE_SECONDS:
            raise forms.ValidationError(FORM_EXPIRED, code="expired")
        if age < settings.CONTACT_FORM_MIN_FILL_SECONDS:
            raise forms.ValidationError(TOO_FAST, code="too_fast")
        return self.cleaned_data["started"]

    def clean(self):
        cleaned = super().clean()
        municipality_id = cleaned.get("municipality")
        if municipality_id is None:
            cleaned["municipality"] = None
            return cleaned
        municipality = self._municipalities[municipality_id]
        region = cleaned.get("planning_region")
        if region is None and "planning_region" not in self.errors:
            # A municipality chosen with the region left open: the municipality decides.
            cleaned["planning_region"] = municipality.planning_region
        elif region is not None and region.pk != municipality.planning_region_id:
            self.add_error("municipality", MUNICIPALITY_NOT_IN_REGION)
            return cleaned
        cleaned["municipality"] = municipality
        return cleaned

    def is_spam(self):
        """True when the honeypot was filled: no explanation, nothing stored."""
        return self.has_error("homepage", HONEYPOT_FILLED)

    def is_tampered(self):
        """True when a choice the page never offered came in: a hand-made POST."""
        return any(
            error.code in ("invalid_choice", "invalid_pk_value")
            for name in self.errors
            for error in self.errors[name].as_data()
        )
