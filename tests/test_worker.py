"""The background worker: mail leaves only through it, exactly once, and the schedule runs
each job once per slot however many workers there are."""

import datetime
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from coordinators.models import ContactSubmission
from jobs.models import JobRun
from jobs.schedule import SCHEDULE, daily_at
from jobs.services import schedule_run_due, worker_health
from outbox.health import outbox_health
from outbox.models import Email, SendingPause
from outbox.services import (
    INTERRUPTED,
    email_attachments_add,
    email_claim,
    email_enqueue,
    email_preparation_failed,
    email_send_due,
    email_sweep,
)
from tests.conftest import DATABASE_TASKS
from tests.test_contact_form import LV_URL, form_data

pytestmark = pytest.mark.django_db

RIGA = datetime.timezone(datetime.timedelta(hours=2))  # December: EET


def queue(**kwargs):
    values = {"to": "ilze@example.com", "subject": "Paldies", "body": "Teksts"} | kwargs
    return email_enqueue(purpose=Email.Purpose.CONTACT_CONFIRMATION, **values)


def refuse_with(monkeypatch, error):
    calls = []

    def send(self, messages):
        calls.append(messages)
        raise error

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", send)
    return calls


class NoSmtpBackend:
    """A mail backend that fails the test if anybody opens a connection."""

    def __init__(self, *args, **kwargs):
        raise AssertionError("a web request opened a mail connection")


@override_settings(
    TASKS=DATABASE_TASKS,
    EMAIL_BACKEND="tests.test_worker.NoSmtpBackend",
    CONTACT_FORM_MIN_FILL_SECONDS=0,
)
def test_a_web_request_queues_mail_and_a_task_but_never_talks_to_the_mail_server(
    client, kurzeme_coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LV_URL, form_data())

    assert response.status_code == 302
    # The request stored the submission and its task only; the worker composes the mail.
    assert not Email.objects.exists()
    assert ContactSubmission.objects.get().status == ContactSubmission.Status.RECEIVED
    assert DBTaskResult.objects.ready().count() == 1


@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_sends_the_queued_mail(keep_test_connection, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
    assert mail.outbox == []

    call_command("worker", "--once", stdout=StringIO())

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.successful().count() >= 2  # the send task and the sweep


def test_two_workers_never_claim_the_same_mail():
    email = queue()
    assert email_claim(email_id=email.pk) is not None
    assert email_claim(email_id=email.pk) is None
    assert Email.objects.get(pk=email.pk).status == Email.Status.SENDING


def test_a_retried_mail_keeps_its_message_id(monkeypatch):
    email = queue()
    refuse_with(monkeypatch, smtplib.SMTPResponseException(451, b"Greylisted, try later"))
    email_send_due()
    monkeypatch.undo()
    Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())

    email_send_due()

    assert mail.outbox[0].extra_headers["Message-ID"] == email.message_id
    assert mail.outbox[0].message()["Message-ID"] == email.message_id
    assert email.message_id.endswith("@remigracija.lv>")
    assert Email.objects.get(pk=email.pk).attempts == 2


def test_a_permanent_refusal_is_not_retried(monkeypatch):
    email = queue()
    refuse_with(monkeypatch, smtplib.SMTPRecipientsRefused({"ilze@example.com": (550, b"No")}))

    email_send_due()

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert email.attempts == 1
    assert "SMTPRecipientsRefused" in email.last_error


def test_a_mail_server_that_does_not_answer_pauses_sending_for_every_mail(monkeypatch):
    first, second = queue(), queue(subject="Otrs")
    calls = refuse_with(monkeypatch, TimeoutError("timed out"))

    report = email_send_due()

    assert report.paused and len(calls) == 1  # one timeout, not one per queued mail
    assert Email.objects.get(pk=second.pk).attempts == 0
    Email.objects.update(next_attempt_at=timezone.now())
    assert email_send_due().paused and len(calls) == 1  # still paused: nobody tries
    monkeypatch.undo()
    SendingPause.objects.update(until=timezone.now())

    email_send_due()

    assert Email.objects.filter(status=Email.Status.SENT).count() == 2
    assert not SendingPause.objects.exists()
    assert {message.subject for message in mail.outbox} == {first.subject, second.subject}


def test_a_mail_whose_worker_died_while_sending_is_failed_for_a_person_not_sent_again():
    email = queue()
    email_claim(email_id=email.pk)
    Email.objects.filter(pk=email.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(minutes=20)
    )

    email_sweep()

    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert email.last_error == INTERRUPTED
    assert mail.outbox == []
    assert outbox_health()[1]["failed"] == 1


def test_health_reports_mail_that_waits_too_long():
    assert outbox_health()[0] is True
    email = queue()
    Email.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    ok, detail = outbox_health()
    assert ok is False and detail["oldest_due_seconds"] >= 1800
    assert "ilze" not in str(detail)


@override_settings(TASKS=DATABASE_TASKS)
def test_each_job_runs_once_per_slot_whatever_the_number_of_workers():
    monday_morning = datetime.datetime(2026, 11, 30, 7, 30, tzinfo=RIGA)

    first = schedule_run_due(now=monday_morning)
    second = schedule_run_due(now=monday_morning)

    assert set(first) == {job.name for job in SCHEDULE}
    assert second == []
    assert JobRun.objects.count() == len(SCHEDULE)
    assert DBTaskResult.objects.ready().count() == len(SCHEDULE)
    assert schedule_run_due(now=monday_morning + datetime.timedelta(minutes=1)) == [
        "outbox_sweep",
        "inbound_mailbox",
    ]


