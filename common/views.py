"""Pages of the running portal itself rather than of a feature: the page shown when a
form's CSRF check fails."""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


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
