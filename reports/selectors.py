"""Reads for the report page and its exports: every figure is a database aggregate.

Figures count from the append-only CaseEvent history and the Offer rows' own dates, so a
report for a past period gives the same numbers later, however the cases move on.
A fixed number of grouped queries (18) gives every figure whatever the number of cases;
Python only adds up already aggregated rows (roll-ups of a few groups), never cases.
The scope of every report is `report_scope(user)`, here and nowhere else.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from coordinators.models import Case, CaseEvent, HouseholdMember
from municipalities.models import Municipality, NeedCategory, PlanningRegion
from offers.models import Offer

PROGRAMME_START = datetime.date(2018, 3, 1)

STATUS_CHANGED = CaseEvent.Kind.STATUS_CHANGED
CREATED = CaseEvent.Kind.CREATED
DECIDED = Case.Status.DECIDED_TO_RETURN
RETURNED = Case.Status.RETURNED
CLOSED = Case.Status.CLOSED
OPEN_STATUSES = [status for status in Case.Status.values if status not in Case.FINAL_STATUSES]

# What each figure counts, shown on the page and in every export. Keep in step with the code.
DEFINITIONS = {
    "new_contacts": _(
        "New contacts: cases created within the period (the case's “created” event), "
        "by the source of the first contact."
    ),
    "active": _(
        "People in contact: cases created before the end of the period whose status at the "
        "end of the period (the last status in the case history up to then) was neither "
        "“returned” nor “closed”."
    ),
    "offers_prepared": _(
        "Individual offers prepared: offers created within the period; every new version of "
        "an offer counts."
    ),
    "offers_sent": _("Individual offers sent: offers whose sending date is within the period."),
    "wish_to_return": _(
        "Expressed the wish to return: cases whose status changed to “decided to return” "
        "within the period; a case counts once however often it changed."
    ),
    "returned": _(
        "Returned: cases whose status changed to “returned” within the period; a case counts once."
    ),
    "household_returned": _(
        "Household members who returned with them: for each returned case, the members of "
        "the returnee's household (partners, children, parents, other relatives), counted "
        "separately."
    ),
    "people_returned": _("People returned in total: returned cases plus their household members."),
    "closed": _(
        "Closed: cases whose status changed to “closed” within the period, by the reason "
        "given when they were closed (a case closed twice for different reasons counts "
        "under each)."
    ),
    "median_offer": _(
        "Median days to the first offer: for the cases whose first offer was created within "
        "the period, the median of the days from the case's creation to that offer."
    ),
    "median_return": _(
        "Median days to return: for the cases that returned within the period, the median of "
        "the days from the case's creation to its first “returned” status in the period."
    ),
    "funnel": _(
        "Funnel: the cases created within the period and how many of them reached each step "
        "(or a later one) by the end of the period. A person may return without an offer, so "
        "a later step also counts for the earlier ones."
    ),
    "case_export": _(
        "Case-level CSV: one row per case created up to the end of the period, in the chosen "
        "regions and municipality; no names, contact details or notes."
    ),
    "breakdowns": _(
        "Breakdowns use the case's current planning region, municipality of interest, the "
        "returnee's country of residence, the case's needs and planned timeframe. A case with "
        "several needs counts once under each of them."
    ),
}


def report_scope(user):
    """The planning regions whose figures the user may see: THE scoping rule of reports.

    National administrators: all regions (and the national queue); regional coordinators and
    planning-region analysts: their own region; everybody else: none.
    """
    if not (user.is_authenticated and user.is_active):
        return PlanningRegion.objects.none()
    if user.is_national_admin:
        return PlanningRegion.objects.all()
    if user.is_regional_coordinator or user.is_regional_analyst:
        return PlanningRegion.objects.filter(pk=user.planning_region_id)
    return PlanningRegion.objects.none()


def reports_allowed(user):
    """Whether the user may open reports at all (municipal specialists may not)."""
    return report_scope(user).exists()


@dataclass(frozen=True)
class ReportFilters:
    """A validated report request: a period of whole days, regions within scope, a municipality.

    `include_national_queue` is true only for a national administrator who chose no region:
    then cases not yet given to a region count too.
    """

    date_from: datetime.date
    date_to: datetime.date
    regions: tuple = ()
    municipality: Municipality | None = None
    include_national_queue: bool = False

    @property
    def start(self):
        return _local_midnight(self.date_from)

    @property
    def end(self):
        """The first moment after the period (exclusive bound)."""
        return _local_midnight(self.date_to + datetime.timedelta(days=1))

    def case_q(self, prefix=""):
        """The scope as a Q on Case, or on a model related to Case through `prefix`."""
        q = Q()
        if self.municipality is not None:
            q &= Q(**{f"{prefix}municipality_id": self.municipality.pk})
        region_q = Q(**{f"{prefix}planning_region_id__in": [r.pk for r in self.regions]})
        if self.include_national_queue:
            region_q |= Q(**{f"{prefix}planning_region__isnull": True})
        return q & region_q

    def in_period(self, field_name):
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lt": self.end})


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class Breakdown:
    """One table of the report: rows of figures for each value of one dimension."""

    key: str
    title: str
    heading: str
    rows: list = field(default_factory=list)

    def table(self):
        """Rows as (label, [figures in BREAKDOWN_COLUMNS order]) for templates."""
        return [
            (row["label"], [row[key] for key, _label in BREAKDOWN_COLUMNS]) for row in self.rows
        ]


@dataclass
class Report:
    filters: ReportFilters
    headline: dict
    sources: list
    closed_by_reason: list
    breakdowns: list
    trend: list
    funnel: list
    generated_at: datetime.datetime

    def breakdown(self, key):
        return next(b for b in self.breakdowns if b.key == key)

    def headline_rows(self):
        return [
            {"key": key, "label": label, "value": self.headline[key], "definition": DEFINITIONS[d]}
            for key, label, d in HEADLINES
        ]

    def trend_table(self):
        return [
            (point["month"], [point[key] for key, _label in BREAKDOWN_COLUMNS])
            for point in self.trend
        ]


FIGURE_KEYS = (
    "new_contacts",
    "offers_prepared",
    "offers_sent",
    "wish_to_return",
    "returned",
    "household_returned",
    "people_returned",
)


def _event_rows(filters):
    """Events inside the period and scope that the monthly trend counts."""
    return CaseEvent.objects.filter(
        filters.case_q("case__"),
        filters.in_period("created_at"),
    ).filter(Q(kind=CREATED) | Q(kind=STATUS_CHANGED, to_value__in=[DECIDED, RETURNED]))


def _changed_to(filters, status):
    """Ids of the cases whose status changed to `status` within the period (a subquery)."""
    return CaseEvent.objects.filter(
        filters.in_period("created_at"), kind=STATUS_CHANGED, to_value=status
    ).values("case_id")


def _case_rows(filters):
    """The cases in scope that count in any case figure of the period: one row per case, so
    no figure needs COUNT(DISTINCT); `id IN (subquery)` is evaluated once, not per case."""
    return Case.objects.filter(filters.case_q()).filter(
        filters.in_period("created_at")
        | Q(pk__in=_changed_to(filters, DECIDED))
        | Q(pk__in=_changed_to(filters, RETURNED))
    )


def _case_aggregates(filters):
    returned = Q(pk__in=_changed_to(filters, RETURNED))
    household_size = (
        HouseholdMember.objects.filter(returnee_id=OuterRef("returnee_id"))
        .order_by()
        .values("returnee_id")
        .annotate(size=Count("id"))
        .values("size")
    )
    return {
        "new_contacts": Count("id", filter=filters.in_period("created_at")),
        "wish_to_return": Count("id", filter=Q(pk__in=_changed_to(filters, DECIDED))),
        "returned": Count("id", filter=returned),
        "household_returned": Sum(Subquery(household_size), filter=returned),
    }


def _offer_rows(filters):
    return Offer.objects.filter(filters.case_q("case__")).filter(
        filters.in_period("created_at") | filters.in_period("sent_at")
    )


def _offer_aggregates(filters):
    return {
        "offers_prepared": Count("id", filter=filters.in_period("created_at")),
        "offers_sent": Count("id", filter=filters.in_period("sent_at")),
    }


def _complete(figures):
    figures = {key: figures.get(key) or 0 for key in FIGURE_KEYS}
    figures["people_returned"] = figures["returned"] + figures["household_returned"]
    return figures


def headline_figures(filters, groups):
    """The headline numbers: the case and offer figures are the total of `groups` (see
    `figure_groups`); active cases and the medians are queries of their own."""
    figures = _complete(_total(groups))
    figures["active"] = active_case_count(filters)
    figures["median_offer"] = median_days_to_first_offer(filters)
    figures["median_return"] = median_days_to_return(filters)
    return figures


def _total(rows):
    """Add up already aggregated rows (never more rows than groups, never one per case)."""
    total = {}
    for row in rows:
        for name in FIGURE_KEYS:
            total[name] = total.get(name, 0) + (row.get(name) or 0)
    return total


def active_case_count(filters):
    """Cases open at the end of the period, read from the history, not the current status.

    `case_transition` writes Case.status_changed_at and the status event in one transaction,
    so a case whose last change is before the end of the period still has the status it had
    then; only the cases changed later read their history (the last status event before the
    end). The CASE makes the database skip the history for the others.
    """
    status_from_history = (
        CaseEvent.objects.filter(
            case=OuterRef("pk"), kind__in=[CREATED, STATUS_CHANGED], created_at__lt=filters.end
        )
        .order_by("-created_at", "-id")
        .values("to_value")[:1]
    )
    status_at_end = models.Case(
        When(status_changed_at__lt=filters.end, then=F("status")),
        default=Subquery(status_from_history),
    )
    return (
        Case.objects.filter(filters.case_q(), created_at__lt=filters.end)
        .alias(status_at_end=status_at_end)
        .filter(status_at_end__in=OPEN_STATUSES)
        .count()
    )


def new_contacts_by_source(filters):
    counts = dict(
        Case.objects.filter(filters.case_q(), filters.in_period("created_at"))
        .values_list("source")
        .annotate(count=Count("id"))
        .order_by()
    )
    return [
        {"key": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Case.Source.choices
    ]


def closed_by_reason(filters):
    """Cases closed in the period by the reason given at the closing, which the closing event
    records (one grouped query over the period's closing events). A case closed twice in the
    period for different reasons counts under each."""
    counts = dict(
        CaseEvent.objects.filter(
            filters.case_q("case__"),
            filters.in_period("created_at"),
            kind=STATUS_CHANGED,
            to_value=CLOSED,
        )
        .values_list("closed_reason")
        .annotate(count=Count("case_id", distinct=True))
        .order_by()
    )
    return [
        {"key": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Case.ClosedReason.choices
    ]


def _median(queryset, expression):
    """The median of `expression` over `queryset`, without fetching the whole list: a COUNT,
    then the one or two middle values through ORDER BY ... OFFSET (works on SQLite too,
    which has no percentile function). Returns days as a float, or None when empty."""
    queryset = queryset.annotate(days_value=expression).order_by("days_value")
    total = queryset.count()
    if not total:
        return None
    middle = list(queryset.values_list("days_value", flat=True)[(total - 1) // 2 : total // 2 + 1])
    seconds = sum(value.total_seconds() for value in middle) / len(middle)
    return round(seconds / 86400, 1)


def median_days_to_first_offer(filters):
    first_offers = (
        Offer.objects.filter(filters.case_q("case__"))
        .values("case_id")
        .annotate(first_offer_at=Min("created_at"))
        .filter(first_offer_at__gte=filters.start, first_offer_at__lt=filters.end)
    )
    return _median(
        first_offers,
        ExpressionWrapper(F("first_offer_at") - F("case__created_at"), DurationField()),
    )


def median_days_to_return(filters):
    returns = (
        CaseEvent.objects.filter(
            filters.case_q("case__"),
            filters.in_period("created_at"),
            kind=STATUS_CHANGED,
            to_value=RETURNED,
        )
        .values("case_id")
        .annotate(returned_at=Min("created_at"))
    )
    return _median(
        returns, ExpressionWrapper(F("returned_at") - F("case__created_at"), DurationField())
    )


# The dimensions of the breakdowns: the Case field they group by, and how a value is named.
def _region_label(row):
    return row["planning_region__name"] or _("not decided yet (national queue)")


def _municipality_label(row):
    return row["municipality__name"] or _("not chosen")


def _country_label(row):
    code = row["returnee__country"]
    return countries.name(code) if code else _("not known")


def _need_label(row):
    if row["needs__code"] is None:
        return _("no needs recorded")
    return NeedCategory(name=row["needs__name"], name_en=row["needs__name_en"]).label


def _timeframe_label(row):
    value = row["timeframe"]
    return Case.Timeframe(value).label if value in Case.Timeframe.values else _("not stated")


DIMENSIONS = (
    (
        "region",
        _("By planning region"),
        _("Planning region"),
        ("planning_region__name",),
        _region_label,
    ),
    (
        "municipality",
        _("By municipality of return"),
        _("Municipality"),
        ("municipality__name",),
        _municipality_label,
    ),
    (
        "country",
        _("By country of residence"),
        _("Country"),
        ("returnee__country",),
        _country_label,
    ),
    (
        "need",
        _("By need category"),
        _("Need"),
        ("needs__code", "needs__name", "needs__name_en"),
        _need_label,
    ),
    (
        "timeframe",
        _("By planned timeframe"),
        _("Timeframe"),
        ("timeframe",),
        _timeframe_label,
    ),
)


# The case attributes one grouped query counts by; every breakdown except needs (a case may
# have several) and the headline totals are sums over these groups.
GROUP_FIELDS = ("planning_region__name", "municipality__name", "returnee__country", "timeframe")


def _grouped_figures(filters, fields):
    """Case and offer figures grouped by `fields`: one query over cases, one over offers."""
    case_rows = _case_rows(filters).values(*fields).annotate(**_case_aggregates(filters))
    offer_rows = (
        _offer_rows(filters)
        .values(*[f"case__{name}" for name in fields])
        .annotate(**_offer_aggregates(filters))
    )
    offer_rows = [
        {name.removeprefix("case__"): value for name, value in row.items()}
        for row in offer_rows.order_by()
    ]
    return [*case_rows.order_by(), *offer_rows]


def figure_groups(filters):
    """The figures per (region, municipality, country, timeframe): the source of four
    breakdowns and of the headline totals, so they always add up to the same numbers."""
    return _grouped_figures(filters, GROUP_FIELDS)


def _roll_up(rows, key):
    """A Breakdown from grouped rows: add up the rows that share the dimension's value."""
    _key, title, heading, fields, label = next(d for d in DIMENSIONS if d[0] == key)
    merged = {}
    for row in rows:
        group = tuple(row[name] for name in fields)
        merged.setdefault(group, {"label": str(label(row)), "rows": []})["rows"].append(row)
    result = [
        {"label": item["label"], **_complete(_total(item["rows"]))} for item in merged.values()
    ]
    result.sort(key=lambda row: (-row["people_returned"], -row["new_contacts"], row["label"]))
    return Breakdown(key=key, title=title, heading=heading, rows=result)


def breakdowns(filters, groups):
    """All breakdowns: roll-ups of `groups`, and one query pair for the needs."""
    needs_fields = next(d for d in DIMENSIONS if d[0] == "need")[3]
    return [
        _roll_up(_grouped_figures(filters, needs_fields), key)
        if key == "need"
        else _roll_up(groups, key)
        for key, *_rest in DIMENSIONS
    ]


def _months(filters):
    month = filters.date_from.replace(day=1)
    months = []
    while month <= filters.date_to:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def monthly_trend(filters):
    """Per calendar month of the period, the figures of the breakdowns (three grouped
    queries: events, household members of the returned, offers). A case that changed to
    "returned" twice in one month counts once in that month."""
    returned = Q(kind=STATUS_CHANGED, to_value=RETURNED)
    events = (
        _event_rows(filters)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            # One "created" event per case: no DISTINCT needed.
            new_contacts=Count("id", filter=Q(kind=CREATED)),
            wish_to_return=Count(
                "case_id", distinct=True, filter=Q(kind=STATUS_CHANGED, to_value=DECIDED)
            ),
            returned=Count("case_id", distinct=True, filter=returned),
        )
        .order_by()
    )
    households = (
        CaseEvent.objects.filter(filters.case_q("case__"), filters.in_period("created_at"))
        .filter(returned)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(household_returned=Count("case__returnee__household", distinct=True))
        .order_by()
    )
    offers = (
        _offer_rows(filters)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(offers_prepared=Count("id", filter=filters.in_period("created_at")))
        .order_by()
    )
    sent = (
        Offer.objects.filter(filters.case_q("case__"), filters.in_period("sent_at"))
        .annotate(month=TruncMonth("sent_at"))
        .values("month")
        .annotate(offers_sent=Count("id"))
        .order_by()
    )
    by_month = {}
    for row in [*events, *households, *offers, *sent]:
        month = timezone.localtime(row["month"]).date() if row["month"] else None
        figures = by_month.setdefault(month, {})
        for name, value in row.items():
            if name in FIGURE_KEYS:
                figures[name] = figures.get(name, 0) + value
    return [{"month": month, **_complete(by_month.get(month, {}))} for month in _months(filters)]


