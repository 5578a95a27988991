"""Queue e-mail inside the caller's transaction; a background worker sends it.

No web request talks to a mail server: `email_enqueue` writes the mail (and, after the
commit, a task that asks the worker to send what is due). The worker claims each mail with
one conditional UPDATE, so two workers never send the same mail, and holds no row lock
while it talks to the mail server. A refusal for good (5xx) is not retried; a mail server
that does not answer pauses sending for everyone; a worker that dies mid-send leaves the mail
`sending`, and the sweep marks it failed for a person to check rather than sending it twice.

A mail with an attachment that takes time to make (an offer's PDF) is stored `preparing`
with its preparer's dotted path; after the commit the preparer runs in the worker, attaches
the files through `email_attachments_add` and so hands the mail to the sender. The sweep asks
again for mail still preparing after five minutes.
"""

import contextlib
import logging
import secrets
import smtplib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from common.transactions import on_commit_once

from .models import MAX_ATTEMPTS, Attachment, Email, SendingPause

if TYPE_CHECKING:
    # Type only: the outbox sits below the domain and imports none of it at run time.
    from coordinators.models import Case

logger = logging.getLogger(__name__)

# A mail still `sending` after this long belongs to a worker that died mid-send.
STALE_SENDING = timedelta(minutes=15)
# A mail still `preparing` this long after its preparer was asked: ask again.
STALE_PREPARING = timedelta(minutes=5)
CHUNK = 100
ROUND_SECONDS = 20
INTERRUPTED = (
    "The worker stopped while sending this mail; it may or may not have gone out. "
    "Check with the recipient, then use “Retry sending now”."
)


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"  # this mail failed for now (4xx): it comes again later
    REFUSED = "refused"  # refused for good (5xx) or out of attempts: a person looks at it
    SERVER_DOWN = "server_down"  # no answer from the mail server: everyone waits
    NOT_CLAIMED = "not_claimed"  # another worker has it, or it is not due


@dataclass
class SendReport:
    """What one round of sending did."""

    sent: int = 0
    failed: int = 0
    paused: bool = False
    prepared_again: int = 0


def message_id_new() -> str:
    """A Message-ID nobody can guess: a reply is threaded onto a case by the ID it answers
    (inbound.services.case_from_thread), so it must not be predictable as make_msgid's
    time, process id and non-cryptographic random bits are."""
    return f"<{secrets.token_hex(16)}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def email_enqueue(
    *,
    to: str,
    subject: str,
    body: str,
    purpose: str,
    html_body: str = "",
    case: "Case | None" = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    prepare_task: str = "",
    prepare_kwargs: dict[str, Any] | None = None,
) -> Email:
    """Store an e-mail with the business change that causes it; after the commit the worker
    is asked to send it. `attachments` is a sequence of (filename, content, mimetype).

    With `prepare_task` (the dotted path of a task) the mail is stored `preparing` instead,
    and after the commit that task is enqueued with `email_id` and `prepare_kwargs` (JSON);
    it makes the attachments and calls `email_attachments_add`, which queues the mail."""
    email = Email.objects.create(
        to=to,
        reply_to=_reply_address(case=case, purpose=purpose),
        subject=subject,
        body=body,
        html_body=html_body,
        purpose=purpose,
        case=case,
        message_id=message_id_new(),
        status=Email.Status.PREPARING if prepare_task else Email.Status.QUEUED,
        prepare_task=prepare_task,
        prepare_kwargs=prepare_kwargs or {},
    )
    _attach(email.pk, attachments)
    if prepare_task:
        transaction.on_commit(partial(_ask_preparer, email), robust=True)
    else:
        on_commit_once(_ask_worker)  # one send task sends all that is due (issue 16)
    return email


def _reply_address(*, case: "Case | None", purpose: str) -> str:
    """The case's Reply-To for mail to the person: asked of the function named by
    `OUTBOX_REPLY_ADDRESS` (dotted path; the outbox imports no app above it); "" for staff
    mail, mail of no case, or when no function is set."""
    if case is None or purpose not in Email.TO_THE_PERSON or not settings.OUTBOX_REPLY_ADDRESS:
        return ""
    return str(import_string(settings.OUTBOX_REPLY_ADDRESS)(case=case))


def _attach(email_id: int, attachments: Iterable[tuple[str, bytes, str]]) -> None:
    Attachment.objects.bulk_create(
        Attachment(email_id=email_id, filename=name, content=content, mimetype=mimetype)
        for name, content, mimetype in attachments
    )


def _ask_preparer(email: Email) -> None:
    """Enqueue the mail's preparer (a row in the task table, no rendering here)."""
    import_string(email.prepare_task).enqueue(email_id=email.pk, **email.prepare_kwargs)


@transaction.atomic
def email_attachments_add(*, email_id: int, attachments: Iterable[tuple[str, bytes, str]]) -> bool:
    """The preparer's last step: attach the files and queue the mail, in one transaction.
    False, and nothing attached, when the mail is no longer `preparing` (another run of the
    preparer was first): the conditional UPDATE lets only one of them through."""
    queued = Email.objects.filter(pk=email_id, status=Email.Status.PREPARING).update(
        status=Email.Status.QUEUED, next_attempt_at=timezone.now(), last_error=""
    )
    if not queued:
        return False
    _attach(email_id, attachments)
    transaction.on_commit(_ask_worker, robust=True)
    return True


