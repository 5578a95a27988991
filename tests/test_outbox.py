import contextlib
from datetime import timedelta
from smtplib import SMTPRecipientsRefused, SMTPResponseException, SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from outbox.models import MAX_ATTEMPTS, Email, SendingPause
from outbox.services import email_enqueue, email_send_due

pytestmark = pytest.mark.django_db


def enqueue(**kwargs):
    defaults = {
        "to": "ilze@example.com",
        "subject": "Paldies!",
        "body": "Sveika, Ilze!",
        "purpose": Email.Purpose.CONTACT_CONFIRMATION,
    }
    return email_enqueue(**(defaults | kwargs))


def test_mail_is_sent_after_commit_with_its_attachment(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = enqueue(attachments=[("piedavajums.pdf", b"%PDF-1.7", "application/pdf")])
        assert mail.outbox == []  # nothing leaves before the transaction commits

    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert mail.outbox[0].to == ["ilze@example.com"]
    assert mail.outbox[0].attachments[0][:2] == ("piedavajums.pdf", b"%PDF-1.7")


def test_failing_mail_server_keeps_the_mail_queued_with_the_error(
    monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(self, *args, **kwargs):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        email = enqueue()

    email.refresh_from_db()
    assert email.status == Email.Status.QUEUED
    assert email.attempts == 0  # the server's fault, not the mail's: it loses no attempt
    assert "Connection unexpectedly closed" in email.last_error
    assert SendingPause.objects.get().until > timezone.now()  # nobody tries for a while


def test_failed_mail_is_logged_without_the_address(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(self, *args, **kwargs):
        raise SMTPRecipientsRefused({"ilze@example.com": (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with (
        caplog.at_level("WARNING", logger="outbox.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = enqueue()

    assert f"E-mail {email.pk} not sent (attempt 1): SMTPRecipientsRefused" in caplog.text
    assert "ilze@example.com" not in caplog.text


def test_send_outbox_retries_mail_that_is_due(capsys):
    email = enqueue()
    Email.objects.filter(pk=email.pk).update(attempts=2, last_error="timeout")
    later = enqueue(subject="Vēlāk")
    Email.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))

    call_command("send_outbox")

    assert Email.objects.get(pk=email.pk).status == Email.Status.SENT
    assert Email.objects.get(pk=later.pk).status == Email.Status.QUEUED
    assert [message.subject for message in mail.outbox] == ["Paldies!"]
    assert "1 sent, 0 failed" in capsys.readouterr().out


def test_mail_gives_up_after_the_last_attempt(monkeypatch, django_capture_on_commit_callbacks):
    def defer(self, *args, **kwargs):
        raise SMTPResponseException(451, b"Try again later")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", defer)
    email = enqueue()
    for _attempt in range(MAX_ATTEMPTS):
        Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        email_send_due()
    email.refresh_from_db()
    assert email.status == Email.Status.FAILED
    assert email.attempts == MAX_ATTEMPTS


def test_one_transaction_asks_the_worker_once_for_all_its_mail(
    django_capture_on_commit_callbacks,
):
    """One send task sends every mail that is due (issue 16: the contact form queued a task
    per mail)."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue(to="first@example.com")
        enqueue(to="second@example.com")
    assert len(callbacks) == 1
    assert sorted(Email.objects.values_list("status", flat=True)) == ["sent", "sent"]


def test_an_ask_from_a_savepoint_rolled_back_does_not_stand_for_a_later_mail(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            enqueue(to="undone@example.com")
            raise RuntimeError("rolled back")
        enqueue(to="kept@example.com")
    assert len(callbacks) == 1
    assert list(Email.objects.values_list("to", "status")) == [("kept@example.com", "sent")]
