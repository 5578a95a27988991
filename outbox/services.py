"""Queue e-mail inside the caller's transaction; send after commit; retry what failed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone

from .models import Attachment, Email

if TYPE_CHECKING:
    # Type only: the outbox sits below the domain and imports none of it at run time.
    from coordinators.models import Case

logger = logging.getLogger(__name__)


def email_enqueue(
    *,
    to: str,
    subject: str,
    body: str,
    html_body: str = "",
    purpose: str = "",
    case: Case | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> Email:
    """Store an e-mail with the business change that causes it; try to send it after commit.

    `attachments` is a sequence of (filename, content bytes, mimetype).
    If sending fails the e-mail stays queued with the error, for `send_outbox` to retry.
    """
    email = Email.objects.create(
        to=to, subject=subject, body=body, html_body=html_body, purpose=purpose, case=case
    )
    Attachment.objects.bulk_create(
        Attachment(email=email, filename=name, content=content, mimetype=mimetype)
        for name, content, mimetype in attachments
    )
    transaction.on_commit(lambda: email_send_due(ids=[email.pk]), robust=True)
    return email


def email_send(*, email: Email) -> bool:
    """Try to send one e-mail now; record success or the error. Returns True when sent."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - any failure must leave the mail queued
        email.record_failure(error)
        email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        # The log names the row and the kind of error, never the address or the text: an
        # SMTP error's message may carry the recipient (SMTPRecipientsRefused does).
        logger.warning(
            "E-mail %s not sent (attempt %s): %s", email.pk, email.attempts, type(error).__name__
        )
        return False
    email.status = Email.Status.SENT
    email.sent_at = timezone.now()
    email.attempts += 1
    email.save(update_fields=["status", "sent_at", "attempts"])
    return True


def email_send_due(*, ids: Iterable[int] | None = None, limit: int = 100) -> tuple[int, int]:
    """Send queued e-mail that is due (optionally only `ids`). Returns (sent, failed)."""
    sent = failed = 0
    queryset = Email.objects.due()
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    for pk in list(queryset.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            locked = Email.objects.due().filter(pk=pk)
            if connection.features.has_select_for_update_skip_locked:
                # Two workers never send the same mail twice.
                locked = locked.select_for_update(skip_locked=True)
            email = locked.first()
            if email is None:
                continue
            if email_send(email=email):
                sent += 1
            else:
                failed += 1
    return sent, failed
