"""Forms of the grant competition: they validate what was typed; the services decide."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import date_text
from common.fields import DateField
from common.versions import VersionField
from coordinators.models import User
from events.models import Event
from municipalities.models import PlanningRegion

from .models import DEFAULT_MAXIMUM, ActivityKind

CRITERION_LINE = _("Write each criterion as “name; weight; highest score”, one per line.")
CHAIR_IN_COMMITTEE = _("The chair must be one of the members chosen above.")
END_BEFORE_START = _("The end cannot be before the start.")


def money_field(label, **kwargs) -> forms.DecimalField:
    """An amount in EUR: cents at most, never negative."""
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=Decimal(0), **kwargs
    )


def parse_criteria(text: str) -> list[tuple[str, int, int]]:
    """'Relevance; 3; 5' per line → [(name, weight, highest score)]."""
    criteria = []
    for line in filter(None, (line.strip() for line in text.splitlines())):
        parts = [part.strip() for part in line.split(";")]
        try:
            name, weight, highest = parts[0], int(parts[1]), int(parts[2])
        except (IndexError, ValueError):
            raise ValidationError(CRITERION_LINE) from None
        if not name or not 1 <= weight <= 100 or not 1 <= highest <= 100:
            raise ValidationError(CRITERION_LINE)
        criteria.append((name, weight, highest))
    if not criteria:
        raise ValidationError(CRITERION_LINE)
    return criteria


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    planning_region = forms.ModelChoiceField(
        label=_("Planning region"), queryset=PlanningRegion.objects.all()
    )
    total_budget = money_field(_("Total budget (EUR)"))
    maximum_per_municipality = money_field(
        _("Maximum per municipality (EUR)"), initial=DEFAULT_MAXIMUM
    )
    deadline_date = DateField(label=_("Deadline (date)"), help_text=_("dd.mm.yyyy"))
    deadline_time = forms.TimeField(
        label=_("Deadline (time, Riga)"), initial=datetime.time(23, 59), help_text=_("hh:mm")
    )
    activity_kinds = forms.MultipleChoiceField(
        label=_("Eligible activities"),
        choices=ActivityKind.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=ActivityKind.values,
    )
    criteria = forms.CharField(
        label=_("Scoring criteria"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=CRITERION_LINE,
        initial=(
            "Atbilstība programmai; 3; 5\nSasniedzamā auditorija; 2; 5\nIzmaksu pamatotība; 1; 5"
        ),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Committee members"),
        queryset=User.objects.filter(is_active=True).exclude(role="").order_by("last_name"),
        widget=forms.CheckboxSelectMultiple,
    )
    chair = forms.ModelChoiceField(
        label=_("Chair"),
        queryset=User.objects.filter(is_active=True).exclude(role="").order_by("last_name"),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_national_admin:
            regions = PlanningRegion.objects.filter(pk=user.planning_region_id or 0)
            self.fields["planning_region"].queryset = regions  # type: ignore[attr-defined]
            self.fields["planning_region"].initial = user.planning_region_id

    def clean_criteria(self):
        return parse_criteria(self.cleaned_data["criteria"])

    def clean(self):
        data = super().clean()
        if data.get("deadline_date") and data.get("deadline_time"):
            data["deadline"] = timezone.make_aware(
                datetime.datetime.combine(data["deadline_date"], data["deadline_time"])
            )
        members = data.get("members")
        if data.get("chair") and members is not None and data["chair"] not in members:
            self.add_error("chair", CHAIR_IN_COMMITTEE)
        budget, maximum = data.get("total_budget"), data.get("maximum_per_municipality")
        if budget is not None and maximum is not None and maximum > budget:
            self.add_error("maximum_per_municipality", _("The maximum cannot exceed the budget."))
        return data


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = VersionField()


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Activity"), max_length=200)
    planned_start = DateField(label=_("Planned from"), help_text=_("dd.mm.yyyy"))
    planned_end = DateField(label=_("Planned to"), help_text=_("dd.mm.yyyy"))
    expected_reach = forms.IntegerField(
        label=_("Expected reach (people)"), min_value=0, max_value=1_000_000
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ActivityKind.choices)
        choices = [(kind, labels[kind]) for kind in kinds if kind in labels]
        self.fields["kind"].choices = choices  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", END_BEFORE_START)
        return data


class BudgetLineForm(forms.Form):
    description = forms.CharField(label=_("Cost item"), max_length=200, required=False)
    amount = money_field(_("Amount (EUR)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("description") and data.get("amount") is None:
            self.add_error("amount", _("Enter the amount of this cost."))
        if data.get("amount") is not None and not data.get("description"):
            self.add_error("description", _("Say what this cost is for."))
        return data


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=3, max_num=10)


class ScoreForm(forms.Form):
    """One field per criterion of the call, 0 to its highest score."""

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} (×{criterion.weight})",
                min_value=0,
                max_value=criterion.max_score,
                help_text=_("0 to %(maximum)s") % {"maximum": criterion.max_score},
                initial=(initial_scores or {}).get(criterion.pk),
            )

    def scores(self) -> dict[int, int]:
        return {int(name.split("_")[1]): value for name, value in self.cleaned_data.items()}


class ConflictForm(forms.Form):
    note = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class DecisionForm(forms.Form):
    """An awarded sum per submitted application, and the decision's note."""

    note = forms.CharField(
        label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = VersionField()

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        for result in results:
            application = result.application
            self.fields[f"award_{application.pk}"] = money_field(
                application.municipality.name,
                initial=application.awarded_amount,
                help_text=_("asked %(amount)s EUR") % {"amount": result.requested},
            )

    def awards(self) -> dict[int, Decimal]:
        return {
            int(name.split("_")[1]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("award_")
        }


class ActivityReportForm(forms.Form):
    done = forms.BooleanField(label=_("Done"), required=False)
    spent = money_field(_("Spent (EUR)"), required=False)
    people_reached = forms.IntegerField(
        label=_("People reached"), min_value=0, max_value=1_000_000, required=False
    )
    events_held = forms.IntegerField(
        label=_("Events held"), min_value=0, max_value=10_000, required=False
    )
    events = forms.ModelMultipleChoiceField(
        label=_("The portal's events it held"),
        queryset=Event.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The events of the call's planning region; their contacts are counted."),
    )
    reported_events = forms.CharField(
        label=_("Other events (title, place, date)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].queryset = events
        self.fields["events"].label_from_instance = event_label


def event_label(event: Event) -> str:
    return f"{event.title} ({date_text(timezone.localtime(event.starts_at).date())}, {event.city})"
