"""The trend: the figures of the breakdowns per month of the period, or per quarter or year
when the period is long (a chart of 105 months cannot be read on paper). The points come
from the grouped pass of `breakdowns` (which groups by the point too), not a query of their
own."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.db.models.functions.datetime import TruncBase
from django.utils import timezone

from .definitions import FIGURE_KEYS
from .filters import ReportFilters
from .rows import complete

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


# What the database truncates a row's moment to, for each unit of the trend.
TRUNCATE = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def trend_point(filters: ReportFilters, field_name: str) -> TruncBase:
    """The expression giving a row's trend point (the first moment of its month, quarter
    or year, in the current time zone), for the grouped pass of `breakdowns`."""
    return TRUNCATE[trend_unit(filters)](field_name)


def monthly_trend(filters: ReportFilters, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per month (quarter, year: see `trend_unit`) of the period, the figures of the
    breakdowns: sums of the grouped rows of `breakdowns.figure_groups` (each carries its
    "point"), the same rows as the headline, so the points add up to its totals and no
    query of its own is needed. A point's "month" is the first day it covers."""
    unit = trend_unit(filters)
    by_point: dict[datetime.date | None, dict[str, int]] = {}
    for row in groups:
        point = timezone.localtime(row["point"]).date() if row["point"] else None
        figures = by_point.setdefault(point, {})
        for name, value in row.items():
            if name in FIGURE_KEYS:
                figures[name] = figures.get(name, 0) + (value or 0)
    points = list(dict.fromkeys(_bucket(month, unit) for month in _months(filters)))
    return [{"month": point, **complete(by_point.get(point, {}))} for point in points]
