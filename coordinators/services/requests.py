"""Questions to municipalities about one need of a case (one request per municipality),
the answers, withdrawal, and the reminder when an answer-by date has passed."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from municipalities.models import Municipality, NeedCategory

from .. import emails
from ..models import Case, MunicipalityRequest, User

REQUEST_NOT_OPEN = _("This request has already been answered or withdrawn.")
MUNICIPALITY_OUTSIDE_CASE_REGION = _(
    "The municipality is not in the case's planning region; choose one of its municipalities."
)
DUE_IN_THE_PAST = _("The answer-by date cannot be in the past.")
NO_MUNICIPALITY = _("Choose at least one municipality.")
NO_SHARING_CONSENT = _(
    "The person has not agreed that their contact details are passed to a municipality. "
    "Ask without them, or record their consent first."
)


@transaction.atomic
def municipality_request_create(
    *,
    case: Case,
    municipality: Municipality,
    need: NeedCategory,
    question: str,
    share_contact_details: bool = False,
    actor: User,
    due_on: datetime.date | None = None,
) -> MunicipalityRequest:
    """Ask a municipality about one need of a case; its specialists are told by e-mail
    (the mail names the case reference only, no personal data)."""
    if due_on is not None and due_on < timezone.localdate():
        raise DomainError(DUE_IN_THE_PAST)
    if case.planning_region_id and municipality.planning_region_id != case.planning_region_id:
        raise DomainError(MUNICIPALITY_OUTSIDE_CASE_REGION)
    if share_contact_details and case.returnee.sharing_consent_given_at is None:
        raise DomainError(NO_SHARING_CONSENT)
    request = MunicipalityRequest(
        case=case,
        municipality=municipality,
        need=need,
        question=question,
        share_contact_details=share_contact_details,
        created_by=actor,
        due_on=due_on,
    )
    request.full_clean()
    request.save()
    emails.municipality_request_enqueue(request=request)
    return request


@transaction.atomic
def municipality_request_answer(
    *, request: MunicipalityRequest, answer: str, actor: User
) -> MunicipalityRequest:
    """Record a municipality's answer; it shows on the case and the coordinator is told."""
    locked = MunicipalityRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != MunicipalityRequest.Status.OPEN:
        raise DomainError(REQUEST_NOT_OPEN)
    request.answer = answer
    request.status = MunicipalityRequest.Status.ANSWERED
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.full_clean()
    request.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    emails.municipality_answer_enqueue(request=request)
    return request


@transaction.atomic
def municipality_requests_create(
    *,
    case: Case,
    municipalities: Iterable[Municipality],
    need: NeedCategory,
    question: str,
    share_contact_details: bool = False,
    actor: User,
    due_on: datetime.date | None = None,
) -> list[MunicipalityRequest]:
    """Ask several municipalities the same question at once: one request (and one mail to
    its specialists) per municipality, all or none."""
    municipalities = sorted(municipalities, key=lambda municipality: municipality.name)
    if not municipalities:
        raise DomainError(NO_MUNICIPALITY)
    return [
        municipality_request_create(
            case=case,
            municipality=municipality,
            need=need,
            question=question,
            share_contact_details=share_contact_details,
            actor=actor,
            due_on=due_on,
        )  # fmt: skip
        for municipality in municipalities
    ]


@transaction.atomic
def municipality_request_withdraw(
    *, request: MunicipalityRequest, actor: User, note: str = ""
) -> MunicipalityRequest:
    """Take back an open question (answered elsewhere, asked by mistake): the specialist
    sees it withdrawn and can no longer answer it."""
    locked = MunicipalityRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != MunicipalityRequest.Status.OPEN:
        raise DomainError(REQUEST_NOT_OPEN)
    request.status = MunicipalityRequest.Status.WITHDRAWN
    request.withdrawn_at = timezone.now()
    request.withdrawn_by = actor
    request.withdrawn_note = note[:300]
    request.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawn_note"])
    return request


def request_reminders_send(*, today: datetime.date | None = None) -> int:
    """The daily job: remind the specialists of each open question whose answer-by date has
    passed, once per question (the conditional UPDATE claims it, so two workers never both
    send). Returns how many reminders were queued."""
    today = today or timezone.localdate()
    due = MunicipalityRequest.objects.filter(
        status=MunicipalityRequest.Status.OPEN, due_on__lt=today, reminded_at__isnull=True
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = MunicipalityRequest.objects.filter(
                pk=pk, status=MunicipalityRequest.Status.OPEN, reminded_at__isnull=True
            ).update(reminded_at=timezone.now())
            if not claimed:
                continue
            request = MunicipalityRequest.objects.select_related(
                "case", "municipality", "need"
            ).get(pk=pk)
            emails.municipality_request_enqueue(request=request, reminder=True)
            sent += 1
    return sent
