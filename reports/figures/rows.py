"""The rows the figures count from, shared by the headline, the breakdowns and the trend, and
the sums over rows that the database has already aggregated."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from django.db.models import Aggregate, Count, OuterRef, Q, QuerySet, Subquery, Sum

from coordinators.models import Case, CaseEvent, HouseholdMember
from offers.models import Offer

from .definitions import FIGURE_KEYS
from .filters import ReportFilters

STATUS_CHANGED = CaseEvent.Kind.STATUS_CHANGED
CREATED = CaseEvent.Kind.CREATED
DECIDED = Case.Status.DECIDED_TO_RETURN
RETURNED = Case.Status.RETURNED
CLOSED = Case.Status.CLOSED
OPEN_STATUSES = [status for status in Case.Status.values if status not in Case.FINAL_STATUSES]


class CaseIdRow(TypedDict):
    """A row of `.values("case_id")`."""

    case_id: int


def changed_to(filters: ReportFilters, status: str) -> QuerySet[CaseEvent, CaseIdRow]:
    """Ids of the cases whose status changed to `status` within the period (a subquery)."""
    return CaseEvent.objects.filter(
        filters.in_period("created_at"), kind=STATUS_CHANGED, to_value=status
    ).values("case_id")


def case_rows(filters: ReportFilters) -> QuerySet[Case]:
    """The cases in scope that count in any case figure of the period: one row per case, so
    no figure needs COUNT(DISTINCT); `id IN (subquery)` is evaluated once, not per case."""
    return Case.objects.filter(filters.case_q()).filter(
        filters.in_period("created_at")
        | Q(pk__in=changed_to(filters, DECIDED))
        | Q(pk__in=changed_to(filters, RETURNED))
    )


def case_aggregates(filters: ReportFilters) -> dict[str, Aggregate]:
    """The case figures as aggregates over `case_rows`, by figure key."""
    returned = Q(pk__in=changed_to(filters, RETURNED))
    household_size = (
        HouseholdMember.objects.filter(returnee_id=OuterRef("returnee_id"))
        .order_by()
        .values("returnee_id")
        .annotate(size=Count("id"))
        .values("size")
    )
    return {
        "new_contacts": Count("id", filter=filters.in_period("created_at")),
        "wish_to_return": Count("id", filter=Q(pk__in=changed_to(filters, DECIDED))),
        "returned": Count("id", filter=returned),
        "household_returned": Sum(Subquery(household_size), filter=returned),
    }


def offer_rows(filters: ReportFilters) -> QuerySet[Offer]:
    """The offers in scope created or sent within the period."""
    return Offer.objects.filter(filters.case_q("case__")).filter(
        filters.in_period("created_at") | filters.in_period("sent_at")
    )


def offer_aggregates(filters: ReportFilters) -> dict[str, Aggregate]:
    """The offer figures as aggregates over `offer_rows`, by figure key."""
    return {
        "offers_prepared": Count("id", filter=filters.in_period("created_at")),
        "offers_sent": Count("id", filter=filters.in_period("sent_at")),
    }


def complete(figures: dict[str, Any]) -> dict[str, int]:
    """Every figure of FIGURE_KEYS (0 when missing), with the people returned added up."""
    figures = {key: figures.get(key) or 0 for key in FIGURE_KEYS}
    figures["people_returned"] = figures["returned"] + figures["household_returned"]
    return figures


def total(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Add up already aggregated rows (never more rows than groups, never one per case)."""
    result: dict[str, int] = {}
    for row in rows:
        for name in FIGURE_KEYS:
            result[name] = result.get(name, 0) + (row.get(name) or 0)
    return result
