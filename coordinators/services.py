"""Writes on cases. Every status change goes through `case_transition`."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ALLOWED_TRANSITIONS, Case, CaseEvent, ReferenceSequence

NATIONAL_QUEUE_PREFIX = "LV"

TRANSITION_NOT_ALLOWED = _("A case cannot move from “%(from)s” to “%(to)s”.")
CLOSED_REASON_REQUIRED = _("Choose why the case is closed.")
STALE_CASE = _(
    "The case changed to “%(current)s” while you were looking at it. Check the case and try again."
)
NOT_A_COORDINATOR = _("Only a regional coordinator can be assigned to a case.")
COORDINATOR_OUTSIDE_REGION = _("The coordinator works in another planning region.")


class CaseError(Exception):
    """A case operation the rules refuse; the message is safe to show to the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def reference_allocate(*, prefix, year, count=1):
    """Hand out `count` consecutive case numbers for prefix and year, safe under concurrency."""
    with transaction.atomic():
        sequence, _created = ReferenceSequence.objects.select_for_update().get_or_create(
            prefix=prefix, year=year
        )
        ReferenceSequence.objects.filter(pk=sequence.pk).update(
            last_number=F("last_number") + count
        )
        sequence.refresh_from_db(fields=["last_number"])
    first = sequence.last_number - count + 1
    return [f"{prefix}-{year}-{number:05d}" for number in range(first, sequence.last_number + 1)]


def reference_prefix(planning_region):
    return planning_region.code if planning_region else NATIONAL_QUEUE_PREFIX


@transaction.atomic
def case_create(*, case, needs=(), actor=None, note=""):
    """Save a new, unsaved case with its reference number and the "created" event."""
    created_at = case.created_at or timezone.now()
    case.created_at = case.status_changed_at = created_at
    (case.reference,) = reference_allocate(
        prefix=reference_prefix(case.planning_region), year=timezone.localtime(created_at).year
    )
    case.full_clean()
    case.save()
    if needs:
        case.needs.set(needs)
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.CREATED,
        to_value=case.status,
        note=note,
        actor=actor,
        created_at=created_at,
    )
    return case


@transaction.atomic
def case_transition(*, case, to_status, actor, note="", closed_reason="", expected_status=None):
    """Move a case along the pipeline, or refuse with a CaseError.

    `expected_status` is the status the user saw; if the case moved meanwhile, nothing is
    overwritten. Returns the CaseEvent written, or None when the case is already there.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_status is not None and locked.status != expected_status:
        raise CaseError(STALE_CASE % {"current": locked.get_status_display()})
    if locked.status == to_status:
        return None
    if to_status not in ALLOWED_TRANSITIONS[locked.status]:
        raise CaseError(
            TRANSITION_NOT_ALLOWED
            % {
                "from": locked.get_status_display(),
                "to": Case.Status(to_status).label if to_status in Case.Status else to_status,
            }
        )
    if to_status == Case.Status.CLOSED and closed_reason not in Case.ClosedReason.values:
        raise CaseError(CLOSED_REASON_REQUIRED)
    from_status = locked.status
    case.status = to_status
    case.closed_reason = closed_reason if to_status == Case.Status.CLOSED else ""
    case.status_changed_at = timezone.now()
    case.save(update_fields=["status", "closed_reason", "status_changed_at", "updated_at"])
    return CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.STATUS_CHANGED,
        from_value=from_status,
        to_value=to_status,
        note=note,
        actor=actor,
        created_at=case.status_changed_at,
    )


@transaction.atomic
def case_assign(*, case, coordinator, actor, note=""):
    """Give the case to a coordinator (or to nobody), recording who did it."""
    if coordinator is not None:
        if not coordinator.is_regional_coordinator:
            raise CaseError(NOT_A_COORDINATOR)
        if case.planning_region_id and coordinator.planning_region_id != case.planning_region_id:
            raise CaseError(COORDINATOR_OUTSIDE_REGION)
    if case.coordinator_id == (coordinator.pk if coordinator else None):
        return None
    previous = case.coordinator
    case.coordinator = coordinator
    fields = ["coordinator", "updated_at"]
    if coordinator is not None and case.planning_region_id is None:
        # Taking a case from the national queue moves it into the coordinator's region.
        case.planning_region_id = coordinator.planning_region_id
        fields.append("planning_region")
    case.save(update_fields=fields)
    return CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.ASSIGNED,
        from_value=previous.get_username() if previous else "",
        to_value=coordinator.get_username() if coordinator else "",
        note=note,
        actor=actor,
    )
