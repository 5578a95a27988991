"""The monthly trend: the figures of the breakdowns per calendar month of the period."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from coordinators.models import CaseEvent
from offers.models import Offer

from .definitions import FIGURE_KEYS
from .filters import ReportFilters
from .rows import CREATED, DECIDED, RETURNED, STATUS_CHANGED, complete, offer_rows


def _event_rows(filters: ReportFilters) -> QuerySet[CaseEvent]:
    """Events inside the period and scope that the monthly trend counts."""
    return CaseEvent.objects.filter(
        filters.case_q("case__"),
        filters.in_period("created_at"),
    ).filter(Q(kind=CREATED) | Q(kind=STATUS_CHANGED, to_value__in=[DECIDED, RETURNED]))


def _months(filters: ReportFilters) -> list[datetime.date]:
    """The first day of every calendar month the period touches."""
    month = filters.date_from.replace(day=1)
    months = []
    while month <= filters.date_to:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def monthly_trend(filters: ReportFilters) -> list[dict[str, Any]]:
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
        offer_rows(filters)
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
    by_month: dict[datetime.date | None, dict[str, int]] = {}
    for row in [*events, *households, *offers, *sent]:
        month = timezone.localtime(row["month"]).date() if row["month"] else None
        figures = by_month.setdefault(month, {})
        for name, value in row.items():
            if name in FIGURE_KEYS:
                figures[name] = figures.get(name, 0) + value
    return [{"month": month, **complete(by_month.get(month, {}))} for month in _months(filters)]
