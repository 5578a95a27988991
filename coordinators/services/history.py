"""A case's past written in bulk: status steps dated as given, cases saved as `case_create`
would have saved them on their `created_at`, interactions dated in the past.

`case_transition` makes one change at a time and dates it now; these functions take the dates
as given and return unsaved rows (or bulk-create them), so a region's history of thousands of
cases (`imports`), or 100,000 demo cases, take seconds. They refuse what the pipeline refuses
(a step `ALLOWED_TRANSITIONS` lacks, a closing without a reason, a step in the future) with
ValueError: callers check their input first and say what is wrong in the user's words; this
is the last guard. bulk_create skips `full_clean()`, the audit log and `CaseEvent.save()`, so
the writers here take the events' snapshots themselves (`case_event_snapshots_fill`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from municipalities.models import NeedCategory

from ..models import (
    ALLOWED_TRANSITIONS,
    Case,
    CaseEvent,
    Interaction,
    User,
    case_event_snapshots_fill,
)
from .references import reference_allocate, reference_prefix

S = Case.Status
# The way most cases go; a case may stop at any step, or be closed on the way.
MAIN_PATH = (
    S.CONTACTED,
    S.NEEDS_ASSESSED,
    S.OFFER_PREPARATION,
    S.OFFER_SENT,
    S.DECIDED_TO_RETURN,
    S.RETURNED,
)
del S

STEP_NOT_ALLOWED = "A case cannot move from '{from_status}' to '{to_status}'."
CLOSED_REASON_REQUIRED = "A step to 'closed' needs one of Case.ClosedReason, not {reason!r}."
CLOSED_REASON_UNEXPECTED = "Only a step to 'closed' has a closing reason (got {reason!r})."
STEP_OUT_OF_ORDER = "A step at {when} comes before the case's last change at {last}."
STEP_IN_FUTURE = "A step at {when} is in the future."
NOT_A_NEW_CASE = "cases_bulk_create takes unsaved cases in status 'new'; give the rest as history."


class Step(NamedTuple):
    """One status change in a case's past: to `status` at `when`, by `actor`."""

    status: str
    when: datetime
    closed_reason: str = ""
    actor: User | None = None


def history_events(*, case: Case, steps: Iterable[Step]) -> list[CaseEvent]:
    """Unsaved status events for `steps`, from the case's current status, as `case_transition`
    writes them; the (unsaved) case takes the status, closing reason and time they lead to."""
    now = timezone.now()
    status, reason, last = case.status, case.closed_reason, case.status_changed_at
    events = []
    for step in steps:
        if step.status not in ALLOWED_TRANSITIONS.get(status, ()):
            raise ValueError(
                STEP_NOT_ALLOWED.format(from_status=str(status), to_status=str(step.status))
            )
        if step.status == Case.Status.CLOSED and step.closed_reason not in Case.ClosedReason.values:
            raise ValueError(CLOSED_REASON_REQUIRED.format(reason=step.closed_reason))
        if step.status != Case.Status.CLOSED and step.closed_reason:
            raise ValueError(CLOSED_REASON_UNEXPECTED.format(reason=step.closed_reason))
        if step.when < last:
            raise ValueError(STEP_OUT_OF_ORDER.format(when=step.when, last=last))
        if step.when > now:
            raise ValueError(STEP_IN_FUTURE.format(when=step.when))
        events.append(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.STATUS_CHANGED,
                from_value=status,
                to_value=step.status,
                closed_reason=step.closed_reason,
                actor=step.actor,
                created_at=step.when,
            )
        )
        status, reason, last = step.status, step.closed_reason, step.when
    case.status, case.closed_reason, case.status_changed_at = status, reason, last
    return events


@transaction.atomic
def history_append(*, case: Case, steps: Iterable[Step]) -> list[CaseEvent]:
    """Write `steps` into a saved case's past: the status events, and the case's new status."""
    case.status, case.closed_reason, case.status_changed_at = (
        Case.objects.select_for_update()
        .values_list("status", "closed_reason", "status_changed_at")
        .get(pk=case.pk)
    )
    events = history_events(case=case, steps=steps)
    events = CaseEvent.objects.bulk_create(case_event_snapshots_fill(events))
    case.save(update_fields=["status", "closed_reason", "status_changed_at", "updated_at"])
    return events


@transaction.atomic
def cases_bulk_create(
    *,
    cases: Sequence[Case],
    histories: Sequence[Iterable[Step]] | None = None,
    needs: Sequence[Iterable[NeedCategory]] | None = None,
    batch_size: int | None = None,
    note: str = "",
    actor: User | None = None,
) -> list[CaseEvent]:
    """Save new cases as `case_create` would have on their `created_at`: references, needs and
    the "created" event (with `note` and `actor`); with `histories` (one per case) also their
    status events and status."""
    events: list[CaseEvent] = []
    for case, steps in zip(cases, histories or [()] * len(cases), strict=True):
        if case.pk is not None or case.status != Case.Status.NEW:
            raise ValueError(NOT_A_NEW_CASE)
        case.status_changed_at = case.created_at
        events.append(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.CREATED,
                to_value=case.status,
                note=note,
                actor=actor,
                created_at=case.created_at,
            )
        )
        events.extend(history_events(case=case, steps=steps))
    references_assign([case for case in cases if not case.reference])
    Case.objects.bulk_create(cases, batch_size=batch_size)
    if needs is not None:
        through = Case.needs.through
        through.objects.bulk_create(
            [
                through(case_id=case.pk, needcategory_id=need.pk)
                for case, case_needs in zip(cases, needs, strict=True)
                for need in case_needs
            ],
            batch_size=batch_size,
        )
    # bulk_create skips CaseEvent.save(): the snapshots are taken here, from the cases as
    # they are saved (their region, municipality and households as of these events).
    return CaseEvent.objects.bulk_create(case_event_snapshots_fill(events), batch_size=batch_size)


def references_assign(
    items: Iterable[Any], *, created: str = "created_at", region: str = "planning_region"
) -> None:
    """Number unsaved cases (or anything with a `reference` to set and the attributes named
    `created` and `region`: the benchmark's seeding specs) through `reference_allocate`,
    in order of creation within each prefix and year, so reference numbers grow with the
    dates as they do in production."""
    groups: defaultdict[tuple[str, int], list[Any]] = defaultdict(list)
    for item in items:
        year = timezone.localtime(getattr(item, created)).year
        groups[(reference_prefix(getattr(item, region)), year)].append(item)
    for (prefix, year), members in groups.items():
        members.sort(key=lambda item: getattr(item, created))
        numbers = reference_allocate(prefix=prefix, year=year, count=len(members))
        for item, reference in zip(members, numbers, strict=True):
            item.reference = reference


def pipeline_path(*, to_status: str) -> list[str]:
    """The statuses a typical case passes on its way from new to `to_status`: along MAIN_PATH,
    or closed after the first contact."""
    if to_status == Case.Status.NEW:
        return []
    if to_status == Case.Status.CLOSED:
        return [Case.Status.CONTACTED, Case.Status.CLOSED]
    return list(MAIN_PATH[: MAIN_PATH.index(to_status) + 1])


def interaction_build(
    *, case: Case, kind: str, summary: str, when: datetime, author: User | None = None
) -> Interaction:
    """An unsaved interaction that happened at `when` (its date in Riga time) and was written
    down then."""
    return Interaction(
        case=case,
        kind=kind,
        summary=summary,
        occurred_on=timezone.localtime(when).date(),
        author=author,
        created_at=when,
    )
