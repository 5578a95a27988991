"""Closing a reporting period runs in the worker, not in the request: the request stores the
period pending and enqueues the task; the worker stores the figures (exactly those of
tests/test_report_period_lock.py) and marks it closed, or failed (audited, closable again).
While pending, its report is live with a notice, it cannot be reopened, the same or an
overlapping period cannot be closed, and a second worker does nothing."""

import datetime
import logging
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEntry
from reports import services
from reports.models import CLOSING_STALE, CLOSING_UNCLAIMED_STALE, ClosedPeriod
from reports.services import (
    PERIOD_STILL_BEING_CLOSED,
    closed_period_close,
    closed_period_create,
    closed_period_reopen,
)
from tests import report_data as data
from tests.conftest import DATABASE_TASKS
from tests.test_report_period_lock import YEAR_2022, en
from tests.test_reports import figures

pytestmark = pytest.mark.django_db
PENDING, CLOSED, FAILED = ClosedPeriod.State


@pytest.fixture(autouse=True)
def worker_queue(settings):
    """The worker's own queue: a closing's task is a row written with the period, which no
    test runs unless it runs the worker (the tests' immediate backend would run it at once,
    inside the request)."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def dataset(db):
    return data.build()


@pytest.fixture
def figure_builds(monkeypatch):
    """Every call of closed_period_figures (the six report builds), still made."""
    calls = []
    build = services.closed_period_figures

    def counted(**dates):
        calls.append(dates)
        return build(**dates)

    monkeypatch.setattr(services, "closed_period_figures", counted)
    return calls


def ask_to_close_2022(admin):
    """The request's part only (the test's transaction never commits: no task runs)."""
    return closed_period_create(
        date_from=datetime.date(2022, 1, 1), date_to=datetime.date(2022, 12, 31), actor=admin
    )


@override_settings(TASKS=DATABASE_TASKS)
def test_the_request_only_stores_the_period_pending_and_the_worker_stores_the_figures(
    client, dataset, national_admin, figure_builds, keep_test_connection,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(en("reports:periods"), YEAR_2022, follow=True)

    assert asked.redirect_chain == [(en("reports:periods"), 302)]
    assert [str(m) for m in asked.context["messages"]] == [
        "Closing 01.01.2022 – 31.12.2022: the figures are being stored; this page shows when "
        "it is done."
    ]
    assert figure_builds == []
    period = ClosedPeriod.objects.get()
    assert (period.state, period.figures, period.closed_at) == (PENDING, {}, None)
    assert period.closed_by == national_admin
    task = DBTaskResult.objects.ready().get()
    assert task.task_path == "reports.tasks.closed_period_close_task"
    asked_entry = AuditEntry.objects.get(action=AuditEntry.Action.PERIOD_CLOSING)
    assert (asked_entry.actor, asked_entry.object_id) == (national_admin, str(period.pk))
    assert asked_entry.ip_address == "127.0.0.1"
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PERIOD_CLOSED).exists()
    assert 'data-state="pending"' in asked.text
    assert '<meta http-equiv="refresh" content="5">' in asked.text
    assert en("reports:period_reopen", period.pk) not in asked.text

    call_command("worker", "--once", stdout=StringIO())

    period.refresh_from_db()
    assert period.state == CLOSED and period.closed_at is not None
    assert figure_builds == [
        {"date_from": datetime.date(2022, 1, 1), "date_to": datetime.date(2022, 12, 31)}
    ]
    assert set(period.figures) == {"national", "KUR", "ZEM", "RIG", "VID", "LAT"}
    assert period.figures["national"]["headline"]["active"] == data.NATIONAL_2022["active"]
    assert (
        period.figures["KUR"]["headline"]["people_returned"] == data.KURZEME_2022["people_returned"]
    )
    closed_entry = AuditEntry.objects.get(action=AuditEntry.Action.PERIOD_CLOSED)
    assert (closed_entry.actor, closed_entry.object_id) == (national_admin, str(period.pk))
    listing = client.get(en("reports:periods"))
    assert 'data-state="closed"' in listing.text
    assert "http-equiv" not in listing.text
    assert 'data-closed="stored"' in client.get(en("reports:report"), YEAR_2022).text


def test_the_report_of_a_period_being_closed_is_live_and_says_so(
    client, dataset, national_admin, kurzeme_coordinator
):
    ask_to_close_2022(national_admin)
    client.force_login(national_admin)
    page = client.get(en("reports:report"), YEAR_2022)
    assert 'data-closing="pending"' in page.text
    assert "This period is being closed" in page.text
    assert "data-closed" not in page.text
    assert {key: figures(page)[key] for key in data.NATIONAL_2022} == data.NATIONAL_2022
    assert "Close this period" not in page.text
    assert "Reopen this period" not in page.text
    client.force_login(kurzeme_coordinator)
    regional = client.get(en("reports:report"), YEAR_2022)
    assert 'data-closing="pending"' in regional.text
    assert {key: figures(regional)[key] for key in data.KURZEME_2022} == data.KURZEME_2022


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        (YEAR_2022, "This period is already being closed"),
        (
            {"date_from": "01.07.2022", "date_to": "30.06.2023"},
            "The period 01.01.2022 – 31.12.2022, which overlaps this one, is being closed",
        ),
    ],
)
def test_a_period_being_closed_or_overlapping_one_cannot_be_closed_meanwhile(
    client, national_admin, typed, error
):
    ask_to_close_2022(national_admin)
    client.force_login(national_admin)
    refused = client.post(en("reports:periods"), typed)
    assert refused.status_code == 200
    assert error in refused.text
    assert f'value="{typed["date_from"]}"' in refused.text
    assert "http-equiv" not in refused.text  # no reload over the form sent back
    assert ClosedPeriod.objects.count() == 1
    # A period that does not overlap it is closed as usual.
    other = client.post(en("reports:periods"), {"date_from": "01.01.2021", "date_to": "31.12.2021"})
    assert other.status_code == 302
    assert ClosedPeriod.objects.pending().count() == 2


def test_a_period_being_closed_cannot_be_reopened(client, national_admin):
    period = ask_to_close_2022(national_admin)
    client.force_login(national_admin)
    url = en("reports:period_reopen", period.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "too early"}).status_code == 404
    with pytest.raises(ValidationError) as refused:
        closed_period_reopen(period=period, actor=national_admin, reason="too early")
    assert refused.value.messages == [str(PERIOD_STILL_BEING_CLOSED)]
    period.refresh_from_db()
    assert (period.state, period.reopened_at) == (PENDING, None)


def test_a_second_worker_or_a_second_run_does_not_close_it_twice(
    dataset, national_admin, figure_builds
):
    period = ask_to_close_2022(national_admin)
    assert closed_period_close(period_id=period.pk) is True
    assert closed_period_close(period_id=period.pk) is False
    assert len(figure_builds) == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PERIOD_CLOSED).count() == 1
    # A closing another worker has claimed (started_at set) is left to it.
    claimed = closed_period_create(
        date_from=datetime.date(2021, 1, 1), date_to=datetime.date(2021, 12, 31),
        actor=national_admin,
    )  # fmt: skip
    ClosedPeriod.objects.filter(pk=claimed.pk).update(started_at=timezone.now())
    assert closed_period_close(period_id=claimed.pk) is False
    assert len(figure_builds) == 1
    claimed.refresh_from_db()
    assert (claimed.state, claimed.figures) == (PENDING, {})


def test_a_failed_closing_is_marked_failed_audited_and_may_be_closed_again(
    client, dataset, national_admin, monkeypatch, caplog
):
    period = ask_to_close_2022(national_admin)
    build = services.closed_period_figures
    monkeypatch.setattr(services, "closed_period_figures", lambda **dates: 1 / 0)

    with (
        caplog.at_level(logging.ERROR, logger="reports.services"),
        pytest.raises(services.ClosingFailed, match="^ZeroDivisionError$") as raised,
    ):  # raised, so the worker records the task as failed
        closed_period_close(period_id=period.pk)

    # Without the error's text or its traceback, which the task's result would keep.
    assert raised.value.__cause__ is None and raised.value.__suppress_context__

    period.refresh_from_db()
    assert (period.state, period.figures, period.closed_at) == (FAILED, {}, None)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERIOD_CLOSE_FAILED)
    assert (entry.actor, entry.object_id) == (national_admin, str(period.pk))
    assert entry.detail == "reports: period 01.01.2022-31.12.2022 not closed: ZeroDivisionError"
    assert [r.getMessage() for r in caplog.records] == [
        f"Closing period {period.pk} failed: ZeroDivisionError"
    ]
    client.force_login(national_admin)
    listing = client.get(en("reports:periods"))
    assert 'data-state="failed"' in listing.text
    assert "Close again" in listing.text
    assert "http-equiv" not in listing.text
    report = client.get(en("reports:report"), YEAR_2022)
    assert "data-closing" not in report.text and "data-closed" not in report.text
    assert "Close this period" in report.text

    monkeypatch.setattr(services, "closed_period_figures", build)
    again = client.post(en("reports:periods"), YEAR_2022)
    assert again.status_code == 302
    assert closed_period_close(period_id=ClosedPeriod.objects.pending().get().pk)  # the worker
    assert ClosedPeriod.objects.filter(state=FAILED).count() == 1
    closed = ClosedPeriod.objects.in_force().get()
    assert closed.pk != period.pk
    assert closed.figures["national"]["headline"]["active"] == data.NATIONAL_2022["active"]


def test_a_closing_whose_worker_was_lost_no_longer_holds_the_period(
    client, dataset, national_admin, figure_builds
):
    lost = ask_to_close_2022(national_admin)
    ClosedPeriod.objects.filter(pk=lost.pk).update(
        requested_at=timezone.now() - CLOSING_STALE - datetime.timedelta(minutes=1),
        started_at=timezone.now() - CLOSING_STALE,
    )
    client.force_login(national_admin)
    listing = client.get(en("reports:periods"))
    assert 'data-state="failed"' in listing.text and "http-equiv" not in listing.text

    again = client.post(en("reports:periods"), YEAR_2022)

    assert again.status_code == 302
    lost.refresh_from_db()
    assert lost.state == FAILED
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PERIOD_CLOSE_FAILED)
    assert entry.object_id == str(lost.pk)
    new = ClosedPeriod.objects.pending().get()
    assert closed_period_close(period_id=new.pk) is True
    assert ClosedPeriod.objects.in_force().get() == new
    assert len(figure_builds) == 1


def test_the_periods_page_runs_the_same_queries_whatever_the_number_of_periods(
    client, national_admin
):
    client.force_login(national_admin)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(en("reports:periods")).status_code == 200
        return len(captured)

    ask_to_close_2022(national_admin)
    one = queries()
    for year in (2019, 2020, 2021):
        closed_period_create(
            date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31),
            actor=national_admin,
        )  # fmt: skip
    ClosedPeriod.objects.filter(date_from__year=2019).update(state=FAILED)
    ClosedPeriod.objects.filter(date_from__year=2020).update(state=CLOSED, closed_at=timezone.now())
    assert queries() == one


def test_the_confirmation_speaks_latvian_first(client, national_admin):
    client.force_login(national_admin)
    with translation.override("lv"):
        url = reverse("reports:periods")
    asked = client.post(url, YEAR_2022, follow=True)
    assert [str(m) for m in asked.context["messages"]] == [
        "Tiek slēgts periods 01.01.2022 – 31.12.2022: skaitļi tiek saglabāti; šī lapa parādīs, "
        "kad tas ir paveikts."
    ]
    assert "tiek slēgts" in asked.text


def test_a_closing_waiting_in_the_queue_is_not_taken_for_lost(client, national_admin):
    """Its task row is written with it, so a closing no worker has taken yet only waits
    behind other tasks: lost only when no worker took it within a day."""
    waiting = ask_to_close_2022(national_admin)
    assert DBTaskResult.objects.ready().get().args_kwargs["kwargs"] == {"period_id": waiting.pk}
    ClosedPeriod.objects.filter(pk=waiting.pk).update(
        requested_at=timezone.now() - CLOSING_STALE - datetime.timedelta(minutes=1)
    )
    waiting.refresh_from_db()
    assert not ClosedPeriod.objects.lost().filter(pk=waiting.pk).exists()
    assert ClosedPeriod.objects.working().get() == waiting
    with pytest.raises(ValidationError, match="jau tiek slēgts"):  # Latvian first
        ask_to_close_2022(national_admin)

    ClosedPeriod.objects.filter(pk=waiting.pk).update(
        requested_at=timezone.now() - CLOSING_UNCLAIMED_STALE - datetime.timedelta(minutes=1)
    )
    waiting.refresh_from_db()
    assert ClosedPeriod.objects.lost().filter(pk=waiting.pk).exists()
    assert not ClosedPeriod.objects.working().exists()
    again = ask_to_close_2022(national_admin)
    waiting.refresh_from_db()
    assert (waiting.state, again.state) == (FAILED, PENDING)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's advisory lock")
def test_closings_asked_for_at_once_wait_for_each_other(national_admin):
    """The overlap check and the insert under one lock, so two overlapping periods asked
    for at the same moment cannot both pass the check."""
    with CaptureQueriesContext(connection) as captured:
        ask_to_close_2022(national_admin)
    statements = [query["sql"] for query in captured.captured_queries]
    lock = next(i for i, sql in enumerate(statements) if "pg_advisory_xact_lock" in sql)
    check = next(i for i, sql in enumerate(statements) if "\"state\" = 'pending'" in sql)
    assert lock < check
