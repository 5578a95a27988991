"""Saving and deleting a user's case-list views."""

from collections.abc import Iterable

from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from coordinators.models import User

from .models import SavedView

NAME_REQUIRED = _("Give the view a name.")
# What a view never keeps: the page number, and the flag that applies the session's search.
NOT_KEPT = {"page", "search"}


@transaction.atomic
def saved_view_save(
    *, user: User, name: str, query: str, allowed: Iterable[str]
) -> tuple[SavedView, bool]:
    """Save the list's filters under a name (the same name again replaces them); only the
    filters in `allowed` are kept. Returns (view, created)."""
    name = name.strip()
    if not name:
        raise DomainError(NAME_REQUIRED)
    allowed = set(allowed) - NOT_KEPT
    given = QueryDict(query)
    kept = QueryDict(mutable=True)
    for key in sorted(given):
        if key in allowed:
            kept.setlist(key, [value for value in given.getlist(key) if value][:10])
    view, created = SavedView.objects.update_or_create(
        user=user, name=name[:60], defaults={"query": kept.urlencode()[:1000]}
    )
    return view, created


def saved_view_delete(*, view: SavedView) -> None:
    """Forget a saved view."""
    view.delete()
