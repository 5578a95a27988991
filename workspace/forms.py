"""Forms of the coordinators' workspace. Forms validate; the services in
`coordinators.services` act."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from common.fields import DateField
from common.forms import choices_fetched
from common.validators import normalise_phone
from common.versions import VersionField
from coordinators.models import (
    ALLOWED_TRANSITIONS,
    Case,
    HouseholdMember,
    Interaction,
    Language,
    User,
)
from coordinators.selectors.cases import coordinators_for
from coordinators.services.cases import returnee_build
from coordinators.services.interactions import interaction_dates_check
from coordinators.services.pipeline import CLOSED_REASON_REQUIRED
from coordinators.services.requests import DUE_IN_THE_PAST
from municipalities.models import Municipality, NeedCategory, PlanningRegion

DATE_PLACEHOLDER = _("dd.mm.yyyy")
FINAL_STEP_UNCONFIRMED = _(
    "“Returned” and “closed” end the case and count in the ministry figures: tick the box "
    "to confirm."
)


class DateInput(forms.DateInput):
    """A plain text field in the portal's dd.mm.yyyy format (no browser-specific picker)."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d.%m.%Y")


def municipalities_for(user):
    """Municipalities a user works with: their region's, or all for national staff."""
    queryset = Municipality.objects.order_by("name")
    if user.planning_region_id and not user.is_national_admin:
        queryset = queryset.filter(planning_region_id=user.planning_region_id)
    return queryset


class CaseSearchForm(forms.Form):
    """Free-text search. Sent by POST and kept in the session, because a name, e-mail or
    phone number must never appear in a URL (browser history, server logs)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class CaseFilterForm(forms.Form):
    """The case list's filters, read from the query string so a list can be bookmarked."""

    FOLLOW_UP_CHOICES = [
        ("", _("any")),
        ("today", _("due today")),
        ("overdue", _("overdue")),
        ("due", _("due today or overdue")),
    ]
    WAITING_CHOICES = [
        ("", _("anything")),
        ("municipality", _("a municipality's answer")),
        ("decision", _("the person's decision on an offer")),
    ]
    SORT_CHOICES = [
        # Empty: a search by name lists the best match first, any other list the newest.
        ("", _("best match or newest first")),
        ("-created", _("newest first")),
        ("created", _("oldest first")),
        ("follow_up", _("follow-up date")),
        ("name", _("surname")),
        ("reference", _("reference number")),
        ("status", _("status")),
    ]

    # "mine" (the default of a coordinator's list): see workspace.selectors.MY_WORK.
    work = forms.ChoiceField(
        label=_("Cases"),
        required=False,
        choices=[("all", _("all I may see")), ("mine", _("my work"))],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all"))] + Case.Status.choices
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.none(),
        empty_label=_("all"),
    )
    need = forms.ModelChoiceField(
        label=_("Need"),
        required=False,
        queryset=NeedCategory.objects.all(),
        to_field_name="code",
        empty_label=_("all"),
    )
    country = forms.ChoiceField(label=_("Country of residence"), required=False)
    coordinator = forms.ChoiceField(label=_("Coordinator"), required=False)
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("all"))] + Case.Source.choices
    )
    follow_up = forms.ChoiceField(label=_("Follow-up"), required=False, choices=FOLLOW_UP_CHOICES)
    waiting = forms.ChoiceField(label=_("Waiting for"), required=False, choices=WAITING_CHOICES)
    attention = forms.BooleanField(label=_("Needs attention"), required=False)
    created_from = DateField(label=_("Created from"), required=False, widget=DateInput)
    created_to = DateField(label=_("Created until"), required=False, widget=DateInput)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)
    # "on": apply the search text kept in the session (see CaseSearchForm).
    search = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities_for(user)
        for name in ("municipality", "need"):
            # One query each (a list() of the lazy choices would add a COUNT).
            choices_fetched(self.fields[name], self.fields[name].queryset)
        self.fields["country"].choices = [("", _("all"))] + list(countries)
        # Kept: the list's bulk form offers the same coordinators.
        self.coordinators = list(coordinators_for(user=user))
        self.fields["coordinator"].choices = [
            ("", _("anyone")),
            ("me", _("me")),
            ("none", _("nobody yet")),
        ] + [
            (str(coordinator.pk), coordinator.get_full_name() or coordinator.get_username())
            for coordinator in self.coordinators
        ]

    def valid_filters(self):
        """The filters that are valid, and the labels of those that were ignored."""
        self.is_valid()
        ignored = [str(self.fields[name].label) for name in self.errors]
        filters = {name: value for name, value in self.cleaned_data.items() if value}
        return filters, ignored


