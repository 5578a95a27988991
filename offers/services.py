"""Writes on individual offers: drafts, sections, versions, sending and the person's response.

A sent offer is never edited: a change makes a new version (a draft that copies the items), so
what the family received stays readable. Case status changes go through `case_transition`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.versions import version_check, version_token
from coordinators.models import Case, Interaction, Language, MunicipalityRequest, User
from coordinators.services.pipeline import case_transition
from coordinators.services.versions import last_changed_by
from municipalities.models import MunicipalService, NeedCategory

from . import emails
from .languages import offer_language_problems, service_texts
from .models import ANSWER_WITHIN, Offer, OfferItem

OFFER_LANGUAGES: tuple[str, ...] = (Language.LATVIAN, Language.ENGLISH, Language.RUSSIAN)

CASE_NOT_READY = _("An offer cannot be prepared for a case that is “%(status)s”.")
DRAFT_EXISTS = _("Version %(version)s of this offer is still a draft: continue that one.")
OFFER_NOT_EDITABLE = _(
    "Version %(version)s has been sent and cannot be changed. Make a new version instead."
)
OFFER_IS_DRAFT = _("Version %(version)s is a draft: change it directly.")
OFFER_HAS_NO_ITEMS = _("The offer has no sections yet. Add at least one before sending.")
ITEM_HAS_NO_TEXT = _("The section “%(title)s” has no text yet. Write it or remove the section.")
RETURNEE_HAS_NO_EMAIL = _(
    "The person has no e-mail address. Add one to the person's details before sending."
)
OFFER_ALREADY_SENT = _("Version %(version)s has already been sent.")
OFFER_NOT_AWAITING_RESPONSE = _(
    "A response can be recorded only for a sent offer that has no response yet."
)
OFFER_SUPERSEDED = _(
    "Version %(version)s has been replaced by a newer version: record the response on that one."
)
CASE_CANNOT_RECEIVE_OFFER = _("The offer cannot be sent: %(reason)s")
UNKNOWN_RESPONSE = _("Choose the person's response.")
SERVICE_NOT_AVAILABLE = _("This service is no longer in the catalogue.")
LANGUAGE_NOT_SUPPORTED = _("Offers can be written in Latvian, English or Russian.")
ANSWER_NOT_USABLE = _("That answer cannot be used.")

# The person's response, and where it moves the case (None: the case stays where it is).
RESPONSE_CASE_STATUS: dict[str, str | None] = {
    Offer.Status.ACCEPTED: Case.Status.DECIDED_TO_RETURN,
    Offer.Status.CHANGES_REQUESTED: Case.Status.OFFER_PREPARATION,
    Offer.Status.DECLINED: None,
}


def _require_draft(offer: Offer) -> Offer:
    """Lock the offer's row and refuse unless it is still a draft: an edit can never land
    on a version that was sent meanwhile."""
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if locked.status != Offer.Status.DRAFT:
        raise DomainError(OFFER_NOT_EDITABLE % {"version": locked.version})
    return locked


def _case_to_offer_preparation(*, case: Case, actor: User | None, note: str = "") -> None:
    """Move the case to "offer in preparation" unless it is there or past it (offer sent)."""
    if case.status in (Case.Status.OFFER_PREPARATION,):
        return
    try:
        case_transition(case=case, to_status=Case.Status.OFFER_PREPARATION, actor=actor, note=note)
    except DomainError as error:
        raise DomainError(CASE_NOT_READY % {"status": case.get_status_display()}) from error


def offer_default_language(case: Case) -> str:
    """The person's preferred language when the offer can be written in it, else Latvian."""
    preferred = case.returnee.preferred_language
    return preferred if preferred in OFFER_LANGUAGES else Language.LATVIAN


