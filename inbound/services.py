"""Mail into the portal: the Reply-To address of a case, storing a received message once,
threading it onto its case (timeline entry, the case flagged), the national inbox's
assignments and dismissals, and forgetting an erased person.

A message is found a case by the token of the address it was sent to (`INBOUND_REPLY_ADDRESS`
with `{token}`), or else by the Message-ID of a mail we sent to the person that it answers.
A token that matches no case, and mail that answers nothing of ours, go to the national
inbox: a guessed or forged address lands with the national administrators, never on a case.
"""

import datetime
import logging
import re
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.filetypes import content_type_sniff
from coordinators.models import Case, Interaction, User
from outbox.models import Email

from .files import KEPT_TYPES
from .models import InboundAttachment, InboundMessage, ReplyAddress
from .parsing import Parsed, message_parse

logger = logging.getLogger(__name__)

NOT_IN_INBOX = _("This e-mail has already been dealt with.")
ASSIGNED = _("The e-mail is on case %(reference)s, marked for its coordinator's attention.")
DISMISSED = _("The e-mail has been dismissed and its text and files deleted.")
NO_TEXT = _("(an e-mail without text)")
FILES_KEPT = _("Attached: %(names)s")
FILES_NOT_KEPT = _("Not kept (type or size not accepted): %(names)s")


def reply_address_for_case(*, case: Case) -> str:
    """The Reply-To of mail to the person about `case` (its token made on first use), or ""
    when the portal reads no replies (`INBOUND_REPLY_ADDRESS` empty)."""
    pattern = settings.INBOUND_REPLY_ADDRESS
    if not pattern:
        return ""
    address, _created = ReplyAddress.objects.get_or_create(case=case)
    return str(pattern.format(token=address.token))


def replies_read() -> bool:
    """Whether mail to the person may say "reply to this e-mail"."""
    return bool(settings.INBOUND_REPLY_ADDRESS)


def _token_pattern() -> re.Pattern[str] | None:
    pattern = settings.INBOUND_REPLY_ADDRESS
    if "{token}" not in pattern:
        return None
    before, after = pattern.lower().split("{token}", 1)
    return re.compile(f"^{re.escape(before)}([a-z0-9]{{8,40}}){re.escape(after)}$")


def case_from_recipients(recipients: list[str]) -> Case | None:
    """The case whose reply address the mail was sent to; None for no or an unknown token."""
    pattern = _token_pattern()
    if pattern is None:
        return None
    tokens = [found.group(1) for address in recipients if (found := pattern.match(address))]
    if not tokens:
        return None
    address = ReplyAddress.objects.select_related("case").filter(token__in=tokens).first()
    return address.case if address else None


def case_from_thread(thread_ids: list[str], from_address: str) -> Case | None:
    """The case of a mail we sent to the person that this one answers (In-Reply-To,
    References), when it comes from the address we sent it to; staff mail does not count,
    so a coordinator's reply is not threaded. From another address: the national inbox."""
    if not thread_ids or not from_address:
        return None
    sent = (
        Email.objects.filter(
            message_id__in=thread_ids,
            purpose__in=Email.TO_THE_PERSON,
            case__isnull=False,
            to__iexact=from_address,
        )
        .select_related("case")
        .order_by("-created_at")
        .first()
    )
    return sent.case if sent else None


def inbound_receive(*, raw: bytes, recipients: tuple[str, ...] = ()) -> tuple[InboundMessage, bool]:
    """Store one received message (RFC 822 bytes) once: (the message, True if new). A
    Message-ID stored before (the other path saw it first) is not stored again.
    `recipients`: the envelope's, when the mail server passes them (they name the token
    even when the headers do not, e.g. for a Bcc)."""
    parsed = message_parse(raw)
    parsed.recipients += [address.strip().lower() for address in recipients if address.strip()]
    existing = InboundMessage.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        return existing, False
    saved: list[str] = []
    try:
        return _store(parsed, saved), True
    except IntegrityError:  # stored meanwhile by the other path: the unique Message-ID
        _files_delete(saved)
        stored = InboundMessage.objects.filter(message_id=parsed.message_id).first()
        if stored is None:  # another constraint: not a duplicate
            raise
        return stored, False
    except BaseException:  # the rows are rolled back: so are the files
        _files_delete(saved)
        raise


def _files_delete(names: list[str]) -> None:
    storage = InboundAttachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


@transaction.atomic
def _store(parsed: Parsed, saved: list[str]) -> InboundMessage:
    matched_by, case = InboundMessage.MatchedBy.TOKEN, case_from_recipients(parsed.recipients)
    if case is None:
        matched_by, case = (
            InboundMessage.MatchedBy.THREAD,
            case_from_thread(parsed.thread_ids, parsed.from_address),
        )
    message = InboundMessage.objects.create(
        message_id=parsed.message_id,
        from_address=parsed.from_address,
        subject=parsed.subject,
        body=parsed.text,
        received_at=parsed.received_at,
    )
    skipped = _attachments_store(message=message, parsed=parsed, saved=saved)
    if skipped:
        message.body = f"{message.body}\n\n{FILES_NOT_KEPT % {'names': ', '.join(skipped)}}"
        message.save(update_fields=["body"])
    if case is not None:
        _put_on_case(message=message, case=case, matched_by=matched_by)
    logger.info("Incoming e-mail %s stored (%s)", message.pk, matched_by if case else "inbox")
    return message


