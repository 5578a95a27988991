"""The running portal's middleware: the access record, and no caching of personal pages.

One access record per request, tagged with a request id that the response carries back.

First in the middleware list, so that every answer is logged, also the ones that middleware
further in gives without reaching a view (a redirect to https, a static file, a lockout).
The record holds the method, the path without its query string (search words and e-mail
addresses arrive there), the status, the duration and the user's id: never a name, an
address or a body.
"""

import logging
import re
import time
import uuid

from django.http import Http404, HttpRequest
from django.utils.cache import add_never_cache_headers

from .logs import REQUEST_ID

logger = logging.getLogger("remigration.request")

# A proxy's id is kept when it is a plain token (nginx's $request_id, Caddy's UUID); anything
# else (too long, spaces, markup) is replaced, so a client cannot write into the log.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,127}")
REQUEST_ID_HEADER = "X-Request-ID"


def request_id_for(request):
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


def user_id_of(request):
    """The user's primary key, or None (anonymous, or answered before authentication ran,
    as a static file is)."""
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # a session that cannot be read must not cost the access record
        return None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request)
        request.request_id = request_id
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": logged_path(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user_id_of(request),
                },
            )
            return response
        finally:
            REQUEST_ID.reset(token)


class NoStoreForUsersMiddleware:
    """`Cache-Control: no-store` on every answer to a logged-in user that sets no caching of
    its own: case pages, offer PDFs, the personal-data ZIP, exports and the two-factor key
    are personal, and must not stay in a browser's or a proxy's cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


# URL arguments that are secrets (a password-reset or enrolment link): the log names the
# route, not the token, so reading the log does not hand out an unused link.
SECRET_URL_ARGUMENTS = {"token", "uidb64"}


def logged_path(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None and SECRET_URL_ARGUMENTS & set(match.kwargs):
        return "/" + match.route
    return request.path


class NulBytePathMiddleware:
    """A NUL byte in the path is a 404: no URL of the portal holds one, and PostgreSQL
    refuses it in a query (a 500 in every view that looks the path up)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in request.path_info:
            raise Http404
        return self.get_response(request)