@transaction.atomic
def offer_create_draft(*, case: Case, actor: User | None) -> Offer:
    """Start the next version of the case's offer.

    The first version starts without sections: the builder shows the case's needs with what
    the catalogue and the municipalities offer, and a need with no section reads "we are
    still finding out" in the letter. A later version copies the items of the latest one.
    The case moves to "offer in preparation".
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    draft = case.offers.filter(status=Offer.Status.DRAFT).first()
    if draft is not None:
        raise DomainError(DRAFT_EXISTS % {"version": draft.version})
    latest = case.offers.order_by("-version").first()
    if latest is not None:
        return offer_new_version(offer=latest, actor=actor)
    _case_to_offer_preparation(case=case, actor=actor)
    offer = Offer(
        case=case,
        version=1,
        language=offer_default_language(case),
        created_by=actor,
        created_at=timezone.now(),
    )
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def offer_new_version(*, offer: Offer, actor: User | None) -> Offer:
    """A new draft copying a sent offer's items; the sent version stays as it was."""
    offer = Offer.objects.get(pk=offer.pk)
    if offer.status == Offer.Status.DRAFT:
        raise DomainError(OFFER_IS_DRAFT % {"version": offer.version})
    case = Case.objects.select_for_update().get(pk=offer.case_id)
    draft = case.offers.filter(status=Offer.Status.DRAFT).first()
    if draft is not None:
        raise DomainError(DRAFT_EXISTS % {"version": draft.version})
    _case_to_offer_preparation(case=case, actor=actor, note=gettext("New version of the offer"))
    next_version = (case.offers.aggregate(last=Max("version"))["last"] or 0) + 1
    new_offer = Offer(
        case=case,
        version=next_version,
        language=offer.language,
        created_by=actor,
        created_at=timezone.now(),
    )
    new_offer.full_clean()
    new_offer.save()
    OfferItem.objects.bulk_create(
        OfferItem(
            offer=new_offer,
            need_id=item.need_id,
            service_id=item.service_id,
            title=item.title,
            text=item.text,
            contact=item.contact,
            position=item.position,
        )
        for item in offer.items.all()
    )
    return new_offer


@transaction.atomic
def offer_update(*, offer: Offer, actor: User | None, language: str) -> Offer:
    """Change a draft's language (the language of the PDF and the e-mail)."""
    offer = _require_draft(offer)
    if language not in OFFER_LANGUAGES:
        raise DomainError(LANGUAGE_NOT_SUPPORTED)
    offer.language = language
    offer.full_clean()
    offer.save(update_fields=["language"])
    return offer


