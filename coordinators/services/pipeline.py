"""The pipeline: every status change of a case goes through `case_transition`."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
