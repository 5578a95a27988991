"""What the person does on their own page: every change is theirs (`from_person`), lands on
the case's timeline and flags the case for the coordinator (`needs_attention`). Answers to
offers go through `offers.services.offer_record_response`, corrections through
`coordinators.services.details`, so the page and the staff forms move a case the same way."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.filetypes import content_type_sniff
from coordinators.models import Case, Interaction, PersonalLink, Returnee
from coordinators.services.versions import LABELS

from .models import ReturneeDocument

logger = logging.getLogger(__name__)

DOCUMENT_TYPE_REFUSED = _("Only PDF, JPEG or PNG files can be uploaded.")
DOCUMENT_TOO_BIG = _("The file is too big: at most %(size)s.")
DOCUMENT_EMPTY = _("The file is empty.")
TOO_MANY_DOCUMENTS = _("You have uploaded %(count)s documents, the most we can keep for a case.")


# The first bytes of each type we accept; the name and the declared type are not trusted.
def for_staff() -> translation.override:
    """The timeline's words are the staff's (Latvian), whatever language the person reads."""
    return translation.override(settings.LANGUAGE_CODE)


def document_type_detect(head: bytes) -> str | None:
    """The type of a file by its first bytes: PDF, JPEG or PNG, else None."""
    kind = content_type_sniff(head)
    return kind if kind in ReturneeDocument.Kind.values else None


def person_note(*, case: Case, summary: str) -> Interaction:
    """An entry on the case's timeline written by the person, and the case flagged.
    `summary` is for the coordinator: compose it inside `for_staff()`."""
    interaction = Interaction(
        case=case, kind=Interaction.Kind.PERSONAL_PAGE, summary=summary, from_person=True
    )
    interaction.full_clean()
    interaction.save()
    Case.objects.filter(pk=case.pk).update(needs_attention=True, updated_at=timezone.now())
    return interaction


@transaction.atomic
def document_upload(*, case: Case, upload: UploadedFile) -> ReturneeDocument:
    """Keep a document the person uploaded, after checking its size, the case's count and
    its type by content."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    limit = settings.PERSONAL_DOCUMENT_MAX_COUNT
    if locked.documents.count() >= limit:
        raise DomainError(TOO_MANY_DOCUMENTS % {"count": limit})
    if not upload.size:
        raise DomainError(DOCUMENT_EMPTY)
    if upload.size > settings.PERSONAL_DOCUMENT_MAX_BYTES:
        raise DomainError(
            DOCUMENT_TOO_BIG % {"size": filesizeformat(settings.PERSONAL_DOCUMENT_MAX_BYTES)}
        )
    upload.seek(0)
    kind = document_type_detect(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise DomainError(DOCUMENT_TYPE_REFUSED)
    document = ReturneeDocument(
        case=locked,
        original_name=(upload.name or "").rsplit("/", 1)[-1][-200:] or "document",
        size=upload.size,
        content_type=kind,
    )
    # Through the storage API, under the row's random id (`models.document_path`).
    document.file.save(str(document.pk), upload, save=False)
    try:
        document.full_clean()
        document.save()
    except Exception:
        document.file.delete(save=False)  # no file without its row
        raise
    with for_staff():
        summary = gettext("The person uploaded a document (%(kind)s, %(size)s).") % {
            "kind": document.get_content_type_display(),
            "size": filesizeformat(document.size),
        }
    person_note(case=locked, summary=summary)
    return document


@transaction.atomic
def sharing_consent_withdraw(*, case: Case) -> bool:
    """The person takes back their consent to share contacts with municipalities."""
    returnee = Returnee.objects.select_for_update().get(pk=case.returnee_id)
    if returnee.sharing_consent_given_at is None:
        return False
    returnee.sharing_consent_given_at = None
    returnee.save(update_fields=["sharing_consent_given_at", "updated_at"])
    with for_staff():
        summary = gettext(
            "The person withdrew their consent to share their contact details with municipalities."
        )
    person_note(case=case, summary=summary)
    return True


@transaction.atomic
def erasure_ask(*, case: Case, note: str = "") -> Interaction:
    """The person asks for their data to be erased: the coordinator carries it out on the
    case's personal-data page (privacy), after checking nothing must be kept."""
    with for_staff():
        summary = gettext("The person asked for their personal data to be erased.")
    if note.strip():
        summary = f"{summary}\n{note.strip()}"
    return person_note(case=case, summary=summary)


def details_changed_note(*, case: Case, fields: list[str]) -> Interaction | None:
    """One timeline entry for what the person corrected (the events name each field)."""
    if not fields:
        return None
    with for_staff():
        names = ", ".join(str(LABELS.get(name, name)) for name in fields)
        summary = gettext("The person updated their details on the personal page: %(fields)s") % {
            "fields": names
        }
    return person_note(case=case, summary=summary)


def personal_link_request(*, email: str) -> None:
    """Ask the worker for a new link to `email`: it sends one only if the address is a
    person's, so the page that asked learns nothing."""
    from .tasks import personal_link_request_task  # the task imports the mails, not this

    personal_link_request_task.enqueue(email=email)


def returnee_page_forget(*, returnee: Returnee, **kwargs: Any) -> None:
    """Receiver of `privacy.signals.returnee_erased`: the person's documents (files and
    rows) and personal links go."""
    documents = ReturneeDocument.objects.filter(case__returnee=returnee)
    names = [document.file.name for document in documents]
    documents.delete()
    # The files go once the erasure is committed (a rolled-back erasure keeps them).
    transaction.on_commit(lambda: _storage_delete(names))
    PersonalLink.objects.filter(returnee=returnee).delete()


def _storage_delete(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError as error:  # the row is gone; a file left over is logged, not fatal
            logger.warning("Erased document file not deleted (%s)", type(error).__name__)
