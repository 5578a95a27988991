"""Request types for annotations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from coordinators.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind a login (LoginRequiredMixin, a role mixin): its user is a staff
    User, never AnonymousUser. For annotations only; Django still builds its own request
    objects (the pattern django-stubs recommends)."""

    user: User
