"""Password reset answers a known and an unknown address alike: the request validates the
form and enqueues one task; the worker looks the address up and queues the mail."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from outbox.models import Email
from tests.conftest import DATABASE_TASKS

pytestmark = pytest.mark.django_db

UNKNOWN = "nobody-here@example.lv"


def shape(sql):
    """A statement without its values (addresses, ids, times), to compare two requests."""
    return re.sub(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b|%s", "?", sql)


def ask(client, address, capture):
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        response = client.post(reverse("accounts:password_reset"), {"email": address})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    return [shape(query["sql"]) for query in queries.captured_queries]


def test_known_and_unknown_addresses_get_the_same_request(
    client, settings, kurzeme_coordinator, django_capture_on_commit_callbacks, caplog
):
    settings.TASKS = DATABASE_TASKS

    known = ask(client, kurzeme_coordinator.email, django_capture_on_commit_callbacks)
    unknown = ask(client, UNKNOWN, django_capture_on_commit_callbacks)

    assert known == unknown
    assert not any("coordinators_user" in statement for statement in known)
    tasks = DBTaskResult.objects.order_by("enqueued_at")
    assert [task.task_path for task in tasks] == ["accounts.tasks.password_reset_mail_task"] * 2
    assert [task.args_kwargs["kwargs"]["email"] for task in tasks] == [
        kurzeme_coordinator.email,
        UNKNOWN,
    ]
    assert not Email.objects.exists()
    assert kurzeme_coordinator.email not in caplog.text and UNKNOWN not in caplog.text


def test_the_worker_queues_one_mail_for_a_known_address_and_none_for_an_unknown(
    client, settings, kurzeme_coordinator, django_capture_on_commit_callbacks, keep_test_connection
):
    settings.TASKS = DATABASE_TASKS
    ask(client, kurzeme_coordinator.email, django_capture_on_commit_callbacks)
    ask(client, UNKNOWN, django_capture_on_commit_callbacks)

    call_command("worker", "--once", stdout=StringIO())

    (mail,) = Email.objects.filter(purpose=Email.Purpose.PASSWORD_RESET)
    assert mail.to == kurzeme_coordinator.email
    assert "https://portal.example.lv/account/password-reset/" in mail.body
    results = DBTaskResult.objects.filter(task_path="accounts.tasks.password_reset_mail_task")
    assert sorted(task.return_value for task in results) == [0, 1]


def test_an_invalid_address_is_a_form_error_and_keeps_what_was_typed(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "not an address"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert 'value="not an address"' in response.text


def test_too_many_requests_from_one_connection_get_429_with_the_address_kept(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = 2
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 0
    settings.TASKS = DATABASE_TASKS
    url = reverse("accounts:password_reset")
    for number in range(2):
        assert client.post(url, {"email": f"person{number}@example.lv"}).status_code == 302

    response = client.post(url, {"email": "third@example.lv"})

    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.PASSWORD_RESET_RATE_WINDOW_SECONDS)
    assert 'value="third@example.lv"' in response.text
    assert "pieprasītas vairākas" in response.text  # the reason, in the page's language
    assert DBTaskResult.objects.count() == 2


def test_an_address_asked_for_too_often_gets_the_same_page_and_no_more_mail(
    client, settings, kurzeme_coordinator
):
    settings.PASSWORD_RESET_RATE_LIMIT = 0
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 2
    settings.TASKS = DATABASE_TASKS
    url = reverse("accounts:password_reset")
    responses = [
        client.post(url, {"email": address})
        for address in [
            kurzeme_coordinator.email,
            kurzeme_coordinator.email.upper(),
            kurzeme_coordinator.email,
        ]
    ]

    assert [(r.status_code, r.url) for r in responses] == [
        (302, reverse("accounts:password_reset_done"))
    ] * 3
    assert DBTaskResult.objects.count() == 2