def email_preparation_failed(*, email_id: int, error: BaseException) -> None:
    """The preparer could not make the attachment: the mail stays `preparing` with the error
    for a person to see; the sweep asks again, and /healthz tells when it takes too long."""
    Email.objects.filter(pk=email_id, status=Email.Status.PREPARING).update(
        last_error=f"{type(error).__name__}: {error}"[:2000]
    )
    logger.warning("E-mail %s not prepared: %s", email_id, type(error).__name__)


def _ask_worker(after: datetime | None = None) -> None:
    """Enqueue the send task (at once, or `after` a time): a row in the task table, no
    network. If this fails, the worker's sweep finds the mail within a minute anyway."""
    from .tasks import send_due

    if after is not None and send_due.get_backend().supports_defer:
        send_due.using(run_after=after).enqueue()
    else:
        send_due.enqueue()


def sending_paused(now: datetime | None = None) -> bool:
    """Whether the mail server was found not answering a moment ago."""
    return SendingPause.objects.filter(until__gt=now or timezone.now()).exists()


def email_send_due(
    *, ids: Sequence[int] | None = None, limit: int | None = None, now: datetime | None = None
) -> SendReport:
    """Send the queued mail that is due (optionally only `ids`), oldest first; stop at the
    first sign that the mail server is down. A round lasts at most ROUND_SECONDS and then
    hands the rest to a new task, so a slow mail server never keeps a worker from stopping
    (or from its other tasks) for long."""
    report = SendReport()
    if sending_paused(now):
        report.paused = True
        return report
    deadline = time.monotonic() + ROUND_SECONDS
    smtp = None
    try:
        while limit is None or report.sent + report.failed < limit:
            # In chunks, until nothing is due: mail queued during the round goes too.
            queryset = Email.objects.due(now)
            if ids is not None:
                queryset = queryset.filter(pk__in=ids)
            due = list(queryset.values_list("pk", flat=True)[:CHUNK])
            if not due:
                break
            if smtp is None:
                smtp = _smtp_open()
                if smtp is None:
                    report.paused = True
                    break
            for pk in due:
                if time.monotonic() > deadline:
                    _ask_worker()  # the rest in a task of its own
                    return report
                outcome = email_send(email_id=pk, connection=smtp)
                if outcome is Outcome.SENT:
                    report.sent += 1
                elif outcome is not Outcome.NOT_CLAIMED:
                    report.failed += 1
                if outcome is Outcome.SERVER_DOWN:
                    report.paused = True
                    return report
    finally:
        if smtp is not None:
            with contextlib.suppress(Exception):  # the round is over; a dead line is fine
                smtp.close()
    return report


def _smtp_open() -> BaseEmailBackend | None:
    """One connection to the mail server for the whole round; None (and a pause) if the
    server cannot be reached."""
    smtp: BaseEmailBackend = get_connection()
    try:
        smtp.open()
    except Exception as error:  # noqa: BLE001 - whatever it is, the server is not usable
        _pause(now=timezone.now(), reason=type(error).__name__)
        logger.warning("Mail server not reachable: %s; sending paused", type(error).__name__)
        return None
    return smtp


