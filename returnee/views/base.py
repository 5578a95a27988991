"""The person's side of the portal: no login, a personal link instead.

`/p/<token>/` checks the token, keeps the link's id in the session and redirects to a
clean `/p/`, so the token stays out of the history, the Referer and the request log (the
log names the route for a `token` argument: `common.middleware.logged_path`). Every page
afterwards checks the link again (a revoked or expired one ends the visit). A wrong,
expired or revoked link, or no link at all, gives one and the same page, with a form to
ask for a new link by e-mail.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views import View

from audit.services import audit_record
from common import ratelimit
from common.net import client_ip
from coordinators.models import Case, PersonalLink, Returnee
from coordinators.services.links import personal_link_active, personal_link_resolve

from ..forms import LinkRequestForm
from ..selectors import person_case

SESSION_KEY = "personal_link_id"
# The audit trail's note on what the person read or changed themselves (actor None).
AUDIT_NOTE = "personal link"


def private(response: HttpResponseBase, *, referrer: str = "same-origin") -> HttpResponseBase:
    """No cache keeps a personal page and no Referer leaves the portal from it. The answer
    to /p/<token>/ sends none at all ("no-referrer"); the pages after it are at a clean
    address and keep "same-origin", since Chromium sends `Origin: null` on a form posted
    from a "no-referrer" page, which Django's CSRF check refuses."""
    response["Referrer-Policy"] = referrer
    add_never_cache_headers(response)
    return response


def person_audit(request: HttpRequest, *, action: str, obj: Any, reference: str = "") -> None:
    """The person's own read or change, in the audit trail (no staff actor)."""
    audit_record(
        action=action,
        obj=obj,
        reference=reference,
        detail=AUDIT_NOTE,
        ip_address=client_ip(request),
    )


def language_activate(request: HttpRequest, *, default: str | None = None) -> None:
    """The person's pages have no language prefix, which LocaleMiddleware reads as Latvian:
    the language switch's cookie decides, else the person's preferred language (set by the
    link), else the browser's."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    languages = dict(settings.LANGUAGES)
    if chosen not in languages:
        chosen = default or translation.get_language_from_request(request, check_path=False)
    translation.activate(chosen)
    request.LANGUAGE_CODE = chosen


def link_invalid(request: HttpRequest, *, form: LinkRequestForm | None = None) -> HttpResponseBase:
    """The one page for a wrong, expired or revoked link (same status, same words)."""
    language_activate(request)
    context = {"form": form or LinkRequestForm()}
    return private(render(request, "returnee/link_invalid.html", context))


def open_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """Check the link, remember it in the session, go on to the clean address (a failing
    link too: the token never stays in the address bar)."""
    link = personal_link_resolve(token=token)
    if link is None:  # to /p/ as well: it shows the one page for every link that fails
        request.session.pop(SESSION_KEY, None)
        return private(redirect("returnee:page"), referrer="no-referrer")
    request.session.cycle_key()
    request.session[SESSION_KEY] = link.pk
    language = link.returnee.preferred_language
    response = redirect("returnee:page")
    # The person's language by default; the language switch changes the same cookie.
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return private(response, referrer="no-referrer")


def rate_limit_exceeded(request: HttpRequest) -> bool:
    """Count a request for a new link from this connection; True when over the limit."""
    return ratelimit.client_over_limit(
        request,
        scope="personal-link-rate",
        limit=settings.PERSONAL_LINK_RATE_LIMIT,
        window=settings.PERSONAL_LINK_RATE_WINDOW_SECONDS,
    )


class PersonView(View):
    """Base of every page of the person: the link in the session, or the invalid page."""

    link: PersonalLink
    returnee: Returnee
    case: Case

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        link = personal_link_active(link_id=request.session.get(SESSION_KEY))
        case = person_case(returnee=link.returnee) if link is not None else None
        if link is None or case is None:
            request.session.pop(SESSION_KEY, None)
            return link_invalid(request)
        self.link, self.returnee, self.case = link, link.returnee, case
        language_activate(request, default=self.returnee.preferred_language)
        return private(super().dispatch(request, *args, **kwargs))
