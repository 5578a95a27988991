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
    QuerySet,
    Subquery,
    When,
)

from coordinators.models import Case, CaseEvent
from offers.models import Offer

from .filters import ReportFilters
from .rows import CLOSED, CREATED, OPEN_STATUSES, RETURNED, STATUS_CHANGED, complete, total


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


def new_contacts_by_source(filters: ReportFilters) -> list[dict[str, Any]]:
    """The cases created in the period by the source of the first contact, every source listed."""
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


def closed_by_reason(filters: ReportFilters) -> list[dict[str, Any]]:
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
        Offer.objects.filter(filters.case_q("case__"))
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
