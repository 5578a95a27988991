"""The trend: the figures of the breakdowns per month of the period, rolled up into quarters
or years when the period is long (a chart of 105 months cannot be read on paper)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .definitions import FIGURE_KEYS
from .filters import ReportFilters
from .rows import complete, event_aggregates, event_rows, offers_prepared, offers_sent

# Up to this many months the trend is by month, up to QUARTERS_UP_TO by quarter, then by year.
MONTHS_UP_TO = 24
QUARTERS_UP_TO = 60


def _months(filters: ReportFilters) -> list[datetime.date]:
    """The first day of every calendar month the period touches."""
    month = filters.date_from.replace(day=1)
    months = []
    while month <= filters.date_to:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def trend_unit(filters: ReportFilters) -> str:
    """ "month", "quarter" or "year": what one point of the trend covers for this period."""
    count = len(_months(filters))
    if count <= MONTHS_UP_TO:
        return "month"
    return "quarter" if count <= QUARTERS_UP_TO else "year"


def _bucket(month: datetime.date, unit: str) -> datetime.date:
    """The first day of the month, quarter or year `month` falls in."""
    if unit == "year":
        return month.replace(month=1)
    if unit == "quarter":
        return month.replace(month=(month.month - 1) // 3 * 3 + 1)
    return month


def monthly_trend(filters: ReportFilters) -> list[dict[str, Any]]:
    """Per month (quarter, year: see `trend_unit`) of the period, the figures of the
    breakdowns, from the same rows as the headline, so the points add up to its totals:
    three grouped queries (counted events, offers prepared, offers sent). A point's
    "month" is the first day it covers."""
    events = (
        event_rows(filters)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(**event_aggregates())
        .order_by()
    )
    prepared = (
        offers_prepared(filters)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(offers_prepared=Count("id"))
        .order_by()
    )
    sent = (
        offers_sent(filters)
        .annotate(month=TruncMonth("sent_at"))
        .values("month")
        .annotate(offers_sent=Count("id"))
        .order_by()
    )
    unit = trend_unit(filters)
    by_point: dict[datetime.date | None, dict[str, int]] = {}
    for row in [*events, *prepared, *sent]:
        month = timezone.localtime(row["month"]).date() if row["month"] else None
        figures = by_point.setdefault(_bucket(month, unit) if month else None, {})
        for name, value in row.items():
            if name in FIGURE_KEYS:
                figures[name] = figures.get(name, 0) + (value or 0)
    points = list(dict.fromkeys(_bucket(month, unit) for month in _months(filters)))
    return [{"month": point, **complete(by_point.get(point, {}))} for point in points]
