"""The public figures, read through `reports.figures` (the same definitions and counts as
the staff report), with every cell under `OPEN_FIGURES_MIN_CELL` people suppressed: shown
as "<5" and null in JSON, never as a number (not rounded to zero either).

Counting them takes seconds on a real history (bench/openfigures.py), so no request does it:
the worker refreshes a snapshot row every 15 minutes (`services.public_figures_refresh`, in
jobs/schedule.py) and puts it in the cache for `OPEN_FIGURES_CACHE_SECONDS`; a request reads
the cache, or the snapshot when the cache is empty or down. Only before the worker's first
run does a request compute them (once, then kept).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from common.urls import absolute_url
from events.selectors import public_event_list
from municipalities.models import PlanningRegion
from reports.figures.breakdowns import figure_groups
from reports.figures.filters import PROGRAMME_START, ReportFilters
from reports.figures.headline import active_case_count
from reports.figures.rows import complete, total

from .models import FiguresSnapshot

logger = logging.getLogger(__name__)

CACHE_KEY = "openfigures:v1"
# The figures shown, by the staff report's keys: people returned (with their households),
# people intending to return (in contact at the end of the period), individual offers.
FIGURES = ("people_returned", "active", "offers_prepared")
TOP_MUNICIPALITIES = 10
UPCOMING_EVENTS = 5


def suppressed(value: int) -> int | None:
    """The value when it is at least the minimum cell size, else None (shown as "<5")."""
    return value if value >= settings.OPEN_FIGURES_MIN_CELL else None


def people_returned_cell(figures: dict[str, int]) -> int | None:
    """People returned (with their households) only when they are at least the minimum
    cell size of families too: five people of one household would name that family."""
    if figures["returned"] < settings.OPEN_FIGURES_MIN_CELL:
        return None
    return suppressed(figures["people_returned"])


def year_filters(
    year: int, today: datetime.date, regions: tuple[PlanningRegion, ...]
) -> ReportFilters:
    """The staff report's filters for one calendar year (the programme's first year from
    its start, the current year up to today)."""
    return ReportFilters(
        date_from=max(datetime.date(year, 1, 1), PROGRAMME_START),
        date_to=min(datetime.date(year, 12, 31), today),
        regions=regions,
    )


def _year_rows(
    year: int, today: datetime.date, regions: list[PlanningRegion]
) -> list[dict[str, Any]]:
    groups = figure_groups(year_filters(year, today, tuple(regions)))
    rows = []
    for region in regions:
        figures = complete(total(row for row in groups if row["region_name"] == region.name))
        figures["active"] = active_case_count(year_filters(year, today, (region,)))
        cells = {key: suppressed(figures[key]) for key in FIGURES}
        rows.append(
            {"region": region.name, **cells, "people_returned": people_returned_cell(figures)}
        )
    return rows


def _top_municipalities(
    today: datetime.date, regions: list[PlanningRegion]
) -> list[dict[str, Any]]:
    """The municipalities returnees chose most since the programme began; only those with
    at least the minimum cell size are named at all."""
    filters = ReportFilters(date_from=PROGRAMME_START, date_to=today, regions=tuple(regions))
    merged: dict[str, list[dict[str, Any]]] = {}
    for row in figure_groups(filters):
        if row["municipality_name"]:
            merged.setdefault(row["municipality_name"], []).append(row)
    counted = sorted(
        ((complete(total(rows)), name) for name, rows in merged.items()),
        key=lambda pair: (-pair[0]["people_returned"], pair[1]),
    )
    return [
        {"municipality": name, "people_returned": figures["people_returned"]}
        for figures, name in counted
        if people_returned_cell(figures) is not None
    ][:TOP_MUNICIPALITIES]


def _events() -> list[dict[str, Any]]:
    """The next published events, linked on PORTAL_URL (the JSON is read by other sites)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _event_rows()


def _event_rows() -> list[dict[str, Any]]:
    return [
        {
            "title": event.title,
            "starts_at": event.starts_at.isoformat(),
            "date": timezone.localtime(event.starts_at).strftime("%d.%m.%Y"),
            "place": event.place,
            "kind": event.kind,
            "url": absolute_url(reverse("events:detail", args=[event.pk])),
        }
        for event in public_event_list()[:UPCOMING_EVENTS]
    ]


def public_figures_compute(*, today: datetime.date | None = None) -> dict[str, Any]:
    """Every public figure, suppressed; plain JSON-ready values (the upcoming events are
    read per request, `public_figures`)."""
    today = today or timezone.localdate()
    regions = list(PlanningRegion.objects.order_by("name"))
    years = range(PROGRAMME_START.year, today.year + 1)
    return {
        "generated_at": timezone.now().isoformat(),
        "min_cell": settings.OPEN_FIGURES_MIN_CELL,
        "years": [
            {"year": year, "regions": _year_rows(year, today, regions)} for year in reversed(years)
        ],
        "top_municipalities": _top_municipalities(today, regions),
    }


def figures_cache_set(data: dict[str, Any]) -> None:
    """Put the figures in the cache; a cache that is down is only logged (the snapshot row
    serves meanwhile)."""
    try:
        cache.set(CACHE_KEY, data, timeout=settings.OPEN_FIGURES_CACHE_SECONDS)
    except Exception as error:
        logger.warning("Public figures not cached (%s)", type(error).__name__)


def _stored_figures() -> dict[str, Any]:
    """The figures from the cache, else the worker's snapshot, else (before the worker's
    first run) computed once here and kept as the snapshot."""
    try:
        figures: dict[str, Any] | None = cache.get(CACHE_KEY)
    except Exception as error:  # the cache backend refused or timed out: the snapshot
        logger.warning("Public figures cache unavailable (%s)", type(error).__name__)
        figures = None
    if figures is not None:
        return figures
    snapshot = FiguresSnapshot.objects.order_by("-computed_at").first()
    if snapshot is None:
        from .services import public_figures_refresh  # the one write, before the first job

        public_figures_refresh()
        snapshot = FiguresSnapshot.objects.get()
    stored: dict[str, Any] = snapshot.data
    figures_cache_set(stored)
    return stored


def public_figures() -> dict[str, Any]:
    """What the page, the widget and the JSON show: the stored figures and the upcoming
    events as they are now (one query)."""
    return {**_stored_figures(), "events": _events()}