FUNNEL_STEPS = (
    ("new_contacts", _("New contacts")),
    ("offer_prepared", _("Offer prepared")),
    ("offer_sent", _("Offer sent")),
    ("wish_to_return", _("Wish to return")),
    ("returned", _("Returned")),
)


def funnel(filters):
    """The cases created in the period and the furthest step each reached by its end.

    One grouped query: a CASE gives each case of the cohort its furthest step, testing
    `id IN (subquery)` from the last step back; the database evaluates each subquery once.
    A case's events and offers cannot be older than the case, so the subqueries only read
    rows from the start of the period on."""
    in_period = filters.in_period("created_at")

    def reached(status):
        return Q(
            pk__in=CaseEvent.objects.filter(in_period, kind=STATUS_CHANGED, to_value=status).values(
                "case_id"
            )
        )

    offers = Offer.objects.filter(case__created_at__gte=filters.start)
    furthest = models.Case(
        When(reached(RETURNED), then=Value(4)),
        When(reached(DECIDED), then=Value(3)),
        When(Q(pk__in=offers.filter(sent_at__lt=filters.end).values("case_id")), then=Value(2)),
        When(Q(pk__in=offers.filter(created_at__lt=filters.end).values("case_id")), then=Value(1)),
        default=Value(0),
    )
    by_step = dict(
        Case.objects.filter(filters.case_q(), in_period)
        .annotate(furthest=furthest)
        .values_list("furthest")
        .annotate(count=Count("id"))
        .order_by()
    )
    steps = []
    first = sum(by_step.values())
    previous = None
    for index, (key, label) in enumerate(FUNNEL_STEPS):
        count = sum(number for step, number in by_step.items() if step >= index)
        steps.append(
            {
                "key": key,
                "label": label,
                "count": count,
                "of_previous": _rate(count, previous),
                "of_first": _rate(count, first),
                "of_previous_percent": _percent(_rate(count, previous)),
                "of_first_percent": _percent(_rate(count, first)),
            }
        )
        previous = count
    return steps


