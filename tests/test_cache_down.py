"""With the cache down (Redis stopped, or hanging), the public form still takes a person's
message: the rate limit lets it through and logs a warning, and nothing else on the way
(sessions, the login lockout) needs the cache."""

import logging
import socket
import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from coordinators.models import Case
from tests.test_contact_form import LV_URL, form_data
from tests.test_project import manage

pytestmark = pytest.mark.django_db

REDIS = "django.core.cache.backends.redis.RedisCache"
CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def cache_down(settings):
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0
    settings.CONTACT_FORM_RATE_LIMIT = 10
    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": CLOSED_PORT}}
    return settings


@pytest.fixture
def hanging_redis(settings):
    """A port that accepts connections and never answers, as a stuck Redis does."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    settings.CONTACT_FORM_MIN_FILL_SECONDS = 0
    settings.CACHES = {
        "default": {
            "BACKEND": REDIS,
            "LOCATION": f"redis://127.0.0.1:{listener.getsockname()[1]}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    yield
    listener.close()


def test_the_form_accepts_a_submission_while_the_cache_is_down(client, cache_down, caplog):
    with caplog.at_level(logging.WARNING, logger="common.ratelimit"):
        response = client.post(LV_URL, form_data(), REMOTE_ADDR="203.0.113.10")

    assert response.status_code == 302
    assert response["Location"] == reverse("intake:contact_thanks")
    thanks = client.get(response["Location"])  # the session is in the database
    case = Case.objects.get()
    assert thanks.status_code == 200 and case.reference not in thanks.content.decode()
    (record,) = [r for r in caplog.records if "rate limit" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert "ConnectionError" in record.getMessage()
    for private in ["203.0.113.10", "girts.kenins@example.com", "Ģirts"]:
        assert private not in record.getMessage()


def test_a_hanging_cache_costs_a_submission_seconds_not_the_submission(client, hanging_redis):
    started = time.monotonic()
    response = client.post(LV_URL, form_data())
    assert response.status_code == 302
    assert Case.objects.count() == 1
    assert time.monotonic() - started < 10


def test_staff_log_in_and_get_locked_out_while_the_cache_is_down(
    client, cache_down, kurzeme_coordinator, zemgale_coordinator
):
    login = reverse("login")
    statuses = [
        client.post(login, {"username": "zemgale", "password": "guess"}).status_code
        for _attempt in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # django-axes counts in the database

    response = client.post(login, {"username": "kurzeme", "password": "parole-123"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200  # the session is in the database


def test_sessions_and_lockouts_do_not_live_in_the_cache():
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert django_settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_a_redis_cache_from_cache_url_gives_up_after_a_second():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.CACHES['default'])",
        DEBUG="1",
        CACHE_URL="redis://127.0.0.1:6379/9",
    )
    assert "'socket_connect_timeout': 1" in result.stdout, result.stderr
    assert "'socket_timeout': 1" in result.stdout
