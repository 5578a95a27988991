"""Writes of the workspace, which has no models of its own: what it keeps in sessions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from common.folding import fold

# The case list's search text, kept in the session so a name never appears in a URL.
SEARCH_SESSION_KEY = "workspace_case_search"


def case_search_sessions_forget(*, identifiers: Sequence[str], **kwargs: Any) -> int:
    """Receiver of `privacy.signals.returnee_erased`: a search text that names the erased
    person leaves every staff session that keeps it. Returns the number of sessions changed.
    Sessions are few (staff only, an hour idle at most), so each is read."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0
    # Folded as the search folds them: "kenins" was a search for Ķēniņš.
    names = [fold(identifier) for identifier in identifiers]
    changed = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        store = SessionStore(session_key=session.session_key)
        text = fold(str(store.get(SEARCH_SESSION_KEY, "")))
        # The search folds case and accents and matches parts of a name: hers too.
        if text and any(name in text or (len(text) >= 3 and text in name) for name in names):
            del store[SEARCH_SESSION_KEY]
            store.save(must_create=False)
            changed += 1
    return changed
