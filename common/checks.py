"""Refuse to run unsafe: settings that are fine on a laptop and wrong on a server.

With DEBUG off, each of these is an Error, so `manage.py check`, `runserver`, `migrate`
and every management command that runs the checks (`send_outbox` included) stop, and
`remigration/wsgi.py` runs them before gunicorn serves a request (`refuse_unsafe_start`).
Each message names the environment variable that fixes it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

TAG = "portal"

# Mail backends that never reach a person: console and file write the mail (recipients,
# texts, password reset links) where the server's log or disk keeps it; locmem and dummy
# drop it.
UNSENT_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
# Caches each server process keeps to itself: the contact form's rate limit would count
# per process, so N processes let N times the limit through (and DummyCache none at all).
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(TAG)
def mail_backend_check(app_configs=None, **kwargs):
    """With DEBUG off, mail must go to a real mail server."""
    backend = settings.EMAIL_BACKEND
    if settings.DEBUG or backend not in UNSENT_MAIL_BACKENDS:
        return []
    return [
        checks.Error(
            f"Mail would reach nobody: EMAIL_BACKEND is {backend}, which writes mail into the "
            "server's log or disk, or drops it (EMAIL_URL is unset or not a mail server).",
            hint="Set EMAIL_URL to the mail server, e.g. "
            "smtp+tls://user:password@smtp.example.lv:587.",
            id="common.E001",
        )
    ]


@checks.register(TAG)
def shared_cache_check(app_configs=None, **kwargs):
    """With DEBUG off, the default cache must be one that all server processes share."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        checks.Error(
            f"The default cache ({backend}, from CACHE_URL) is one that each server process "
            "keeps to itself: the contact form's rate limit would not hold across processes.",
            hint="Set CACHE_URL to a shared cache: dbcache://portal_cache (after "
            "`manage.py createcachetable`) or redis://127.0.0.1:6379/1.",
            id="common.E002",
        )
    ]


@checks.register(TAG)
def portal_url_check(app_configs=None, **kwargs):
    """With DEBUG off, links in e-mail need the portal's public https address."""
    url = settings.PORTAL_URL
    parts = urlsplit(url)
    if settings.DEBUG or (
        parts.scheme == "https"
        and parts.hostname
        and parts.path in ("", "/")
        and not (parts.query or parts.fragment)
    ):
        return []
    found = f"PORTAL_URL is {url!r}" if url else "PORTAL_URL is not set"
    return [
        checks.Error(
            f"{found}: with DEBUG off, every link in e-mail starts with it, so it must be the "
            "portal's public https address, without a path.",
            hint="Set PORTAL_URL, e.g. https://remigracija.example.lv.",
            id="common.E003",
        )
    ]


@checks.register(TAG)
def proxy_count_check(app_configs=None, **kwargs):
    """PROXY_COUNT counts proxies: a negative number is a typo, not a setup."""
    if settings.PROXY_COUNT >= 0:
        return []
    return [
        checks.Error(
            f"PROXY_COUNT is {settings.PROXY_COUNT}.",
            hint="Set PROXY_COUNT to the number of reverse proxies in front (0: none).",
            id="common.E004",
        )
    ]


def refuse_unsafe_start():
    """Raise ImproperlyConfigured when a check above fails with DEBUG off.

    gunicorn imports the WSGI module without running Django's checks; this runs only this
    module's checks (no database, no URL walk), so a worker starts as fast as before.
    """
    if settings.DEBUG:
        return
    errors = [
        message
        for message in checks.run_checks(tags=[TAG])
        if message.is_serious() and not message.is_silenced()
    ]
    if errors:
        raise ImproperlyConfigured(
            "The portal refuses to start:\n" + "\n".join(str(error) for error in errors)
        )
