"""A whole report: every figure family for one set of validated filters."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from .breakdowns import Breakdown, breakdowns, figure_groups
from .definitions import BREAKDOWN_COLUMNS, DEFINITIONS, HEADLINES, MINISTRY_FIGURES
from .filters import ReportFilters
from .funnel import funnel
from .headline import closed_by_reason, headline_figures, new_contacts_by_source
from .trend import monthly_trend, trend_unit


@dataclass(frozen=True)
class Closing:
    """When and by whom the period of a report was closed (its figures are the stored ones)."""

    closed_at: datetime.datetime
    closed_by: str
    # False when the report's scope (a municipality, a choice of regions) is not one the
    # closing stored: the figures are live, and the page says so.
    stored: bool = True
    period_id: int | None = None


@dataclass
class Report:
    """Every figure of one report, as the page, the charts and the exports show them."""

    filters: ReportFilters
    headline: dict[str, int | float | None]
    sources: list[dict[str, Any]]
    closed_by_reason: list[dict[str, Any]]
    breakdowns: list[Breakdown]
    trend: list[dict[str, Any]]
    funnel: list[dict[str, Any]]
    generated_at: datetime.datetime
    # What one point of `trend` covers: "month", "quarter" or "year" (see trend.trend_unit).
    trend_unit: str = "month"
    # Of a closed period (reports.figures.stored): when it was closed, and live − stored for
    # the figures that changed since ({"headline": {key: delta}, "any": bool}); the small
    # tables carry a "correction" per row, the breakdowns their `corrections` rows.
    closing: Closing | None = None
    corrections: dict[str, Any] | None = None
    trend_corrections: list[tuple[str, list[int]]] = field(default_factory=list)

    def breakdown(self, key: str) -> Breakdown:
        """The breakdown of the dimension `key` (see `breakdowns.DIMENSIONS`)."""
        return next(b for b in self.breakdowns if b.key == key)

    def headline_rows(self) -> list[dict[str, Any]]:
        """The headline figures in HEADLINES order, each with its label and definition, and
        whether it is one the regions report to the ministry."""
        return [
            {
                "key": key,
                "label": label,
                "value": self.headline[key],
                "definition": DEFINITIONS[d],
                "ministry": key in MINISTRY_FIGURES,
                "correction": self.corrections["headline"].get(key) if self.corrections else None,
            }
            for key, label, d in HEADLINES
        ]

    def trend_label(self, start: datetime.date) -> str:
        """A trend point as the tables name it: 03.2022, 2022 Q1 or 2022."""
        if self.trend_unit == "year":
            return f"{start:%Y}"
        if self.trend_unit == "quarter":
            return gettext("%(year)s Q%(quarter)s") % {
                "year": start.year,
                "quarter": (start.month - 1) // 3 + 1,
            }
        return f"{start:%m.%Y}"

    def trend_table(self) -> list[tuple[str, list[int]]]:
        """The trend as (point's label, [figures in BREAKDOWN_COLUMNS order]) for templates."""
        return [
            (self.trend_label(point["month"]), [point[key] for key, _label in BREAKDOWN_COLUMNS])
            for point in self.trend
        ]


def report_build(filters: ReportFilters) -> Report:
    """Every figure of the report for validated filters, in a constant number of queries."""
    groups = figure_groups(filters)
    return Report(
        filters=filters,
        headline=headline_figures(filters, groups),
        sources=new_contacts_by_source(filters),
        closed_by_reason=closed_by_reason(filters),
        breakdowns=breakdowns(filters, groups),
        trend=monthly_trend(filters, groups),
        funnel=funnel(filters),
        generated_at=timezone.now(),
        trend_unit=trend_unit(filters),
    )