def email_claim(*, email_id: int, now: datetime | None = None) -> Email | None:
    """Take one due mail for this worker: a conditional UPDATE, committed at once, so no
    row lock is held while the mail server is talked to. None if someone else has it."""
    now = now or timezone.now()
    claimed = (
        Email.objects.due(now)
        .filter(pk=email_id)
        .update(status=Email.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return Email.objects.prefetch_related("attachments").get(pk=email_id)


def email_message(
    email: Email, connection: BaseEmailBackend | None = None
) -> EmailMultiAlternatives:
    """The message as it goes out, with the mail's own, stable Message-ID."""
    message = EmailMultiAlternatives(
        connection=connection,
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": email.message_id} if email.message_id else None,
        reply_to=[email.reply_to] if email.reply_to else None,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


def email_send(*, email_id: int, connection: BaseEmailBackend | None = None) -> Outcome:
    """Claim one mail, send it (through `connection` if given), record what happened."""
    email = email_claim(email_id=email_id)
    if email is None:
        return Outcome.NOT_CLAIMED
    try:
        sent = email_message(email, connection).send()
        if not sent:  # the backend swallowed an error (fail_silently) or refused it
            raise smtplib.SMTPException("The mail server did not take the message.")
    except Exception as error:  # noqa: BLE001 - any failure must leave the mail recorded
        return _record_failure(email, error)
    Email.objects.filter(pk=email.pk).update(
        status=Email.Status.SENT, sent_at=timezone.now(), claimed_at=None, last_error=""
    )
    SendingPause.objects.all().delete()
    return Outcome.SENT


def failure_kind(error: BaseException) -> Outcome:
    """5xx for this mail: refused for good; 4xx: later; no (sane) answer: the server is down."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        permanent = bool(codes) and all(500 <= code < 600 for code in codes)
        return Outcome.REFUSED if permanent else Outcome.RETRY
    if isinstance(error, smtplib.SMTPConnectError | smtplib.SMTPAuthenticationError):
        return Outcome.SERVER_DOWN  # the server's or our configuration's fault, not the mail's
    if isinstance(error, smtplib.SMTPResponseException):
        return Outcome.REFUSED if 500 <= error.smtp_code < 600 else Outcome.RETRY
    if isinstance(error, OSError):  # timeouts, refused connections, a dropped connection
        return Outcome.SERVER_DOWN
    return Outcome.RETRY


def _record_failure(email: Email, error: BaseException) -> Outcome:
    kind = failure_kind(error)
    now = timezone.now()
    if kind is Outcome.RETRY and email.attempts >= MAX_ATTEMPTS:
        kind = Outcome.REFUSED
    fields: dict[str, object] = {
        "last_error": f"{type(error).__name__}: {error}"[:2000],
        "claimed_at": None,
    }
    if kind is Outcome.REFUSED:
        fields["status"] = Email.Status.FAILED
    elif kind is Outcome.SERVER_DOWN:
        # Not the mail's fault: it keeps its place and its attempts; the pause holds everyone.
        fields.update(status=Email.Status.QUEUED, attempts=F("attempts") - 1)
    else:
        fields.update(status=Email.Status.QUEUED, next_attempt_at=now + email.retry_delay())
    Email.objects.filter(pk=email.pk).update(**fields)
    if kind is Outcome.SERVER_DOWN:
        _pause(now=now, reason=type(error).__name__)
    # The log names the row and the kind of error, never the address or the text: an
    # SMTP error's message may carry the recipient (SMTPRecipientsRefused does).
    logger.warning(
        "E-mail %s not sent (attempt %s): %s", email.pk, email.attempts, type(error).__name__
    )
    return kind


@transaction.atomic
def _pause(*, now: datetime, reason: str) -> None:
    """Nobody tries for a while: 30 s, doubling to at most 10 minutes while it lasts."""
    pause = SendingPause.objects.select_for_update().order_by("pk").first()
    failures = (pause.failures if pause else 0) + 1
    first, longest = settings.OUTBOX_PAUSE_SECONDS
    length = timedelta(seconds=min(first * 2 ** (failures - 1), longest))
    if pause is None:
        pause = SendingPause(failures=0)
    pause.until, pause.failures, pause.reason = now + length, failures, reason[:200]
    pause.save()
    # Whoever starts a pause asks for one try when it ends (tasks that find the pause on
    # just stop), so sending resumes within seconds, not at the next minute's sweep.
    transaction.on_commit(lambda: _ask_worker(after=pause.until), robust=True)


def email_sweep(*, now: datetime | None = None) -> SendReport:
    """The worker's minute: mark mail whose worker died mid-send as failed (never send it
    twice), then send what is due."""
    now = now or timezone.now()
    interrupted = Email.objects.filter(
        status=Email.Status.SENDING, claimed_at__lt=now - STALE_SENDING
    ).update(status=Email.Status.FAILED, last_error=INTERRUPTED, claimed_at=None)
    if interrupted:
        logger.error("%s e-mail(s) interrupted while sending; marked failed", interrupted)
    prepared_again = email_prepare_again(now=now)
    report = email_send_due(now=now)
    report.prepared_again = prepared_again
    return report


def email_prepare_again(*, now: datetime | None = None) -> int:
    """Ask again for mail still `preparing` five minutes after its preparer was last asked
    (the task failed, or was never enqueued), at most once every five minutes each. The
    preparer is named on the mail, so the outbox imports no domain module for it."""
    now = now or timezone.now()
    stuck = Email.objects.filter(
        status=Email.Status.PREPARING, next_attempt_at__lt=now - STALE_PREPARING
    ).exclude(prepare_task="")
    asked = 0
    for email in stuck.only("pk", "prepare_task", "prepare_kwargs", "next_attempt_at"):
        claimed = Email.objects.filter(
            pk=email.pk, status=Email.Status.PREPARING, next_attempt_at=email.next_attempt_at
        ).update(next_attempt_at=now)
        if not claimed:
            continue  # another sweep has just asked
        try:
            _ask_preparer(email)
        except Exception as error:  # noqa: BLE001 - one bad preparer must not stop the sweep
            logger.error("E-mail %s: preparer not enqueued: %s", email.pk, type(error).__name__)
            continue
        asked += 1
    return asked


def email_retry(*, ids: Iterable[int]) -> int:
    """A person has looked at failed mail and wants it sent again: queue it now."""
    count = (
        Email.objects.filter(pk__in=list(ids))
        .filter(Q(status=Email.Status.FAILED) | Q(status=Email.Status.QUEUED))
        .update(status=Email.Status.QUEUED, next_attempt_at=timezone.now(), attempts=0)
    )
    transaction.on_commit(_ask_worker, robust=True)
    return count
