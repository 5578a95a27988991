"""The rows the figures count from, shared by the headline, the breakdowns and the trend, and
the sums over rows that the database has already aggregated.

Every figure counts rows that keep what the count needs as it was at that moment: a
CaseEvent's snapshot of the case's region and municipality (and, on a return, of the
household's size), an Offer's snapshot of where the case was when it was prepared and when
it was sent. The scope of a report is applied to those snapshots, so a region's figures are
those of the events that happened while the case was in that region, and no later
transfer, edit, household change or erasure alters a closed period.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from django.db.models import Aggregate, Count, Min, Q, QuerySet, Sum

from coordinators.models import Case, CaseEvent
from offers.models import Offer

from .definitions import FIGURE_KEYS
from .filters import ReportFilters

STATUS_CHANGED = CaseEvent.Kind.STATUS_CHANGED
CREATED = CaseEvent.Kind.CREATED
DECIDED = Case.Status.DECIDED_TO_RETURN
RETURNED = Case.Status.RETURNED
CLOSED = Case.Status.CLOSED
OPEN_STATUSES = [status for status in Case.Status.values if status not in Case.FINAL_STATUSES]

# The scope of the offer figures: where the case was when the version was prepared / sent.
PREPARED_SCOPE = {"region": "prepared_region_id", "municipality": "prepared_municipality_id"}
SENT_SCOPE = {"region": "sent_region_id", "municipality": "sent_municipality_id"}


class CaseIdRow(TypedDict):
    """A row of `.values("case_id")`."""

    case_id: int


# A step undone (coordinators.services.pipeline.case_final_step_undo) is not counted, nor
# is the undo itself (an undone "closed" comes back to "returned": no second return).
COUNTED = Q(undoes__isnull=True, undone_by__isnull=True)


def changed_to(filters: ReportFilters, status: str) -> QuerySet[CaseEvent, CaseIdRow]:
    """Ids of the cases whose status changed to `status` within the period and the scope
    (a subquery)."""
    return CaseEvent.objects.filter(
        COUNTED,
        filters.case_q(),
        filters.in_period("created_at"),
        kind=STATUS_CHANGED,
        to_value=status,
    ).values("case_id")


def first_changes(filters: ReportFilters, status: str) -> QuerySet[CaseEvent, Any]:
    """The id of each case's first change to `status` within the period and the scope (an
    uncorrelated subquery, evaluated once): a case counts once however often it changed."""
    return (
        CaseEvent.objects.filter(
            COUNTED,
            filters.case_q(),
            filters.in_period("created_at"),
            kind=STATUS_CHANGED,
            to_value=status,
        )
        .order_by()
        .values("case_id")
        .annotate(first=Min("id"))
        .values("first")
    )


def event_rows(filters: ReportFilters) -> QuerySet[CaseEvent]:
    """The events the case figures count: the "created" events of the period and each
    case's first change to "decided to return" and to "returned" in it, within the scope
    (by the events' snapshots). One row per counted fact, so no figure needs DISTINCT."""
    return CaseEvent.objects.filter(filters.case_q()).filter(
        Q(filters.in_period("created_at"), kind=CREATED)
        | Q(pk__in=first_changes(filters, DECIDED))
        | Q(pk__in=first_changes(filters, RETURNED))
    )


def event_aggregates() -> dict[str, Aggregate]:
    """The case figures as aggregates over `event_rows`, by figure key."""
    returned = Q(kind=STATUS_CHANGED, to_value=RETURNED)
    return {
        "new_contacts": Count("id", filter=Q(kind=CREATED)),
        "wish_to_return": Count("id", filter=Q(kind=STATUS_CHANGED, to_value=DECIDED)),
        "returned": Count("id", filter=returned),
        "household_returned": Sum("household_size", filter=returned),
    }


def offers_prepared(filters: ReportFilters) -> QuerySet[Offer]:
    """The offer versions prepared within the period, where the case was then in scope."""
    return Offer.objects.filter(filters.case_q(**PREPARED_SCOPE), filters.in_period("created_at"))


def offers_sent(filters: ReportFilters) -> QuerySet[Offer]:
    """The offer versions sent within the period, where the case was then in scope."""
    return Offer.objects.filter(filters.case_q(**SENT_SCOPE), filters.in_period("sent_at"))


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
