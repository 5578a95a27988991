"""The breakdowns: case and offer figures grouped by case attributes, and the roll-ups that
turn the groups into one table per dimension."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from coordinators.models import Case
from municipalities.models import NeedCategory

from .definitions import BREAKDOWN_COLUMNS
from .filters import ReportFilters
from .rows import complete, event_aggregates, event_rows, offers_prepared, offers_sent, total
from .trend import trend_point


@dataclass
class Breakdown:
    """One table of the report: rows of figures for each value of one dimension. Of a closed
    period, `corrections` holds the rows whose live figures differ from the stored ones
    (live − stored, in BREAKDOWN_COLUMNS order), see `reports.figures.stored`."""

    key: str
    title: str | Promise
    heading: str | Promise
    rows: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[tuple[str, list[int]]] = field(default_factory=list)

    def table(self) -> list[tuple[str, list[int]]]:
        """Rows as (label, [figures in BREAKDOWN_COLUMNS order]) for templates."""
        return [
            (row["label"], [row[key] for key, _label in BREAKDOWN_COLUMNS]) for row in self.rows
        ]


# The dimensions of the breakdowns: the Case field they group by, and how a value is named.
def _region_label(row: dict[str, Any]) -> str | Promise:
    """The planning region of a group, or the national queue."""
    return row["region_name"] or _("not decided yet (national queue)")


def _municipality_label(row: dict[str, Any]) -> str | Promise:
    """The municipality of a group, if one was chosen."""
    return row["municipality_name"] or _("not chosen")


def _country_label(row: dict[str, Any]) -> str | Promise:
    """The country of residence of a group, by its name."""
    code = row["country"]
    return countries.name(code) if code else _("not known")


def _need_label(row: dict[str, Any]) -> str | Promise:
    """The need category of a group, in the current language."""
    if row["need_code"] is None:
        return _("no needs recorded")
    return NeedCategory(name=row["need_name"], name_en=row["need_name_en"]).label


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
        ("region_name",),
        _region_label,
    ),
    (
        "municipality",
        _("By municipality of return"),
        _("Municipality"),
        ("municipality_name",),
        _municipality_label,
    ),
    (
        "country",
        _("By country of residence"),
        _("Country"),
        ("country",),
        _country_label,
    ),
    (
        "need",
        _("By need category"),
        _("Need"),
        ("need_code", "need_name", "need_name_en"),
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


# The attributes one grouped query counts by; every breakdown except needs (a case may
# have several) and the headline totals are sums over these groups. The region, the
# municipality, the country and the timeframe are the rows' snapshots (as they were when
# the event happened; an offer keeps its region and municipality, and reads the country and
# timeframe of its case as they are now); the needs are the case's as they are now.
GROUP_FIELDS = ("region_name", "municipality_name", "country", "timeframe")
CASE_FIELDS = {
    "country": "returnee__country",
    "timeframe": "timeframe",
    "need_code": "needs__code",
    "need_name": "needs__name",
    "need_name_en": "needs__name_en",
}
# The snapshot columns of a CaseEvent for the names above.
EVENT_SNAPSHOTS = {
    "region_name": "planning_region__name",
    "municipality_name": "municipality__name",
    "country": "country",
    "timeframe": "timeframe",
}


def _group_by(queryset: QuerySet[Any], fields: Iterable[str], snapshots: dict[str, str]) -> Any:
    """`queryset.values(...)` grouped by the names above: the row's own snapshot where it
    has one (a column of the same name as is), else the case's field as it is now."""
    paths = {name: snapshots.get(name) or f"case__{CASE_FIELDS[name]}" for name in fields}
    same = [name for name, path in paths.items() if name == path]
    return queryset.values(
        *same, **{name: F(path) for name, path in paths.items() if name not in same}
    )


def _offer_snapshots(region: str, municipality: str) -> dict[str, str]:
    return {"region_name": f"{region}__name", "municipality_name": f"{municipality}__name"}


def _grouped_figures(
    filters: ReportFilters, fields: Iterable[str], *, by_point: bool = False
) -> list[dict[str, Any]]:
    """Case and offer figures grouped by `fields` (and, with `by_point`, by the trend's
    month, quarter or year as "point"): one query over the counted events, one over the
    offers prepared, one over the offers sent (each by its own snapshot and moment)."""
    names = (*fields, "point") if by_point else tuple(fields)

    def grouped(queryset: QuerySet[Any], moment: str, snapshots: dict[str, str]) -> Any:
        if by_point:
            queryset = queryset.annotate(point=trend_point(filters, moment))
        return _group_by(queryset, names, {**snapshots, "point": "point"})

    events = grouped(event_rows(filters), "created_at", EVENT_SNAPSHOTS)
    prepared = grouped(
        offers_prepared(filters),
        "created_at",
        _offer_snapshots("prepared_region", "prepared_municipality"),
    )
    sent = grouped(
        offers_sent(filters), "sent_at", _offer_snapshots("sent_region", "sent_municipality")
    )
    return [
        *events.annotate(**event_aggregates()).order_by(),
        *prepared.annotate(offers_prepared=Count("id")).order_by(),
        *sent.annotate(offers_sent=Count("id")).order_by(),
    ]


def figure_groups(filters: ReportFilters) -> list[dict[str, Any]]:
    """The figures per (region, municipality, country, timeframe, trend point): the source
    of four breakdowns, the trend and the headline totals, so they always add up to the same
    numbers. One pass: the trend's unit is a year for long periods, so the groups stay few."""
    return _grouped_figures(filters, GROUP_FIELDS, by_point=True)


def dimension(key: str) -> Dimension:
    """The dimension `key` of DIMENSIONS."""
    return next(d for d in DIMENSIONS if d[0] == key)


def breakdown_from_rows(key: str, rows: list[dict[str, Any]]) -> Breakdown:
    """A Breakdown from rolled-up rows (each with its "group" and figures), labelled in the
    current language and sorted the same way wherever they come from (the database now,
    or the figures stored when a period was closed)."""
    _key, title, heading, _fields, label = dimension(key)
    result = [{**row, "label": str(label(row["group"]))} for row in rows]
    result.sort(key=lambda row: (-row["people_returned"], -row["new_contacts"], row["label"]))
    return Breakdown(key=key, title=title, heading=heading, rows=result)


def _roll_up(rows: list[dict[str, Any]], key: str) -> Breakdown:
    """A Breakdown from grouped rows: add up the rows that share the dimension's value."""
    fields = dimension(key)[3]
    merged: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        merged.setdefault(tuple(row[name] for name in fields), []).append(row)
    return breakdown_from_rows(
        key,
        [
            {"group": dict(zip(fields, group, strict=True)), **complete(total(items))}
            for group, items in merged.items()
        ],
    )


def breakdowns(filters: ReportFilters, groups: list[dict[str, Any]]) -> list[Breakdown]:
    """All breakdowns: roll-ups of `groups`, and one query pair for the needs."""
    needs_fields = dimension("need")[3]
    return [
        _roll_up(_grouped_figures(filters, needs_fields), key)
        if key == "need"
        else _roll_up(groups, key)
        for key, *_rest in DIMENSIONS
    ]
