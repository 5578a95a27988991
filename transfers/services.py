"""Transfers between planning regions: propose, accept, decline, withdraw, and a national
administrator's direct move. Accepting moves the case through
`coordinators.services.regions.case_region_move` in the same transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from coordinators.models import Case, User
from coordinators.services.regions import case_region_move
from coordinators.services.versions import case_version_check
from municipalities.models import PlanningRegion

from . import emails
from .models import CaseTransfer

NATIONAL_QUEUE_CASE = _(
    "A case in the national queue has no region yet: a coordinator takes it by assigning it."
)
SAME_REGION = _("Choose another planning region than the case's own.")
ALREADY_PROPOSED = _("This case is already proposed to %(region)s; that proposal is open.")
NOT_OPEN = _("This proposal has already been accepted, declined or withdrawn.")
CASE_MOVED = _("The case is no longer in %(region)s; the proposal cannot be accepted.")
NOTE_REQUIRED = _("Say why the case is declined.")
MOVED_DIRECTLY = _("Moved directly by a national administrator.")


def _open_proposal_check(case: Case) -> None:
    open_transfer = (
        CaseTransfer.objects.filter(case=case, status=CaseTransfer.Status.PROPOSED)
        .select_related("to_region")
        .first()
    )
    if open_transfer is not None:
        raise DomainError(ALREADY_PROPOSED % {"region": open_transfer.to_region.name})


@transaction.atomic
def transfer_propose(
    *,
    case: Case,
    to_region: PlanningRegion,
    note: str,
    actor: User,
    version: str | None = None,
) -> CaseTransfer:
    """Propose the case to another region; its coordinators are told by e-mail.

    `version`: the region the user saw (common.versions); a move meanwhile is not missed."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    case_version_check(locked=locked, version=version, fields=("planning_region",))
    if locked.planning_region_id is None:
        raise DomainError(NATIONAL_QUEUE_CASE)
    if locked.planning_region_id == to_region.pk:
        raise DomainError(SAME_REGION)
    _open_proposal_check(locked)
    transfer = CaseTransfer(
        case=locked,
        from_region_id=locked.planning_region_id,
        to_region=to_region,
        note=note,
        proposed_by=actor,
    )
    transfer.full_clean()
    transfer.save()
    emails.transfer_proposed_enqueue(transfer=transfer)
    return transfer


def _decide(transfer: CaseTransfer, *, status: str, actor: User, note: str) -> CaseTransfer:
    locked = CaseTransfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status != CaseTransfer.Status.PROPOSED:
        raise DomainError(NOT_OPEN)
    transfer.status = status
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.decision_note = note
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return transfer


@transaction.atomic
def transfer_accept(*, transfer: CaseTransfer, actor: User, note: str = "") -> CaseTransfer:
    """Accept a proposal: the case moves to the target region and, when a coordinator of
    that region accepts, is assigned to them; the old region loses access at once."""
    _decide(transfer, status=CaseTransfer.Status.ACCEPTED, actor=actor, note=note)
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    if case.planning_region_id != transfer.from_region_id:
        raise DomainError(CASE_MOVED % {"region": transfer.from_region.name})
    case_region_move(
        case=case,
        to_region=transfer.to_region,
        actor=actor,
        note="\n\n".join(text for text in (transfer.note, note) if text),
        coordinator=actor if actor.is_regional_coordinator else None,
    )
    return transfer


@transaction.atomic
def transfer_decline(*, transfer: CaseTransfer, actor: User, note: str) -> CaseTransfer:
    """Decline a proposal, with the reason; the case stays where it is."""
    if not note.strip():
        raise DomainError(NOTE_REQUIRED)
    return _decide(transfer, status=CaseTransfer.Status.DECLINED, actor=actor, note=note)


@transaction.atomic
def transfer_withdraw(*, transfer: CaseTransfer, actor: User) -> CaseTransfer:
    """The proposing region takes its proposal back."""
    return _decide(transfer, status=CaseTransfer.Status.WITHDRAWN, actor=actor, note="")


@transaction.atomic
def case_move_directly(
    *,
    case: Case,
    to_region: PlanningRegion,
    note: str,
    actor: User,
    version: str | None = None,
) -> CaseTransfer | None:
    """A national administrator moves a case at once: recorded as a transfer proposed and
    accepted by them, and the same move as an accepted proposal."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    case_version_check(locked=locked, version=version, fields=("planning_region",))
    if locked.planning_region_id == to_region.pk:
        raise DomainError(SAME_REGION)
    _open_proposal_check(locked)
    note = note or str(MOVED_DIRECTLY)
    now = timezone.now()
    if locked.planning_region_id is None:
        # From the national queue: no transfer row (it has no from region), only the move.
        case_region_move(case=locked, to_region=to_region, actor=actor, note=note)
        return None
    transfer = CaseTransfer.objects.create(
        case=locked, from_region_id=locked.planning_region_id, to_region=to_region, note=note,
        status=CaseTransfer.Status.ACCEPTED, proposed_by=actor, proposed_at=now,
        decided_by=actor, decided_at=now,
    )  # fmt: skip
    case_region_move(case=locked, to_region=to_region, actor=actor, note=note)
    return transfer