class InteractionForm(forms.ModelForm):
    """Log a call, e-mail, meeting ... and plan the next contact."""

    class Meta:
        model = Interaction
        fields = ["kind", "occurred_on", "summary", "follow_up_on"]
        widgets = {
            "occurred_on": DateInput,
            "follow_up_on": DateInput,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "follow_up_on": _("Leave empty when no further contact is planned."),
        }
        field_classes = {"occurred_on": DateField, "follow_up_on": DateField}

    # The follow-up date the page showed (common.versions): a newer plan is not cleared.
    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            choice for choice in Interaction.Kind.choices if choice[0] != "contact_form"
        ]
        self.fields["occurred_on"].initial = timezone.localdate

    def clean(self):
        cleaned = super().clean()
        errors = interaction_dates_check(
            occurred_on=cleaned.get("occurred_on"), follow_up_on=cleaned.get("follow_up_on")
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned


class StatusForm(forms.Form):
    """Move the case to one of its allowed next statuses. `expected_status` is the status the
    user saw, so a change made meanwhile by someone else is not overwritten."""

    to_status = forms.ChoiceField(label=_("New status"), choices=Case.Status.choices)
    expected_status = forms.ChoiceField(choices=Case.Status.choices, widget=forms.HiddenInput)
    closed_reason = forms.ChoiceField(
        label=_("Closing reason (only when closing)"),
        required=False,
        choices=[("", "—"), *Case.ClosedReason.choices],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The confirm step of a final status, without JavaScript: a box to tick.
    confirm_final = forms.BooleanField(
        label=_("I confirm the final step (returned or closed)"), required=False
    )

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("initial", {"expected_status": case.status})
        super().__init__(*args, **kwargs)
        self.case = case
        self.next_statuses = [
            (status, Case.Status(status).label) for status in ALLOWED_TRANSITIONS[case.status]
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_status") == Case.Status.CLOSED and not cleaned.get("closed_reason"):
            self.add_error("closed_reason", CLOSED_REASON_REQUIRED)
        if cleaned.get("to_status") in Case.FINAL_STATUSES and not cleaned.get("confirm_final"):
            self.add_error("confirm_final", FINAL_STEP_UNCONFIRMED)
        return cleaned

    @property
    def has_final_step(self):
        return any(status in Case.FINAL_STATUSES for status, _label in self.next_statuses)


class NeedsForm(forms.Form):
    version = VersionField()
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs"),
        required=False,
        queryset=NeedCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )


class AssignForm(forms.Form):
    version = VersionField()
    coordinator: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Coordinator"),
        required=False,
        queryset=None,
        empty_label=_("nobody"),
    )

    def __init__(self, *args, user, planning_region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators_for(
            user=user, planning_region=planning_region
        )
        self.fields["coordinator"].label_from_instance = lambda coordinator: (
            coordinator.get_full_name() or coordinator.get_username()
        )


class MunicipalityRequestForm(forms.Form):
    """One question about one need to one or several municipalities (a request each)."""

    municipalities: forms.ModelMultipleChoiceField[Municipality] = forms.ModelMultipleChoiceField(
        label=_("Municipalities"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    need = forms.ModelChoiceField(
        label=_("Need"), queryset=NeedCategory.objects.all(), empty_label="—"
    )
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = DateField(label=_("Answer wanted by (optional)"), required=False, widget=DateInput)
    share_contact_details = forms.BooleanField(
        label=_("Share the person's name and contact details with the municipality"),
        required=False,
    )

    def __init__(self, *args, case, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("municipalities", [case.municipality_id] if case.municipality_id else [])
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.of_region(
            case.planning_region_id
        )

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on is not None and due_on < timezone.localdate():
            raise forms.ValidationError(DUE_IN_THE_PAST)
        return due_on


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}))


class CaseCreateForm(forms.Form):
    """A contact that came by phone, e-mail or at an event, typed in by the coordinator."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    country = forms.ChoiceField(label=_("Country of residence"), required=False)
    town = forms.CharField(label=_("Town of residence"), max_length=100, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=Language.choices,
    )
    source = forms.ChoiceField(
        label=_("How the contact came"),
        choices=[choice for choice in Case.Source.choices if choice[0] != "contact_form"],
    )
    planning_region = forms.ModelChoiceField(
        label=_("Planning region"),
        required=False,
        queryset=PlanningRegion.objects.all(),
        empty_label=_("not decided yet (national queue)"),
    )
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=_("Municipality of interest"), required=False, queryset=None
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Needs"),
        required=False,
        queryset=NeedCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    timeframe = forms.ChoiceField(
        label=_("Planned timeframe"), required=False, choices=[("", "—"), *Case.Timeframe.choices]
    )
    partner = forms.BooleanField(label=_("Moves with a spouse or partner"), required=False)
    children_birth_years = forms.CharField(
        label=_("Children's birth years"),
        required=False,
        help_text=_("Separated by commas, e.g. 2015, 2019."),
    )
    assign_to_me = forms.BooleanField(label=_("Assign the case to me"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["country"].choices = [("", "—")] + list(countries)
        self.fields["municipality"].queryset = municipalities_for(user)
        if not user.is_national_admin:
            # A coordinator registers contacts for their own region.
            del self.fields["planning_region"]
        if not user.is_regional_coordinator:
            del self.fields["assign_to_me"]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return normalise_phone(phone) if phone else ""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_children_birth_years(self):
        text = self.cleaned_data["children_birth_years"]
        years = []
        this_year = timezone.localdate().year
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            # isdigit() is true for "²⁰¹⁵", which int() refuses: ASCII digits only.
            if not re.fullmatch(r"[0-9]{4}", part) or not 1900 <= int(part) <= this_year:
                raise forms.ValidationError(
                    _("“%(value)s” is not a birth year."), params={"value": part}
                )
            years.append(int(part))
        return years

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("planning_region") if self.user.is_national_admin else None
        if not self.user.is_national_admin:
            region = self.user.planning_region
        municipality = cleaned.get("municipality")
        if municipality and region and municipality.planning_region_id != region.pk:
            self.add_error(
                "municipality", _("The municipality is not in the chosen planning region.")
            )
        cleaned["region"] = region or (municipality.planning_region if municipality else None)
        return cleaned

    def instances(self):
        """The unsaved returnee and case, the needs and household for the service."""
        data = self.cleaned_data
        returnee = returnee_build(data=data)
        case = Case(
            planning_region=data["region"],
            municipality=data["municipality"],
            source=data["source"],
            timeframe=data["timeframe"],
        )
        household = [
            (HouseholdMember.Relation.CHILD, year) for year in data["children_birth_years"]
        ]
        if data["partner"]:
            household.insert(0, (HouseholdMember.Relation.PARTNER, None))
        return returnee, case, list(data["needs"]), household
