"""Outgoing e-mail, stored first so that a failing mail server loses nothing.

A mail is `queued` until a worker claims it (`sending`, one conditional UPDATE, so two
workers never both send it), then `sent`, back to `queued` with a later attempt time, or
`failed` (refused for good, out of attempts, or interrupted mid-send) for a person to see.
A mail whose attachment a worker still has to make (an offer's PDF) starts `preparing`: it
names its preparer by dotted path (`prepare_task`, `prepare_kwargs`), so the outbox can ask
again without knowing the domain, and becomes `queued` once the files are attached.
"""

from __future__ import annotations

import datetime
from datetime import timedelta
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# 1, 2, 4 … minutes, at most 4 hours apart: the 15th attempt comes about 32 hours after the first.
MAX_ATTEMPTS = 15
MAX_RETRY_DELAY = timedelta(hours=4)


class EmailQuerySet(models.QuerySet["Email"]):
    def due(self, now: datetime.datetime | None = None) -> Self:
        """Queued mail whose next attempt time has come."""
        return self.filter(
            status=Email.Status.QUEUED, next_attempt_at__lte=now or timezone.now()
        ).order_by("next_attempt_at", "id")

    def preparing_too_long(self, now: datetime.datetime | None = None) -> Self:
        """Mail still waiting for its attachment OUTBOX_MAX_DELAY_MINUTES after it was stored:
        its preparer keeps failing (the error is in `last_error`)."""
        limit = timedelta(minutes=settings.OUTBOX_MAX_DELAY_MINUTES)
        return self.filter(
            status=Email.Status.PREPARING, created_at__lt=(now or timezone.now()) - limit
        )

    def waiting_for_a_person(self, now: datetime.datetime | None = None) -> Self:
        """Mail the outbox cannot get out by itself: given up, or stuck in preparation."""
        return self.filter(
            Q(status=Email.Status.FAILED) | Q(pk__in=self.preparing_too_long(now).values("pk"))
        )


class Email(models.Model):
    """One message to one recipient, with its sending history."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("being prepared")
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed (gave up)")

    class Purpose(models.TextChoices):
        """Which mail this is: each is composed by one function in an app's `emails.py`."""

        CONTACT_CONFIRMATION = "contact_confirmation", _("contact form: confirmation")
        CONTACT_NOTIFICATION = "contact_notification", _("contact form: notice to coordinators")
        MUNICIPALITY_REQUEST = "municipality_request", _("question to a municipality")
        MUNICIPALITY_ANSWER = "municipality_answer", _("a municipality's answer")
        FOLLOWUP_DIGEST = "followup_digest", _("follow-up digest")
        OFFER = "offer", _("individual offer")
        PASSWORD_RESET = "password_reset", _("password reset")
        TWO_FACTOR_ENROLMENT = "two_factor_enrolment", _("two-factor enrolment link")
        PERSONAL_LINK = "personal_link", _("personal link, asked for by the person")
        EVENT_CONFIRMATION = "event_confirmation", _("event registration: confirmation")
        EVENT_REMINDER = "event_reminder", _("event registration: reminder the day before")
        AFTERCARE_SURVEY = "aftercare_survey", _("survey after return")
        TRANSFER_PROPOSED = "transfer_proposed", _("a case proposed to another region")
        REQUEST_REMINDER = "request_reminder", _("reminder of a municipality question")

    # Mail to the person abroad: it carries the case's Reply-To (OUTBOX_REPLY_ADDRESS), and a
    # reply to it is threaded onto the case by its Message-ID (the inbound app).
    TO_THE_PERSON = frozenset(
        {
            Purpose.CONTACT_CONFIRMATION,
            Purpose.OFFER,
            Purpose.PERSONAL_LINK,
            Purpose.AFTERCARE_SURVEY,
        }
    )

    to = models.EmailField(_("to"))
    reply_to = models.CharField(_("Reply-To"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML text"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    case = models.ForeignKey(
        "coordinators.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("case"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The same Message-ID on every attempt, so a receiving server can drop a duplicate.
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    # A `preparing` mail's preparer: a task (dotted path) called as
    # task.enqueue(email_id=…, **prepare_kwargs); it ends with `email_attachments_add`.
    prepare_task = models.CharField(_("preparing task"), max_length=200, blank=True)
    prepare_kwargs = models.JSONField(_("preparation arguments"), default=dict, blank=True)

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["case", "created_at"]),
        ]

    def __str__(self):
        return self.subject

    def retry_delay(self) -> timedelta:
        """How long to wait after this many attempts: 1, 2, 4 … minutes, at most 4 hours."""
        return min(timedelta(minutes=2 ** max(self.attempts - 1, 0)), MAX_RETRY_DELAY)


class SendingPause(models.Model):
    """While the mail server does not answer, nobody tries: one row, shared by all workers,
    so an outage costs one timeout per pause instead of one per queued mail."""

    until = models.DateTimeField(_("paused until"))
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sending pause")
        verbose_name_plural = _("sending pauses")

    def __str__(self):
        return f"{self.until:%d.%m.%Y %H:%M}"


class Attachment(models.Model):
    """A file sent with an e-mail (an offer's PDF), kept with it until it is sent."""

    email = models.ForeignKey(Email, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    mimetype = models.CharField(_("type"), max_length=100, default="application/pdf")
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.filename
