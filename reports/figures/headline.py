"""The headline numbers of a report, and the two small tables next to them: new contacts by
source and closed cases by reason."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import (
    Count,
    DurationField,
    Expression,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)

from coordinators.models import Case, CaseEvent
from offers.models import Offer

from .filters import ReportFilters
from .rows import (
    CLOSED,
    CREATED,
    OPEN_STATUSES,
    PREPARED_SCOPE,
    RETURNED,
    STATUS_CHANGED,
    complete,
    total,
)


def headline_figures(
    filters: ReportFilters, groups: list[dict[str, Any]]
) -> dict[str, int | float | None]:
    """The headline numbers: the case and offer figures are the total of `groups` (see
    `breakdowns.figure_groups`); active cases and the medians are queries of their own."""
    return {
        **complete(total(groups)),
        "active": active_case_count(filters),
        "median_offer": median_days_to_first_offer(filters),
        "median_return": median_days_to_return(filters),
    }


def active_case_count(filters: ReportFilters) -> int:
    """Cases open at the end of the period and in scope then, read from the history, not
    from the case as it is now.

    `case_transition` writes Case.status_changed_at and the status event in one transaction,
    so a case whose last change is before the end of the period still has the status it had
    then; only the cases changed later read their history (the last status event before the
    end). The same for the region and municipality: a case not saved since the end of the
    period is where it was then, the others read the snapshot of their last event before
    the end. The CASEs make the database skip the history for the others.
    """
    before_end = CaseEvent.objects.filter(case=OuterRef("pk"), created_at__lt=filters.end)
    status_from_history = (
        before_end.filter(kind__in=[CREATED, STATUS_CHANGED])
        .order_by("-created_at", "-id")
        .values("to_value")[:1]
    )
    last_event = before_end.order_by("-created_at", "-id")
    unchanged = Q(updated_at__lt=filters.end)
    return (
        Case.objects.filter(created_at__lt=filters.end)
        .alias(
            status_at_end=models.Case(
                When(status_changed_at__lt=filters.end, then=F("status")),
                default=Subquery(status_from_history),
            ),
            region_at_end=models.Case(
                When(unchanged, then=F("planning_region_id")),
                default=Subquery(last_event.values("planning_region_id")[:1]),
                output_field=models.BigIntegerField(),
            ),
            municipality_at_end=models.Case(
                When(unchanged, then=F("municipality_id")),
                default=Subquery(last_event.values("municipality_id")[:1]),
                output_field=models.BigIntegerField(),
            ),
        )
        .filter(filters.case_q(region="region_at_end", municipality="municipality_at_end"))
        .filter(status_at_end__in=OPEN_STATUSES)
        .count()
    )


def new_contacts_by_source(filters: ReportFilters) -> list[dict[str, Any]]:
    """The cases created in the period by the source of the first contact, every source
    listed; scoped by where the case was when it was created (its "created" event)."""
    counts = dict(
        CaseEvent.objects.filter(filters.case_q(), filters.in_period("created_at"), kind=CREATED)
        .values_list("case__source")
        .annotate(count=Count("id"))
        .order_by()
    )
    return [
        {"key": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Case.Source.choices
    ]


def closed_by_reason(filters: ReportFilters) -> list[dict[str, Any]]:
    """Cases closed in the period by the reason given at the closing, which the closing event
    records (one grouped query over the period's closing events, scoped by their
    snapshots). A case closed twice in the period for different reasons counts under each."""
    counts = dict(
        CaseEvent.objects.filter(
            filters.case_q(),
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


def _median(queryset: QuerySet[Any], expression: Expression) -> float | None:
    """The median of `expression` over `queryset`, without fetching the whole list: a COUNT,
    then the one or two middle values through ORDER BY ... OFFSET (works on SQLite too,
    which has no percentile function). Returns days as a float, or None when empty."""
    queryset = queryset.annotate(days_value=expression).order_by("days_value")
    count = queryset.count()
    if not count:
        return None
    middle = list(queryset.values_list("days_value", flat=True)[(count - 1) // 2 : count // 2 + 1])
    seconds: float = sum(value.total_seconds() for value in middle) / len(middle)
    return round(seconds / 86400, 1)


def median_days_to_first_offer(filters: ReportFilters) -> float | None:
    """Median days from a case's creation to its first offer, if that offer is in the period."""
    first_offers = (
        Offer.objects.filter(filters.case_q(**PREPARED_SCOPE))
        .values("case_id")
        .annotate(first_offer_at=Min("created_at"))
        .filter(first_offer_at__gte=filters.start, first_offer_at__lt=filters.end)
    )
    return _median(
        first_offers,
        ExpressionWrapper(F("first_offer_at") - F("case__created_at"), DurationField()),
    )


def median_days_to_return(filters: ReportFilters) -> float | None:
    """Median days from a case's creation to its first "returned" status in the period."""
    returns = (
        CaseEvent.objects.filter(
            filters.case_q(),
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