def _next_position(offer: Offer) -> int:
    return (offer.items.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def offer_item_add(
    *,
    offer: Offer,
    need: NeedCategory,
    title: str,
    text: str = "",
    contact: str = "",
    service: MunicipalService | None = None,
) -> OfferItem:
    """Add a section to a draft, with text typed by the coordinator."""
    _require_draft(offer)
    item = OfferItem(
        offer=offer,
        need=need,
        service=service,
        title=title,
        text=text,
        contact=contact,
        position=_next_position(offer),
    )
    item.full_clean()
    item.save()
    return item


def offer_item_add_from_service(*, offer: Offer, service: MunicipalService) -> OfferItem:
    """Add a catalogue service to a draft. Its text is copied, so the offer stays readable
    after the service changes or is withdrawn."""
    if not MunicipalService.objects.available().filter(pk=service.pk).exists():
        raise DomainError(SERVICE_NOT_AVAILABLE)
    title, text = service_texts(service=service, language=offer.language)
    return offer_item_add(
        offer=offer, need=service.category, service=service, title=title, text=text,
        contact=service.contact,
    )  # fmt: skip


def offer_item_add_from_request(*, offer: Offer, request: MunicipalityRequest) -> OfferItem:
    """Add a municipality's answer to one of the coordinator's questions to a draft."""
    if (
        request.case_id != offer.case_id
        or request.status != MunicipalityRequest.Status.ANSWERED
        or not request.answer.strip()
    ):
        raise DomainError(ANSWER_NOT_USABLE)
    with translation.override(offer.language):
        title = gettext("Answer from %(municipality)s") % {"municipality": request.municipality}
    return offer_item_add(
        offer=offer,
        need=request.need,
        title=title,
        text=request.answer,
        contact=request.municipality.contact_email,
    )


ITEM_LABELS = {"title": _("title"), "text": _("text"), "contact": _("contact")}


def offer_item_version(item: OfferItem) -> str:
    """The version of a section its form carries (common.versions)."""
    return version_token({name: getattr(item, name) for name in ITEM_LABELS})


@transaction.atomic
def offer_item_update(
    *, item: OfferItem, title: str, text: str, contact: str, version: str | None = None
) -> OfferItem:
    """Change a section of a draft; `version` is the text the user saw, so a change saved
    meanwhile is refused (StaleEdit), not overwritten."""
    current = OfferItem.objects.select_for_update().get(pk=item.pk)
    version_check(
        version=version,
        values={name: getattr(current, name) for name in ITEM_LABELS},
        labels=ITEM_LABELS,
        changed_by=lambda: last_changed_by(current),
    )
    _require_draft(item.offer)
    item.title, item.text, item.contact = title, text, contact
    item.full_clean()
    item.save(update_fields=["title", "text", "contact"])
    return item


@transaction.atomic
def offer_item_delete(*, item: OfferItem) -> None:
    """Remove a section from a draft."""
    _require_draft(item.offer)
    item.delete()


def offer_send_problems(*, offer: Offer) -> list[str]:
    """Everything that stops this version from being sent, all at once (empty: it can go)."""
    if offer.status != Offer.Status.DRAFT:
        return [str(OFFER_ALREADY_SENT % {"version": offer.version})]
    items = list(offer.items.select_related("service", "need"))
    problems = [] if items else [str(OFFER_HAS_NO_ITEMS)]
    problems += [
        str(ITEM_HAS_NO_TEXT % {"title": item.title}) for item in items if not item.text.strip()
    ]
    needs = {item.need.pk: item.need for item in items}
    if offer.language != Language.LATVIAN:  # every need has its Latvian name
        needs.update((need.pk, need) for need in offer.case.needs.all())  # "still finding out"
    problems += offer_language_problems(offer=offer, items=items, needs=list(needs.values()))
    if not offer.case.returnee.email:
        problems.append(str(RETURNEE_HAS_NO_EMAIL))
    return problems


def _check_sendable(offer: Offer) -> None:
    problems = offer_send_problems(offer=offer)
    if problems:
        raise DomainError(" ".join(problems))


@transaction.atomic
def offer_send(*, offer: Offer, actor: User | None) -> Offer:
    """E-mail the offer's PDF to the person through the outbox and move the case to
    "offer sent". Nothing is stored or sent when any check fails. The mail is stored here;
    the worker renders the PDF and attaches it (`offers.emails.offer_sent_attach_pdf`)."""
    offer = Offer.objects.select_for_update().select_related("case__returnee").get(pk=offer.pk)
    _check_sendable(offer)
    case = offer.case
    try:
        if case.status != Case.Status.OFFER_SENT:
            _case_to_offer_preparation(case=case, actor=actor)
            case_transition(
                case=case,
                to_status=Case.Status.OFFER_SENT,
                actor=actor,
                note=gettext("Offer version %(version)s sent") % {"version": offer.version},
            )
    except DomainError as error:
        raise DomainError(CASE_CANNOT_RECEIVE_OFFER % {"reason": error.message}) from error
    offer.status = Offer.Status.SENT
    offer.sent_at = timezone.now()
    offer.answer_by = timezone.localdate(offer.sent_at) + ANSWER_WITHIN
    offer.full_clean()
    offer.save(update_fields=["status", "sent_at", "answer_by"])
    # An older version still waiting for an answer is replaced by this one.
    case.offers.filter(status=Offer.Status.SENT, version__lt=offer.version).update(
        status=Offer.Status.SUPERSEDED
    )
    emails.offer_sent_enqueue(offer=offer)
    return offer


@transaction.atomic
def offer_record_response(
    *, offer: Offer, response: str, actor: User | None, note: str = "", from_person: bool = False
) -> Offer:
    """Record the person's answer to a sent offer and move the case on: accepted → decided to
    return, wants changes → offer in preparation; declined leaves the case where it is.
    `from_person`: given by the person on their page (flagged for the coordinator)."""
    offer = Offer.objects.select_for_update().select_related("case").get(pk=offer.pk)
    if response not in RESPONSE_CASE_STATUS:
        raise DomainError(UNKNOWN_RESPONSE)
    if offer.status == Offer.Status.SUPERSEDED:
        raise DomainError(OFFER_SUPERSEDED % {"version": offer.version})
    if offer.status != Offer.Status.SENT:
        raise DomainError(OFFER_NOT_AWAITING_RESPONSE)
    offer.status = response
    offer.responded_at = timezone.now()
    offer.full_clean()
    offer.save(update_fields=["status", "responded_at"])
    case = offer.case
    summary = gettext("Response to offer version %(version)s: %(response)s") % {
        "version": offer.version,
        "response": Offer.Status(response).label,
    }
    if note.strip():
        summary = f"{summary}\n{note.strip()}"
    kind = Interaction.Kind.PERSONAL_PAGE if from_person else Interaction.Kind.OTHER
    Interaction.objects.create(
        case=case, kind=kind, summary=summary, author=actor, from_person=from_person
    )
    if from_person:  # the coordinator sees the person's own answer on the dashboard
        Case.objects.filter(pk=case.pk).update(needs_attention=True)
    to_status = RESPONSE_CASE_STATUS[response]
    if to_status is not None and (
        case.status == to_status or to_status in case.allowed_next_statuses()
    ):
        case_transition(case=case, to_status=to_status, actor=actor, note=summary)
    return offer
