"""Questions to a municipality about one need of a case, and the municipality's answers."""

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
) -> MunicipalityRequest:
    """Ask a municipality about one need of a case; its specialists are told by e-mail
    (the mail names the case reference only, no personal data)."""
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
