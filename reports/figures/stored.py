"""The figures of a closed period: a report as plain data (what `reports.ClosedPeriod`
stores when a national administrator closes a period), the report made again from that data,
and the corrections since closing (live − stored, per figure), so a later change to a closed
period is shown beside the submitted figures and never replaces them silently.

The data keep keys, never labels (a source's value, a breakdown row's group: the region's
name, the country's code, the need's code...), so a stored report reads in any language.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from coordinators.models import Case

from .breakdowns import DIMENSIONS, breakdown_from_rows, dimension
from .definitions import BREAKDOWN_COLUMNS, FIGURE_KEYS
from .filters import ReportFilters
from .funnel import funnel_steps
from .report import Closing, Report

# The scopes whose figures a closed period keeps: the whole country (every region and the
# national queue) and each planning region by its code.
NATIONAL = "national"
COLUMN_KEYS = [key for key, _label in BREAKDOWN_COLUMNS]


def scope_key(filters: ReportFilters) -> str | None:
    """Which stored scope a report's filters are: "national", a region's code, or None (a
    municipality, or several regions but not the whole country: no stored figures)."""
    if filters.municipality is not None:
        return None
    if filters.include_national_queue:
        return NATIONAL
    if len(filters.regions) == 1:
        return filters.regions[0].code
    return None


def report_data(report: Report) -> dict[str, Any]:
    """Every figure of `report` as JSON-ready data: the headline, the sources, the closing
    reasons, the funnel's steps, each breakdown's rows and the trend."""
    return {
        "headline": dict(report.headline),
        "sources": {row["key"]: row["count"] for row in report.sources},
        "closed_by_reason": {row["key"]: row["count"] for row in report.closed_by_reason},
        "funnel": {step["key"]: step["count"] for step in report.funnel},
        "breakdowns": {
            breakdown.key: [
                {"group": row["group"], **{key: row[key] for key in FIGURE_KEYS}}
                for row in breakdown.rows
            ]
            for breakdown in report.breakdowns
        },
        "trend_unit": report.trend_unit,
        "trend": [
            {"month": point["month"].isoformat(), **{key: point[key] for key in FIGURE_KEYS}}
            for point in report.trend
        ],
    }


def report_from_data(
    data: dict[str, Any],
    filters: ReportFilters,
    *,
    closing: Closing,
    live: dict[str, Any] | None = None,
) -> Report:
    """The report of the stored `data`, as the page and the exports show it, with the
    corrections since closing when the `live` figures (report_data of now) differ."""
    report = Report(
        filters=filters,
        headline=dict(data["headline"]),
        sources=[
            {"key": value, "label": label, "count": data["sources"].get(value, 0)}
            for value, label in Case.Source.choices
        ],
        closed_by_reason=[
            {"key": value, "label": label, "count": data["closed_by_reason"].get(value, 0)}
            for value, label in Case.ClosedReason.choices
        ],
        breakdowns=[
            breakdown_from_rows(key, data["breakdowns"].get(key, [])) for key, *_r in DIMENSIONS
        ],
        trend=[
            {**point, "month": datetime.date.fromisoformat(point["month"])}
            for point in data["trend"]
        ],
        funnel=funnel_steps(data["funnel"]),
        generated_at=timezone.now(),
        trend_unit=data["trend_unit"],
        closing=closing,
    )
    if live is not None:
        _add_corrections(report, data, live)
    return report


def _delta(live: Any, stored: Any) -> int | float:
    """live − stored, a missing figure (a median of nothing) counting as 0."""
    difference = (live or 0) - (stored or 0)
    return round(difference, 1) if isinstance(difference, float) else difference


def _add_corrections(report: Report, stored: dict[str, Any], live: dict[str, Any]) -> None:
    """Write live − stored beside every stored figure: the headline's and the small tables'
    in their rows, the breakdowns' and the trend's as rows of their own (changed rows only)."""
    headline = {
        key: _delta(live["headline"].get(key), value) for key, value in report.headline.items()
    }
    changed = any(headline.values())
    for family, rows in (
        ("sources", report.sources),
        ("closed_by_reason", report.closed_by_reason),
        ("funnel", report.funnel),
    ):
        for row in rows:
            row["correction"] = _delta(live[family].get(row["key"]), stored[family].get(row["key"]))
            changed = changed or bool(row["correction"])
    for breakdown in report.breakdowns:
        first_field = dimension(breakdown.key)[3][0]
        deltas = _row_deltas(
            stored["breakdowns"].get(breakdown.key, []),
            live["breakdowns"].get(breakdown.key, []),
            key=lambda row, name=first_field: row["group"][name],
        )
        breakdown.corrections = breakdown_from_rows(breakdown.key, deltas).table()
        changed = changed or bool(deltas)
    trend = _row_deltas(stored["trend"], live["trend"], key=lambda row: row["month"])
    report.trend_corrections = [
        (
            report.trend_label(datetime.date.fromisoformat(row["month"])),
            [row[k] for k in COLUMN_KEYS],
        )
        for row in sorted(trend, key=lambda row: row["month"])
    ]
    report.corrections = {"headline": headline, "any": changed or bool(trend)}


def _row_deltas(
    stored: list[dict[str, Any]], live: list[dict[str, Any]], *, key: Any
) -> list[dict[str, Any]]:
    """The rows (matched by `key`) whose figures differ, as live − stored per figure."""
    stored_by_key = {key(row): row for row in stored}
    live_by_key = {key(row): row for row in live}
    result = []
    for row_key in dict.fromkeys([*live_by_key, *stored_by_key]):
        now, then = live_by_key.get(row_key, {}), stored_by_key.get(row_key, {})
        figures = {name: _delta(now.get(name), then.get(name)) for name in FIGURE_KEYS}
        if any(figures.values()):
            row = now or then
            result.append({**{k: v for k, v in row.items() if k not in FIGURE_KEYS}, **figures})
    return result
