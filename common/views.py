"""Pages of the running portal itself rather than of a feature: /healthz for monitors and
load balancers, and the page shown when a form's CSRF check fails."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language

from .health import health_report


@never_cache
@require_safe
def healthz(request):
    """200 when every check passes, 503 naming the ones that failed. Reads no session and
    writes nothing (no audit entry: a monitor's poll is no one looking at personal data)."""
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


def csrf_failure(request, reason=""):
    """Django's CSRF_FAILURE_VIEW: a form sent after its page was open too long (the token
    belongs to a session that ended) or from a browser that keeps no cookies. Says so in
    plain words and links to the page the form was on (the Referer, when it is one of ours;
    else the address posted to); Django's `reason` is for developers and stays out of it."""
    referer = request.headers.get("Referer", "")
    ours = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    again_url = referer if ours else request.path
    return render(request, "403_csrf.html", {"again_url": again_url}, status=403)


def set_language(request):
    """Django's set_language, resolving `next` in the language of its own address.

    /i18n/ is outside the language patterns and Latvian has no prefix, so Django resolves
    `next` in the request's language: "/en/cases/" does not resolve under Latvian and the
    switch to Latvian stayed on the English page. Read in the language the address names
    (no prefix: the default), it translates both ways."""
    next_url = request.POST.get("next", request.GET.get("next", ""))
    path_language = translation.get_language_from_path(urlsplit(next_url).path)
    with translation.override(path_language or settings.LANGUAGE_CODE):
        return django_set_language(request)
