"""What every grant page shares: login, the scoped fetches (404 outside the scope), and the
way a refused operation is shown."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect

from common.errors import DomainError

from ..models import Application, Call


def call_for(user, pk: int, *, role: str = "see") -> Call:
    """A call the user sees (404 otherwise); `role` "results" narrows it to those who see
    the scores (the chair and the call's managers), "chair" to the chair."""
    calls = Call.objects.visible_to(user)
    if role == "results":
        calls = calls.filter(
            Q(pk__in=Call.objects.managed_by(user).values("pk"))
            | Q(committee__user=user, committee__is_chair=True)
        )
    elif role == "chair":
        calls = calls.filter(committee__user=user, committee__is_chair=True)
    found = calls.select_related("planning_region").filter(pk=pk).distinct().first()
    if found is None:
        raise Http404
    return found


def application_for(user, pk: int, *, role: str = "see") -> Application:
    """An application the user sees; "own" narrows it to the user's municipality (who
    edits it), "member" to the calls whose committee the user sits on (who score it)."""
    applications = Application.objects.visible_to(user).select_related("call", "municipality")
    if role == "own":
        applications = applications.filter(municipality_id=user.municipality_id or -1)
    elif role == "member":
        applications = applications.filter(
            call__committee__user=user, status__in=Application.SUBMITTED_STATUSES
        )
    found = applications.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


class GrantsView(LoginRequiredMixin):
    """Login first; a refused operation comes back as a message on the page it came from."""

    request: HttpRequest

    def refused(self, error: DomainError, url: str) -> HttpResponseRedirect:
        messages.error(self.request, error.message)
        return redirect(url)