def _percent(rate):
    return None if rate is None else round(rate * 100, 1)


def _rate(count, base):
    if base is None or not base:
        return None
    return count / base


def report_build(filters):
    """Every figure of the report for validated filters, in a constant number of queries."""
    groups = figure_groups(filters)
    return Report(
        filters=filters,
        headline=headline_figures(filters, groups),
        sources=new_contacts_by_source(filters),
        closed_by_reason=closed_by_reason(filters),
        breakdowns=breakdowns(filters, groups),
        trend=monthly_trend(filters),
        funnel=funnel(filters),
        generated_at=timezone.now(),
    )


CASE_EXPORT_COLUMNS = (
    ("reference", _("Reference")),
    ("planning_region__code", _("Planning region")),
    ("municipality__name", _("Municipality")),
    ("returnee__country", _("Country of residence")),
    ("source", _("Source")),
    ("timeframe", _("Planned timeframe")),
    ("status", _("Status now")),
    ("closed_reason", _("Closing reason")),
    ("created_at", _("Created")),
    ("first_offer_at", _("First offer prepared")),
    ("first_sent_at", _("First offer sent")),
    ("decided_at", _("First wish to return")),
    ("returned_at", _("First return")),
    ("household_size", _("Household members")),
)


def case_export_rows(filters):
    """One row per case created up to the end of the period, for national administrators:
    no names, no contact details, no notes. Returns a values_list queryset to iterate."""

    def first_event(status):
        return Subquery(
            CaseEvent.objects.filter(case=OuterRef("pk"), kind=STATUS_CHANGED, to_value=status)
            .order_by("created_at")
            .values("created_at")[:1]
        )

    offers = Offer.objects.filter(case=OuterRef("pk"))
    needs = list(NeedCategory.objects.all())
    need_columns = {
        f"need_{need.code}": Exists(
            Case.needs.through.objects.filter(case_id=OuterRef("pk"), needcategory_id=need.pk)
        )
        for need in needs
    }
    household = (
        HouseholdMember.objects.filter(returnee_id=OuterRef("returnee_id"))
        .order_by()
        .values("returnee_id")
        .annotate(count=Count("id"))
        .values("count")
    )
    queryset = (
        Case.objects.filter(filters.case_q(), created_at__lt=filters.end)
        .annotate(
            first_offer_at=Subquery(offers.order_by("created_at").values("created_at")[:1]),
            first_sent_at=Subquery(
                offers.filter(sent_at__isnull=False).order_by("sent_at").values("sent_at")[:1]
            ),
            decided_at=first_event(DECIDED),
            returned_at=first_event(RETURNED),
            household_size=Subquery(household),
            **need_columns,
        )
        .order_by("pk")
    )
    names = [name for name, _label in CASE_EXPORT_COLUMNS] + list(need_columns)
    return queryset.values_list(*names), needs


# The headline table, in the order the page and every export show it.
HEADLINES = (
    ("new_contacts", _("New contacts"), "new_contacts"),
    ("active", _("People in contact (active cases at the end of the period)"), "active"),
    ("offers_prepared", _("Individual offers prepared"), "offers_prepared"),
    ("offers_sent", _("Individual offers sent"), "offers_sent"),
    ("wish_to_return", _("Expressed the wish to return"), "wish_to_return"),
    ("returned", _("Returned (cases)"), "returned"),
    ("household_returned", _("Household members who returned with them"), "household_returned"),
    ("people_returned", _("People returned in total"), "people_returned"),
    ("median_offer", _("Median days from first contact to first offer"), "median_offer"),
    ("median_return", _("Median days from first contact to return"), "median_return"),
)

BREAKDOWN_COLUMNS = (
    ("new_contacts", _("New contacts")),
    ("offers_prepared", _("Offers prepared")),
    ("offers_sent", _("Offers sent")),
    ("wish_to_return", _("Wish to return")),
    ("returned", _("Returned")),
    ("household_returned", _("Household members")),
    ("people_returned", _("People returned")),
)
