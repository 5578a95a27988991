"""/healthz: what a monitor or load balancer polls. 200 while the database and the cache
answer, 503 naming the check that failed; no login, no second factor, no session, no audit
entry, a couple of queries at most."""

import datetime
import json

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from jobs.models import JobRun
from outbox.models import Email
from tests.factories import NationalAdminFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def worker_running(db):
    """A background worker claimed this minute's sweep, as one does every minute."""
    return JobRun.objects.create(name="outbox_sweep", slot="now")


CLOSED_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def failing_check():
    raise RuntimeError("host db.internal.example refused")


def unhappy_check():
    return False, {"oldest_minutes": 42}


def test_healthy_portal_answers_200_with_every_check(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "outbox_health", "worker_health"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "failed" not in body


def test_cache_that_does_not_answer_makes_it_503_naming_the_cache(client, settings):
    settings.CACHES = CLOSED_REDIS

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["cache"]["error"] == "ConnectionError"
    assert body["checks"]["database"]["ok"] is True


def test_no_worker_for_five_minutes_makes_it_503(client, worker_running):
    JobRun.objects.filter(pk=worker_running.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=6)
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["worker_health"]


def test_mail_waiting_too_long_makes_it_503_and_given_up_mail_is_counted(client):
    old = timezone.now() - datetime.timedelta(minutes=30)
    Email.objects.create(to="ilze@example.com", subject="s", body="b", next_attempt_at=old)
    Email.objects.create(to="anna@example.com", subject="s", body="b", status="failed")

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["outbox_health"]
    assert body["checks"]["outbox_health"]["failed"] == 1
    assert "example.com" not in response.text


def test_checks_registered_by_other_apps_count_and_say_only_their_figures(client, settings):
    settings.HEALTH_CHECKS = [
        *settings.HEALTH_CHECKS,
        "tests.test_health.unhappy_check",
        "tests.test_health.failing_check",
    ]

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["unhappy_check", "failing_check"]
    assert body["checks"]["unhappy_check"]["oldest_minutes"] == 42
    # An exception's message may name hosts or quote values: only its class is shown.
    assert body["checks"]["failing_check"]["error"] == "RuntimeError"
    assert "db.internal" not in response.text


def test_health_check_writes_no_audit_entry_and_no_session(client):
    audit_before, log_before = AuditEntry.objects.count(), LogEntry.objects.count()

    for _poll in range(3):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert AuditEntry.objects.count() == audit_before
    assert LogEntry.objects.count() == log_before
    assert "sessionid" not in response.cookies


def test_national_admin_without_second_factor_still_reaches_it(settings):
    """A monitor may poll with any cookie; the two-factor redirect must not turn it into 302."""
    settings.OTP_REQUIRED_FOR_NATIONAL_ADMINS = True
    client = Client()
    client.force_login(NationalAdminFactory())

    response = client.get("/healthz")

    assert response.status_code == 200


def test_plain_http_is_not_redirected_to_https(client, settings):
    """A monitor on the machine asks http://127.0.0.1:8000/healthz; with SSL redirect on,
    every other URL answers 301."""
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/dod-zinu/").status_code == 301


def test_answer_holds_no_personal_data(client):
    NationalAdminFactory(email="girts.kenins@example.com", first_name="Ģirts")

    body = json.dumps(client.get("/healthz").json())

    assert "example.com" not in body and "Ģirts" not in body
    assert set(json.loads(body)) == {"status", "checks"}


def test_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
