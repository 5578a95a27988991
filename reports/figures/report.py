"""A whole report: every figure family for one set of validated filters."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from .breakdowns import Breakdown, breakdowns, figure_groups
from .definitions import BREAKDOWN_COLUMNS, DEFINITIONS, HEADLINES
from .filters import ReportFilters
from .funnel import funnel
from .headline import closed_by_reason, headline_figures, new_contacts_by_source
from .trend import monthly_trend


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

    def breakdown(self, key: str) -> Breakdown:
        """The breakdown of the dimension `key` (see `breakdowns.DIMENSIONS`)."""
        return next(b for b in self.breakdowns if b.key == key)

    def headline_rows(self) -> list[dict[str, Any]]:
        """The headline figures in HEADLINES order, each with its label and definition."""
        return [
            {"key": key, "label": label, "value": self.headline[key], "definition": DEFINITIONS[d]}
            for key, label, d in HEADLINES
        ]

    def trend_table(self) -> list[tuple[datetime.date, list[int]]]:
        """The monthly trend as (month, [figures in BREAKDOWN_COLUMNS order]) for templates."""
        return [
            (point["month"], [point[key] for key, _label in BREAKDOWN_COLUMNS])
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
        trend=monthly_trend(filters),
        funnel=funnel(filters),
        generated_at=timezone.now(),
    )