def test_the_digest_slot_is_a_working_day_after_seven():
    digest = daily_at(7, 0, working_days_only=True)
    assert digest(datetime.datetime(2026, 11, 30, 6, 59, tzinfo=RIGA)) is None
    assert digest(datetime.datetime(2026, 11, 30, 7, 0, tzinfo=RIGA)) == "2026-11-30"
    assert digest(datetime.datetime(2026, 12, 5, 9, 0, tzinfo=RIGA)) is None  # Saturday


@override_settings(TASKS=DATABASE_TASKS)
def test_a_scheduled_job_records_its_result(keep_test_connection):
    call_command("worker", "--once", stdout=StringIO())

    sweep = JobRun.objects.get(name="outbox_sweep")
    assert sweep.ok is True and sweep.finished_at is not None
    assert worker_health()[0] is True


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=1,  # nothing listens there
    EMAIL_TIMEOUT=2,
)
def test_an_unreachable_mail_server_pauses_sending_and_costs_the_mail_nothing():
    email = queue()

    report = email_send_due()

    assert report.paused and report.sent == 0
    email.refresh_from_db()
    assert email.status == Email.Status.QUEUED and email.attempts == 0
    assert SendingPause.objects.get().reason == "ConnectionRefusedError"


def test_a_long_round_hands_the_rest_to_a_new_task(monkeypatch):
    """A slow mail server must not keep a worker in one task for minutes: after
    ROUND_SECONDS the round stops and asks for another."""
    queue(), queue(subject="Otrs")
    clock = iter([0.0, 0.0, 100.0])  # the start, the first mail, the second
    monkeypatch.setattr("outbox.services.time.monotonic", lambda: next(clock))
    asked = []
    monkeypatch.setattr("outbox.services._ask_worker", lambda after=None: asked.append(after))

    report = email_send_due()

    assert report.sent == 1 and asked == [None]
    assert Email.objects.filter(status=Email.Status.QUEUED).count() == 1


# Mail whose attachment the worker makes first (an offer's PDF) ----------------------------

PREPARER = "tests.test_worker.prepare_probe"


@task()
def prepare_probe(*, email_id, name):
    """A preparer as the domain writes one: make the file, attach it, queue the mail."""
    return email_attachments_add(
        email_id=email_id, attachments=[(name, b"%PDF-1.7 probe", "application/pdf")]
    )


def preparing(**kwargs):
    return queue(prepare_task=PREPARER, prepare_kwargs={"name": "piedavajums.pdf"}, **kwargs)


def test_mail_that_is_preparing_is_never_due_and_the_preparer_queues_it():
    email = preparing()  # no commit in this test: the preparer has not been asked yet

    assert email.status == Email.Status.PREPARING
    assert not Email.objects.due().exists()
    assert email_send_due().sent == 0

    assert email_attachments_add(email_id=email.pk, attachments=[("a.pdf", b"%PDF", "x/y")])
    assert not email_attachments_add(email_id=email.pk, attachments=[("b.pdf", b"%PDF", "x/y")])

    email.refresh_from_db()
    assert email.status == Email.Status.QUEUED
    assert list(email.attachments.values_list("filename", flat=True)) == ["a.pdf"]
    email_send_due()
    assert mail.outbox[0].attachments[0][0] == "a.pdf"


@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_runs_the_preparer_named_on_the_mail_then_sends(
    keep_test_connection, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = preparing()
    assert DBTaskResult.objects.ready().get().task_path == PREPARER

    call_command("worker", "--once", stdout=StringIO())

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    (message,) = mail.outbox
    assert message.attachments[0][0] == "piedavajums.pdf"


@override_settings(TASKS=DATABASE_TASKS)
def test_the_sweep_asks_again_for_mail_still_preparing_after_five_minutes():
    email = preparing()  # its preparer was never enqueued (no commit hook ran)
    now = timezone.now()
    Email.objects.filter(pk=email.pk).update(next_attempt_at=now - datetime.timedelta(minutes=4))

    assert email_sweep(now=now).prepared_again == 0

    Email.objects.filter(pk=email.pk).update(next_attempt_at=now - datetime.timedelta(minutes=6))
    assert email_sweep(now=now).prepared_again == 1
    assert email_sweep(now=now).prepared_again == 0  # asked a moment ago: not again yet
    task_result = DBTaskResult.objects.ready().get(task_path=PREPARER)
    assert task_result.args_kwargs["kwargs"] == {"email_id": email.pk, "name": "piedavajums.pdf"}


def test_health_and_dashboard_report_mail_preparing_for_too_long(client, national_admin):
    email = preparing()
    email_preparation_failed(email_id=email.pk, error=RuntimeError("no font"))
    email.refresh_from_db()
    assert email.status == Email.Status.PREPARING
    assert email.last_error == "RuntimeError: no font"
    assert outbox_health()[0] is True  # young: its preparer may still get there

    Email.objects.filter(pk=email.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16)
    )

    ok, detail = outbox_health()
    assert ok is False and detail["preparing_too_long"] == 1
    client.force_login(national_admin)
    dashboard = client.get(reverse("home"))
    assert dashboard.context["counts"]["mail_failed"] == 1
    assert "?status__in=failed,preparing" in dashboard.text  # the admin list shows it too
