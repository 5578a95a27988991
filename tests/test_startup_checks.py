"""With DEBUG off the portal refuses to start with mail that reaches nobody, a cache each
process keeps to itself, or no public https address for links: in `manage.py check`
(and so runserver, migrate, send_outbox) and when gunicorn imports the WSGI module."""

import subprocess
import sys

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from common.checks import (
    TAG,
    mail_backend_check,
    portal_url_check,
    proxy_count_check,
    refuse_unsafe_start,
    shared_cache_check,
)
from tests.test_project import ROOT, manage

SMTP = "django.core.mail.backends.smtp.EmailBackend"
GOOD_SERVER = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-" * 2,
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.lv:587",
    "PORTAL_URL": "https://portal.example.lv",
}
# What a server's environment may set that the outer shell must not decide for a test.
CHECKED_VARIABLES = [
    "EMAIL_URL",
    "CACHE_URL",
    "PORTAL_URL",
    "PROXY_COUNT",
    "SILENCED_SYSTEM_CHECKS",
]


@pytest.fixture
def production(settings):
    """Good production settings, none of the checks silenced; tests spoil one at a time."""
    settings.DEBUG = False
    settings.SILENCED_SYSTEM_CHECKS = []
    settings.EMAIL_BACKEND = SMTP
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}
    }
    settings.PORTAL_URL = "https://portal.example.lv"
    settings.PROXY_COUNT = 1
    return settings


@pytest.fixture
def clean_environment(monkeypatch):
    for name in CHECKED_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def the_error(messages, variable):
    (message,) = messages
    assert isinstance(message, checks.Error)
    assert variable in f"{message.msg} {message.hint}"
    return message


def test_good_production_settings_pass_every_check(production):
    assert checks.run_checks(tags=[TAG]) == []
    refuse_unsafe_start()


@pytest.mark.parametrize("backend", ["console", "filebased", "locmem", "dummy"])
def test_mail_that_reaches_nobody_is_an_error_naming_email_url(production, backend):
    production.EMAIL_BACKEND = f"django.core.mail.backends.{backend}.EmailBackend"
    assert the_error(mail_backend_check(), "EMAIL_URL").id == "common.E001"


@pytest.mark.parametrize("backend", ["locmem.LocMemCache", "dummy.DummyCache"])
def test_a_per_process_cache_is_an_error_naming_cache_url(production, backend):
    production.CACHES = {"default": {"BACKEND": f"django.core.cache.backends.{backend}"}}
    assert the_error(shared_cache_check(), "CACHE_URL").id == "common.E002"


def test_redis_is_a_shared_cache(production):
    production.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
        }
    }
    assert shared_cache_check() == []


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://portal.example.lv",
        "portal.example.lv",
        "https://",
        "https://portal.example.lv/portal/",
        "https://portal.example.lv/?a=1",
    ],
)
def test_a_missing_or_non_https_portal_url_is_an_error_naming_it(production, url):
    production.PORTAL_URL = url
    assert the_error(portal_url_check(), "PORTAL_URL").id == "common.E003"


def test_portal_url_may_end_with_a_slash(production):
    production.PORTAL_URL = "https://portal.example.lv/"
    assert portal_url_check() == []


def test_a_negative_proxy_count_is_an_error(production):
    production.PROXY_COUNT = -1
    assert the_error(proxy_count_check(), "PROXY_COUNT").id == "common.E004"


def test_debug_allows_console_mail_locmem_and_http_links(production):
    production.DEBUG = True
    production.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    production.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    production.PORTAL_URL = "http://127.0.0.1:8000"
    assert checks.run_checks(tags=[TAG]) == []


def test_the_wsgi_guard_raises_and_names_every_variable(production):
    production.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    production.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    production.PORTAL_URL = ""
    with pytest.raises(ImproperlyConfigured) as refused:
        refuse_unsafe_start()
    for variable in ["EMAIL_URL", "CACHE_URL", "PORTAL_URL"]:
        assert variable in str(refused.value)


def test_a_server_without_email_url_and_portal_url_refuses_to_start(clean_environment):
    result = manage("check", DEBUG="0", SECRET_KEY=GOOD_SERVER["SECRET_KEY"])
    assert result.returncode != 0
    for text in ["common.E001", "EMAIL_URL", "common.E003", "PORTAL_URL"]:
        assert text in result.stderr
    assert "CACHE_URL" not in result.stderr  # the database cache is the server's default


def test_a_server_with_a_per_process_cache_refuses_to_start(clean_environment):
    result = manage("check", **GOOD_SERVER, CACHE_URL="locmemcache://")
    assert result.returncode != 0
    assert "common.E002" in result.stderr and "CACHE_URL" in result.stderr


def test_a_well_configured_server_passes_the_check(clean_environment):
    result = manage("check", **GOOD_SERVER)
    assert result.returncode == 0, result.stderr


def test_a_benchmark_may_silence_the_mail_check_by_name(clean_environment):
    """bench/contact_form.py wants the dummy backend; it has to say so, check by check."""
    result = manage(
        "check", **GOOD_SERVER | {"EMAIL_URL": "dummymail://"}, SILENCED_SYSTEM_CHECKS="common.E001"
    )
    assert result.returncode == 0, result.stderr


def test_server_defaults_are_no_console_mail_and_the_database_cache(clean_environment):
    show = (
        "from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.CACHES['default']['BACKEND'], repr(s.PORTAL_URL))"
    )
    server = manage("shell", "-c", show, DEBUG="0", SECRET_KEY="x" * 60).stdout.split()
    laptop = manage("shell", "-c", show, DEBUG="1").stdout.split()
    assert server[-3:] == [
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.cache.backends.db.DatabaseCache",
        "''",
    ]
    assert laptop[-3:] == [
        "django.core.mail.backends.console.EmailBackend",
        "django.core.cache.backends.locmem.LocMemCache",
        "'http://127.0.0.1:8000'",
    ]


def wsgi_import(environment):
    env = {"PATH": "/usr/bin:/bin", **environment}
    return subprocess.run(  # noqa: S603 - our own WSGI module, fixed arguments
        [sys.executable, "-c", "import remigration.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_gunicorn_cannot_load_the_portal_with_unsafe_settings():
    unsafe = wsgi_import({**GOOD_SERVER, "EMAIL_URL": "consolemail://"})
    assert unsafe.returncode != 0
    assert "refuses to start" in unsafe.stderr and "EMAIL_URL" in unsafe.stderr

    assert wsgi_import(GOOD_SERVER).returncode == 0
