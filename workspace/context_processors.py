"""The menu's notification badges, on every page of a case worker."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import nav_badges


def badges(request: HttpRequest) -> dict[str, Any]:
    """`nav_badges`, counted on first use and kept on the request: one query per request
    however many templates render the menu, none for a page that does not show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.can_work_cases:
        return {}

    def counted() -> dict[str, int]:
        if not hasattr(request, "_nav_badges"):
            request._nav_badges = nav_badges(user=user)  # type: ignore[attr-defined]
        return request._nav_badges  # type: ignore[attr-defined]

    return {"nav_badges": SimpleLazyObject(counted)}