def _attachments_store(*, message: InboundMessage, parsed: Parsed, saved: list[str]) -> list[str]:
    """Keep the files of an accepted type (by content) and size (their storage names added
    to `saved`); the names of the others."""
    skipped = []
    for file in parsed.files:
        kind = content_type_sniff(file.content)
        name = file.filename.replace("/", "_").replace("\\", "_")[:200]
        if kind not in KEPT_TYPES or len(file.content) > settings.INBOUND_ATTACHMENT_MAX_BYTES:
            skipped.append(name)
            continue
        attachment = InboundAttachment(
            message=message, filename=name, content_type=kind, size=len(file.content)
        )
        attachment.file.save(name, ContentFile(file.content), save=False)
        saved.append(attachment.file.name)
        attachment.save()
    return skipped


def _put_on_case(
    *, message: InboundMessage, case: Case, matched_by: str, actor: User | None = None
) -> None:
    """The message as an e-mail on the case's timeline (written by the person, so no
    author), the case flagged for its coordinator."""
    names = [attachment.filename for attachment in message.attachments.all()]
    summary = message.body or str(NO_TEXT)
    if names:
        summary = f"{summary}\n\n{FILES_KEPT % {'names': ', '.join(names)}}"
    interaction = Interaction(
        case=case,
        kind=Interaction.Kind.EMAIL,
        occurred_on=timezone.localdate(message.received_at),
        summary=summary,
        author=None,
    )
    interaction.full_clean()
    interaction.save()
    Case.objects.filter(pk=case.pk).update(needs_attention=True, updated_at=timezone.now())
    message.case, message.interaction = case, interaction
    message.status, message.matched_by, message.handled_by = (
        InboundMessage.Status.ON_CASE,
        matched_by,
        actor,
    )
    message.save(update_fields=["case", "interaction", "status", "matched_by", "handled_by"])


def _locked_in_inbox(message: InboundMessage) -> InboundMessage:
    locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status != InboundMessage.Status.UNMATCHED:
        raise DomainError(NOT_IN_INBOX)
    return locked


@transaction.atomic
def inbound_message_assign(*, message: InboundMessage, case: Case, actor: User) -> str:
    """A national administrator puts a message of the inbox on a case (found through the
    administrator's scope by the caller)."""
    locked = _locked_in_inbox(message)
    _put_on_case(message=locked, case=case, matched_by=InboundMessage.MatchedBy.HAND, actor=actor)
    return str(ASSIGNED % {"reference": case.reference})


@transaction.atomic
def inbound_message_dismiss(*, message: InboundMessage, actor: User) -> str:
    """Spam or not for us: the text and files deleted, the row kept so the Message-ID is not
    taken in again."""
    locked = _locked_in_inbox(message)
    _attachments_delete(InboundAttachment.objects.filter(message=locked))
    locked.status, locked.handled_by = InboundMessage.Status.DISMISSED, actor
    locked.body, locked.subject, locked.from_address = "", "", ""
    locked.save(update_fields=["status", "handled_by", "body", "subject", "from_address"])
    return str(DISMISSED)


def inbound_messages_prune(*, now: datetime.datetime | None = None) -> int:
    """The daily job: mail that joined no case (still in the national inbox, or dismissed
    there) is deleted with its files INBOUND_RETENTION_DAYS after it arrived. Mail on a case
    stays with the case (the case's retention). Returns how many were deleted."""
    limit = (now or timezone.now()) - datetime.timedelta(days=settings.INBOUND_RETENTION_DAYS)
    old = InboundMessage.objects.filter(
        status__in=[InboundMessage.Status.UNMATCHED, InboundMessage.Status.DISMISSED],
        received_at__lt=limit,
    )
    _attachments_delete(InboundAttachment.objects.filter(message__in=old))
    deleted: int = old.delete()[0]
    return deleted


def _attachments_delete(attachments: Any) -> int:
    """Delete the rows, and their files from storage once the deletion has committed."""
    files = [attachment.file.name for attachment in attachments]
    count: int = attachments.delete()[0]
    if files:
        transaction.on_commit(lambda: _files_delete(files), robust=True)
    return count


def inbound_forget_person(*, returnee: Any, identifiers: tuple[str, ...], **kwargs: Any) -> None:
    """Receiver of `privacy.signals.returnee_erased`: the person's incoming mail, on their
    cases or still in the inbox from their address, deleted with its files."""
    named = Q(case__returnee=returnee)
    for identifier in identifiers:
        named |= Q(from_address__iexact=identifier) | Q(body__icontains=identifier)
        named |= Q(subject__icontains=identifier)
    messages = list(InboundMessage.objects.filter(named))
    _attachments_delete(InboundAttachment.objects.filter(message__in=messages))
    InboundMessage.objects.filter(pk__in=[message.pk for message in messages]).delete()
    ReplyAddress.objects.filter(case__returnee=returnee).delete()
