"""A case changes planning region only here: a transfer accepted, a national administrator's
move, or a coordinator taking a case from the national queue. Each writes a
`region_changed` CaseEvent (from/to region codes), so the timeline says when the case
moved and the reports count every event for the region the case was in at that moment."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from municipalities.models import PlanningRegion

from ..models import Case, CaseEvent, MunicipalityRequest, User

SAME_REGION = _("The case is already in this planning region.")
REGION_MOVE_NOTE = _("Moved with the case to another planning region.")


def _code(region: PlanningRegion | None) -> str:
    return region.code if region else ""


@transaction.atomic
def case_region_move(
    *,
    case: Case,
    to_region: PlanningRegion,
    actor: User | None,
    note: str = "",
    coordinator: User | None = None,
) -> CaseEvent:
    """Move a case to `to_region` in one transaction: the municipality of interest is kept
    only if it lies in the new region, the assignment goes to `coordinator` (one of the new
    region's, or nobody), open questions to municipalities of the old region are withdrawn
    (their specialists see them withdrawn; answered ones stay as history), and offers stay
    with the case (each version keeps where it was prepared and sent). The old region's
    coordinators lose access at once: `Case.objects.visible_to` is by region."""
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("planning_region", "coordinator", "municipality")
        .get(pk=case.pk)
    )
    if locked.planning_region_id == to_region.pk:
        raise DomainError(SAME_REGION)
    if coordinator is not None and coordinator.planning_region_id != to_region.pk:
        coordinator = None
    from_region, previous = locked.planning_region, locked.coordinator
    now = timezone.now()
    case.planning_region = to_region
    if locked.municipality and locked.municipality.planning_region_id != to_region.pk:
        case.municipality = None
    case.coordinator = coordinator
    case.save(update_fields=["planning_region", "municipality", "coordinator", "updated_at"])
    MunicipalityRequest.objects.filter(case=case, status=MunicipalityRequest.Status.OPEN).exclude(
        municipality__planning_region=to_region
    ).update(
        status=MunicipalityRequest.Status.WITHDRAWN,
        withdrawn_at=now,
        withdrawn_by=actor,
        withdrawn_note=str(REGION_MOVE_NOTE),
    )
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.REGION_CHANGED,
        field="planning_region",
        from_value=_code(from_region),
        to_value=to_region.code,
        note=note,
        actor=actor,
        created_at=now,
    )
    if (previous.pk if previous else None) != (coordinator.pk if coordinator else None):
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.ASSIGNED,
            from_value=previous.get_username() if previous else "",
            to_value=coordinator.get_username() if coordinator else "",
            actor=actor,
            created_at=now,
        )
    return event
