"""The public form as rendered HTML, kept in the process: for an unbound form the page is
the same for every visitor of one language (the 250 countries, the 43 municipalities by
region, the needs), and rendering it was most of the GET's time (issue 16). The whole page
is kept with marks where each visitor's own CSRF token and signed start time go
(`form_page_html`; the view puts them in), and its fields apart for the pages rendered
afresh (a signed-in user, a message, a query string). The rows the form checks a
submission's choices against (regions, municipalities, needs) are kept the same way, so a
POST reads one fingerprint instead of a query for each field.

A kept copy is used while the reference data's fingerprint (row count and highest id of
regions, municipalities and needs: one small query) is the one it was made with, for at most
TTL_SECONDS (a renamed municipality reaches every process within that), and a change saved
in this process clears it at once (signals in intake/apps.py). For the empty form the
fingerprint itself is read at most once every CHECK_SECONDS per process: under load one query
in hundreds of visits, and a region added in another process shows within those seconds; a
sent form reads it afresh. Nothing here needs the shared cache, so a cache that is down or
hanging costs the form nothing.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from django.db import connection
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from municipalities.models import Municipality, NeedCategory, PlanningRegion

TTL_SECONDS = 60
CHECK_SECONDS = 2
TEMPLATE = "intake/_fields.html"
# key: (made at, fingerprint, what was made); the key is ROWS, _fields_key() or
# ("page", language, path).
# A dict's get and set are atomic under the GIL, so gunicorn's threads (if any) need no
# lock: at worst two make the same copy once.
_kept: dict[tuple[str, ...], tuple[float, tuple, object]] = {}
# The last fingerprint read, and when: (read at, fingerprint).
_checked: dict[str, tuple[float, tuple]] = {}
_clock = time.monotonic  # the tests move it on
ROWS = ("rows",)


def _fields_key() -> tuple[str, ...]:
    """The kept fields' key: one copy per language."""
    return ("fields", get_language() or "")


@dataclass(frozen=True)
class ReferenceRows:
    """The rows a submission's choices are checked against, by id; shared by the requests
    of one process, so nobody changes them (municipalities come with their region)."""

    regions: dict[int, PlanningRegion]
    municipalities: dict[int, Municipality]
    needs: dict[int, NeedCategory]


def reference_fingerprint(*, fresh: bool = False) -> tuple:
    """What changes when a region, municipality or need is added or deleted: one query, or
    none when this process read it less than CHECK_SECONDS ago (unless `fresh`)."""
    checked = _checked.get("fingerprint")
    if not fresh and checked and _clock() - checked[0] < CHECK_SECONDS:
        return checked[1]
    parts = " UNION ALL ".join(
        f"SELECT count(*), coalesce(max(id), 0) FROM {model._meta.db_table}"  # noqa: S608  # nosec B608
        for model in (PlanningRegion, Municipality, NeedCategory)
    )  # table names from the models, no outside input
    with connection.cursor() as cursor:
        cursor.execute(parts)
        fingerprint = tuple(cursor.fetchall())
    _checked["fingerprint"] = (_clock(), fingerprint)
    return fingerprint


Made = TypeVar("Made")


def _kept_or_made(key: tuple[str, ...], make: Callable[[], Made], fingerprint: tuple) -> Made:
    """The kept value under `key` while the reference data's `fingerprint` is the one it was
    made with and it is younger than TTL_SECONDS; else `make()`, kept."""
    kept = _kept.get(key)
    if kept and kept[1] == fingerprint and _clock() - kept[0] < TTL_SECONDS:
        return cast(Made, kept[2])
    made = make()
    _kept[key] = (_clock(), fingerprint, made)
    return made


def form_fields_html(*, form, fingerprint: tuple | None = None) -> SafeString:
    """The fields of the unbound `form` as HTML, from the kept copy when it is current."""
    fingerprint = fingerprint or reference_fingerprint()

    def render() -> SafeString:
        # The choices from the rows of this fingerprint: no second fingerprint query.
        form.reference = reference_rows(fingerprint=fingerprint)
        return render_to_string(TEMPLATE, {"form": form})

    return _kept_or_made(_fields_key(), render, fingerprint)


# What stands in the kept page for the two values each visitor gets anew: the CSRF token and
# the signed start time. Letters only, so escaping leaves them as they are, and nothing
# else on the page can contain them.
CSRF_MARK = "keptpageCSRFmarkQx"
STARTED_MARK = "keptpageSTARTEDmarkQx"


def form_page_html(*, path: str, render: Callable[[tuple], str]) -> str:
    """The whole page of the unbound form at `path` (one per language) with CSRF_MARK and
    STARTED_MARK in the visitor's places: `render(fingerprint)` makes it, kept like the
    fields. The view puts in the visitor's own tokens, so a GET renders no template."""
    fingerprint = reference_fingerprint()

    def make() -> str:
        # The fields and rows it is made of are made with it: a kept page made from a
        # kept copy near its end would keep a rename out for up to twice TTL_SECONDS.
        _kept.pop(ROWS, None)
        _kept.pop(_fields_key(), None)
        return render(fingerprint)

    return _kept_or_made(("page", get_language() or "", path), make, fingerprint)


def reference_rows(*, fingerprint: tuple | None = None, fresh: bool = False) -> ReferenceRows:
    """The regions, municipalities (in the form's order: by region, then name) and needs,
    from the kept copy when it is current (one query), else read afresh (three more).
    `fresh`: the fingerprint read now, not the one of the last CHECK_SECONDS (a submission
    is checked against rows that exist now: one deleted in another process a second ago
    is refused as a choice, not stored to fail at the commit)."""

    def read() -> ReferenceRows:
        municipalities = Municipality.objects.select_related("planning_region").order_by(
            "planning_region__name", "name"
        )
        return ReferenceRows(
            regions={region.pk: region for region in PlanningRegion.objects.all()},
            municipalities={municipality.pk: municipality for municipality in municipalities},
            needs={need.pk: need for need in NeedCategory.objects.all()},
        )

    return _kept_or_made(ROWS, read, fingerprint or reference_fingerprint(fresh=fresh))


def form_fields_forget(**_signal_arguments) -> None:
    """Drop every kept copy and the last fingerprint: reference data changed (a signal
    receiver)."""
    _kept.clear()
    _checked.clear()
