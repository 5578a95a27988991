"""The report's filters: a period (typed or a preset), planning regions within the user's
scope, and optionally one municipality. The form turns them into `ReportFilters`."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.dates import date_text
from common.fields import DateField
from municipalities.models import Municipality, PlanningRegion

from .figures.filters import PROGRAMME_START, ReportFilters
from .figures.scope import report_scope

if TYPE_CHECKING:
    from coordinators.models import User

INVERTED_PERIOD = _("The end of the period is before its start.")
BEFORE_PROGRAMME = _(
    "The programme started on %(start)s: choose a start of the period from then on."
)
TOO_FAR_AHEAD = _("The end of the period is too far ahead: choose a date up to %(limit)s.")
BOTH_DATES_NEEDED = _("Enter both the start and the end of the period, or choose a preset.")
REGION_OUTSIDE_SCOPE = _(
    "This planning region is not available to you: you can report only on your own region."
)
UNKNOWN_MUNICIPALITY = _(
    "Unknown municipality, or a municipality outside the planning regions you may see."
)
MUNICIPALITY_OUTSIDE_REGIONS = _("The municipality does not belong to the chosen planning regions.")
UNKNOWN_PRESET = _("Unknown period preset.")

PRESETS = (
    ("this_month", _("This month")),
    ("this_quarter", _("This quarter")),
    ("this_year", _("This year")),
    ("last_year", _("Last year")),
    ("since_start", _("Since the programme started")),
)
DEFAULT_PRESET = "this_year"


def preset_period(preset, today):
    """The first and last day of a preset period, relative to `today`."""
    if preset == "this_month":
        start = today.replace(day=1)
        return start, (start + datetime.timedelta(days=32)).replace(day=1) - _ONE_DAY
    if preset == "this_quarter":
        start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        return start, (start + datetime.timedelta(days=95)).replace(day=1) - _ONE_DAY
    if preset == "this_year":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    if preset == "last_year":
        return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)
    if preset == "since_start":
        return PROGRAMME_START, today
    raise ValueError(preset)


_ONE_DAY = datetime.timedelta(days=1)
DATE_WIDGET = forms.DateInput(format="%d.%m.%Y", attrs={"placeholder": "dd.mm.gggg"})


class ReportForm(forms.Form):
    """Read from the query string, so a report is a link that can be shared and bookmarked."""

    date_from = DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    region: forms.ModelMultipleChoiceField[PlanningRegion] = forms.ModelMultipleChoiceField(
        label=_("Planning regions"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: all the regions you may see."),
        error_messages={
            "invalid_choice": REGION_OUTSIDE_SCOPE,
            "invalid_pk_value": REGION_OUTSIDE_SCOPE,
        },
    )
    municipality: forms.ModelChoiceField[Municipality] = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=None,
        required=False,
        empty_label=_("All municipalities"),
        error_messages={"invalid_choice": UNKNOWN_MUNICIPALITY},
    )

    def __init__(self, data=None, *, user, today=None, **kwargs):
        self.user = user
        self.today = today or timezone.localdate()
        data = data.copy() if data is not None else {}
        self.preset_error = None
        if data.get("period") or not (data.get("date_from") or data.get("date_to")):
            preset = data.get("period") or DEFAULT_PRESET
            if preset in dict(PRESETS):
                data = data.copy()
                data.pop("period", None)
                start, end = preset_period(preset, self.today)
                data["date_from"] = date_text(start)
                data["date_to"] = date_text(end)
            else:
                self.preset_error = UNKNOWN_PRESET
        super().__init__(data, **kwargs)
        scope = report_scope(user)
        self.fields["region"].queryset = scope
        self.fields["municipality"].queryset = Municipality.objects.filter(
            planning_region__in=scope
        ).select_related("planning_region")
        self.scope_is_national = user.is_national_admin

    def clean(self):
        cleaned = super().clean()
        if self.preset_error:
            raise forms.ValidationError(self.preset_error)
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if "date_from" in self.errors or "date_to" in self.errors:
            return cleaned
        if date_from is None or date_to is None:
            raise forms.ValidationError(BOTH_DATES_NEEDED)
        if date_to < date_from:
            self.add_error("date_to", INVERTED_PERIOD)
        if date_from < PROGRAMME_START:
            self.add_error("date_from", BEFORE_PROGRAMME % {"start": date_format(PROGRAMME_START)})
        limit = datetime.date(self.today.year + 1, 12, 31)
        if date_to > limit:
            self.add_error("date_to", TOO_FAR_AHEAD % {"limit": date_format(limit)})
        regions = cleaned.get("region")
        municipality = cleaned.get("municipality")
        if regions and municipality and municipality.planning_region not in regions:
            self.add_error("municipality", MUNICIPALITY_OUTSIDE_REGIONS)
        return cleaned

    def report_filters(self):
        """The validated choice as ReportFilters; call only when the form is valid."""
        chosen = list(self.cleaned_data["region"])
        return ReportFilters(
            date_from=self.cleaned_data["date_from"],
            date_to=self.cleaned_data["date_to"],
            regions=tuple(chosen or self.fields["region"].queryset),
            municipality=self.cleaned_data["municipality"],
            include_national_queue=self.scope_is_national
            and not chosen
            and self.cleaned_data["municipality"] is None,
        )


def report_filters_from_query(query: QueryDict, *, user: User) -> ReportFilters | None:
    """The filters of a stored query string, checked again against the user's scope as it
    is now (the worker's PDF); None when the form refuses them."""
    form = ReportForm(query, user=user)
    return form.report_filters() if form.is_valid() else None


class ClosePeriodForm(forms.Form):
    """The period a national administrator closes: any dd.mm.yyyy – dd.mm.yyyy range."""

    date_from = DateField(label=_("From"), widget=DATE_WIDGET)
    date_to = DateField(label=_("To"), widget=DATE_WIDGET)

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", INVERTED_PERIOD)
        return cleaned


class ReopenPeriodForm(forms.Form):
    """Why a closed period is reopened: kept with the period's record."""

    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: a return recorded in the wrong year, corrected on request."),
    )
