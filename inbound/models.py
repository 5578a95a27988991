"""Incoming mail: the per-case reply address, the messages received and their files.

A reply address names its case by a random token only (never the reference or a name), so
a forwarded or leaked address tells nothing. A message is stored once, by its Message-ID,
whichever way it came in (the IMAP reader or the mail server's pipe)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def reply_token() -> str:
    """80 random bits, lowercase hex: mail servers may fold the case of a local part."""
    return secrets.token_hex(10)


class ReplyAddress(models.Model):
    """The token of a case's Reply-To address, made the first time a mail to the person
    needs it."""

    case = models.OneToOneField(
        "coordinators.Case",
        on_delete=models.CASCADE,
        related_name="reply_address",
        verbose_name=_("case"),
    )
    token = models.CharField(_("token"), max_length=40, unique=True, default=reply_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("reply address")
        verbose_name_plural = _("reply addresses")

    def __str__(self):
        return self.token


class InboundMessageQuerySet(models.QuerySet["InboundMessage"]):
    def unmatched(self):
        """The national inbox: mail that named no case, not yet assigned or dismissed."""
        return self.filter(status=InboundMessage.Status.UNMATCHED)


class InboundMessage(models.Model):
    """One e-mail received, with its text (quoted history stripped) and, once matched, the
    case and the timeline entry it became."""

    class Status(models.TextChoices):
        UNMATCHED = "unmatched", _("in the national inbox")
        ON_CASE = "on_case", _("on a case")
        DISMISSED = "dismissed", _("dismissed")

    class MatchedBy(models.TextChoices):
        NONE = "", _("not matched")
        TOKEN = "token", _("reply address")
        THREAD = "thread", _("reply to a mail we sent")
        HAND = "hand", _("assigned by hand")

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    from_address = models.CharField(_("from"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNMATCHED
    )
    matched_by = models.CharField(
        _("matched by"), max_length=10, choices=MatchedBy.choices, blank=True
    )
    case = models.ForeignKey(
        "coordinators.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("case"),
    )
    interaction = models.OneToOneField(
        "coordinators.Interaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_message",
        verbose_name=_("timeline entry"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("incoming e-mail")
        verbose_name_plural = _("incoming e-mails")
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self):
        return self.subject or str(self.pk)


def attachment_path(instance: "InboundAttachment", filename: str) -> str:
    """A random name in storage: the person's file name stays in the database only."""
    return f"inbound/{instance.id}"


class InboundAttachment(models.Model):
    """A file that came with an incoming mail, kept through Django's storage; its type is
    the one its content shows, not the one the sender claimed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(
        InboundMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)

    class Meta:
        ordering = ["filename"]
        verbose_name = _("attachment of an incoming e-mail")
        verbose_name_plural = _("attachments of incoming e-mails")

    def __str__(self):
        return self.filename
