"""The breakdowns: case and offer figures grouped by case attributes, and the roll-ups that
turn the groups into one table per dimension."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from coordinators.models import Case
from municipalities.models import NeedCategory

from .definitions import BREAKDOWN_COLUMNS
from .filters import ReportFilters
from .rows import case_aggregates, case_rows, complete, offer_aggregates, offer_rows, total


@dataclass
class Breakdown:
    """One table of the report: rows of figures for each value of one dimension."""

    key: str
    title: str | Promise
    heading: str | Promise
    rows: list[dict[str, Any]] = field(default_factory=list)

    def table(self) -> list[tuple[str, list[int]]]:
        """Rows as (label, [figures in BREAKDOWN_COLUMNS order]) for templates."""
        return [
            (row["label"], [row[key] for key, _label in BREAKDOWN_COLUMNS]) for row in self.rows
        ]


# The dimensions of the breakdowns: the Case field they group by, and how a value is named.
def _region_label(row: dict[str, Any]) -> str | Promise:
    """The planning region of a group, or the national queue."""
    return row["planning_region__name"] or _("not decided yet (national queue)")


def _municipality_label(row: dict[str, Any]) -> str | Promise:
    """The municipality of a group, if one was chosen."""
    return row["municipality__name"] or _("not chosen")


def _country_label(row: dict[str, Any]) -> str | Promise:
    """The country of residence of a group, by its name."""
    code = row["returnee__country"]
    return countries.name(code) if code else _("not known")


def _need_label(row: dict[str, Any]) -> str | Promise:
    """The need category of a group, in the current language."""
    if row["needs__code"] is None:
        return _("no needs recorded")
    return NeedCategory(name=row["needs__name"], name_en=row["needs__name_en"]).label


def _timeframe_label(row: dict[str, Any]) -> str | Promise:
    """The planned timeframe of a group, if one was stated."""
    value = row["timeframe"]
    return Case.Timeframe(value).label if value in Case.Timeframe.values else _("not stated")


Dimension = tuple[str, Promise, Promise, tuple[str, ...], Callable[[dict[str, Any]], Any]]

DIMENSIONS: tuple[Dimension, ...] = (
    (
        "region",
        _("By planning region"),
        _("Planning region"),
        ("planning_region__name",),
        _region_label,
    ),
    (
        "municipality",
        _("By municipality of return"),
        _("Municipality"),
        ("municipality__name",),
        _municipality_label,
    ),
    (
        "country",
        _("By country of residence"),
        _("Country"),
        ("returnee__country",),
        _country_label,
    ),
    (
        "need",
        _("By need category"),
        _("Need"),
        ("needs__code", "needs__name", "needs__name_en"),
        _need_label,
    ),
    (
        "timeframe",
        _("By planned timeframe"),
        _("Timeframe"),
        ("timeframe",),
        _timeframe_label,
    ),
)


# The case attributes one grouped query counts by; every breakdown except needs (a case may
# have several) and the headline totals are sums over these groups.
GROUP_FIELDS = ("planning_region__name", "municipality__name", "returnee__country", "timeframe")


def _grouped_figures(filters: ReportFilters, fields: Iterable[str]) -> list[dict[str, Any]]:
    """Case and offer figures grouped by `fields`: one query over cases, one over offers."""
    case_groups = case_rows(filters).values(*fields).annotate(**case_aggregates(filters))
    offer_groups = (
        offer_rows(filters)
        .values(*[f"case__{name}" for name in fields])
        .annotate(**offer_aggregates(filters))
    )
    offer_groups = [
        {name.removeprefix("case__"): value for name, value in row.items()}
        for row in offer_groups.order_by()
    ]
    return [*case_groups.order_by(), *offer_groups]


def figure_groups(filters: ReportFilters) -> list[dict[str, Any]]:
    """The figures per (region, municipality, country, timeframe): the source of four
    breakdowns and of the headline totals, so they always add up to the same numbers."""
    return _grouped_figures(filters, GROUP_FIELDS)


def _roll_up(rows: list[dict[str, Any]], key: str) -> Breakdown:
    """A Breakdown from grouped rows: add up the rows that share the dimension's value."""
    _key, title, heading, fields, label = next(d for d in DIMENSIONS if d[0] == key)
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        group = tuple(row[name] for name in fields)
        merged.setdefault(group, {"label": str(label(row)), "rows": []})["rows"].append(row)
    result = [{"label": item["label"], **complete(total(item["rows"]))} for item in merged.values()]
    result.sort(key=lambda row: (-row["people_returned"], -row["new_contacts"], row["label"]))
    return Breakdown(key=key, title=title, heading=heading, rows=result)


def breakdowns(filters: ReportFilters, groups: list[dict[str, Any]]) -> list[Breakdown]:
    """All breakdowns: roll-ups of `groups`, and one query pair for the needs."""
    needs_fields = next(d for d in DIMENSIONS if d[0] == "need")[3]
    return [
        _roll_up(_grouped_figures(filters, needs_fields), key)
        if key == "need"
        else _roll_up(groups, key)
        for key, *_rest in DIMENSIONS
    ]
