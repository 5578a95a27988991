"""The public form's fields as rendered HTML, kept in the process: for an unbound form they
are the same for every visitor of one language (the 250 countries, the 43 municipalities by
region, the needs), and rendering them was most of the GET's time (issue 16).

What differs per visitor (the CSRF token, the signed start time) stays outside, in
intake/form.html. A kept copy is used while the reference data's fingerprint (row count and
highest id of regions, municipalities and needs: one small query) is the one it was made
with, for at most TTL_SECONDS (a renamed municipality reaches every process within that), and
a change saved in this process clears it at once (signals in intake/apps.py). Nothing here
needs the shared cache, so a cache that is down or hanging costs the form nothing.
"""

import time

from django.db import connection
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from municipalities.models import Municipality, NeedCategory, PlanningRegion

TTL_SECONDS = 60
TEMPLATE = "intake/_fields.html"
# language: (made at, fingerprint, html). A dict's get and set are atomic under the GIL, so
# gunicorn's threads (if any) need no lock: at worst two render the same copy once.
_kept: dict[str, tuple[float, tuple, SafeString]] = {}


def reference_fingerprint() -> tuple:
    """What changes when a region, municipality or need is added or deleted (one query)."""
    parts = " UNION ALL ".join(
        f"SELECT count(*), coalesce(max(id), 0) FROM {model._meta.db_table}"  # noqa: S608  # nosec B608
        for model in (PlanningRegion, Municipality, NeedCategory)
    )  # table names from the models, no outside input
    with connection.cursor() as cursor:
        cursor.execute(parts)
        return tuple(cursor.fetchall())


def form_fields_html(*, form) -> SafeString:
    """The fields of the unbound `form` as HTML, from the kept copy when it is current."""
    language = get_language() or ""
    fingerprint = reference_fingerprint()
    kept = _kept.get(language)
    if kept and kept[1] == fingerprint and time.monotonic() - kept[0] < TTL_SECONDS:
        return kept[2]
    html = render_to_string(TEMPLATE, {"form": form})
    _kept[language] = (time.monotonic(), fingerprint, html)
    return html


def form_fields_forget(**_signal_arguments) -> None:
    """Drop every kept copy: reference data changed (a signal receiver)."""
    _kept.clear()
