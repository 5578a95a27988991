"""The pipeline: every status change of a case goes through `case_transition`."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from common.errors import DomainError

from ..models import ALLOWED_TRANSITIONS, Case, CaseEvent, User

TRANSITION_NOT_ALLOWED = _("A case cannot move from “%(from)s” to “%(to)s”.")
CLOSED_REASON_REQUIRED = _("Choose why the case is closed.")
STALE_CASE = _(
    "The case changed to “%(current)s” while you were looking at it. Check the case and try again."
)


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to_status: str,
    actor: User | None,
    note: str = "",
    closed_reason: str = "",
    expected_status: str | None = None,
) -> CaseEvent | None:
    """Move a case along the pipeline, or refuse with a DomainError.

    `expected_status` is the status the user saw; if the case moved meanwhile, nothing is
    overwritten. Returns the CaseEvent written, or None when the case is already there.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_status is not None and locked.status != expected_status:
        raise DomainError(STALE_CASE % {"current": locked.get_status_display()})
    if locked.status == to_status:
        return None
    if to_status not in ALLOWED_TRANSITIONS[locked.status]:
        raise DomainError(
            TRANSITION_NOT_ALLOWED
            % {
                "from": locked.get_status_display(),
                "to": Case.Status(to_status).label if to_status in Case.Status else to_status,
            }
        )
    if to_status == Case.Status.CLOSED and closed_reason not in Case.ClosedReason.values:
        raise DomainError(CLOSED_REASON_REQUIRED)
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
        closed_reason=case.closed_reason,
        note=note,
        actor=actor,
        created_at=case.status_changed_at,
    )


def case_bulk_transition(
    *,
    cases: Iterable[Case],
    to_status: str,
    actor: User,
    closed_reason: str = "",
    note: str = "",
) -> tuple[int, list[tuple[str, str]]]:
    """Move several cases; each is a transaction of its own, refusals are reported back."""
    done, refused = 0, []
    for case in cases:
        try:
            case_transition(
                case=case,
                to_status=to_status,
                actor=actor,
                closed_reason=closed_reason,
                note=note,
            )
            done += 1
        except DomainError as error:
            refused.append((case.reference, str(error.message)))
    return done, refused


NOTHING_TO_UNDO = _("Only a final step (returned or closed) can be undone.")
UNDO_NOT_YOURS = _("Only the case's coordinator or a national administrator can undo this step.")
UNDO_REASON_REQUIRED = ngettext_lazy(
    "This step is older than %(days)d day (or you are undoing it as an administrator): "
    "say why it is undone.",
    "This step is older than %(days)d days (or you are undoing it as an administrator): "
    "say why it is undone.",
    "days",
)


def _may_undo(case: Case, actor: User) -> bool:
    if actor.is_national_admin:
        return True
    if not actor.is_regional_coordinator or actor.planning_region_id != case.planning_region_id:
        return False
    # An unassigned case is its region's: any of its coordinators may undo.
    return case.coordinator_id in (None, actor.pk)


@transaction.atomic
def case_final_step_undo(
    *,
    case: Case,
    actor: User,
    reason: str = "",
    expected_status: str | None = None,
) -> CaseEvent:
    """Take back the last final step ("returned" or "closed" clicked by mistake): the case
    goes back to the status it had, and a status change that `undoes` the step is written,
    so the reports stop counting it. Within FINAL_STEP_UNDO_DAYS the case's coordinator
    needs no reason; later, and for a national administrator always, a reason is required."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_status is not None and locked.status != expected_status:
        raise DomainError(STALE_CASE % {"current": locked.get_status_display()})
    step = (
        # The step that led here, not an undo that came back to it (closed → returned).
        CaseEvent.objects.filter(
            case=locked,
            kind=CaseEvent.Kind.STATUS_CHANGED,
            to_value=locked.status,
            undoes__isnull=True,
            undone_by__isnull=True,
        )  # fmt: skip
        .order_by("-created_at", "-id")
        .first()
    )
    if locked.status not in Case.FINAL_STATUSES or step is None or not step.from_value:
        raise DomainError(NOTHING_TO_UNDO)
    if not _may_undo(locked, actor):
        raise DomainError(UNDO_NOT_YOURS)
    days = settings.FINAL_STEP_UNDO_DAYS
    late = timezone.now() - step.created_at > datetime.timedelta(days=days)
    if (late or actor.is_national_admin) and not reason.strip():
        raise DomainError(UNDO_REASON_REQUIRED % {"days": days})
    case.status = step.from_value
    case.closed_reason = ""
    case.status_changed_at = timezone.now()
    case.save(update_fields=["status", "closed_reason", "status_changed_at", "updated_at"])
    return CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.STATUS_CHANGED,
        from_value=locked.status,
        to_value=step.from_value,
        undoes=step,
        note=reason,
        actor=actor,
        created_at=case.status_changed_at,
    )
