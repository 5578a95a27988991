"""Writes on cases and the people on them: creating, assigning, needs, the attention flag."""

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from municipalities.models import NeedCategory

from ..models import Case, CaseEvent, HouseholdMember, Returnee, User
from .references import reference_allocate, reference_prefix
from .regions import case_region_move
from .versions import case_version_check

NOT_A_COORDINATOR = _("Only a regional coordinator can be assigned to a case.")
COORDINATOR_OUTSIDE_REGION = _("The coordinator works in another planning region.")
RETURNEE_EMAIL_TAKEN = _(
    "A person with this e-mail address is already registered. Search for them in the case list."
)

# The person's own details, as both the public form and "new case by hand" collect them.
RETURNEE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "country",
    "town",
    "preferred_language",
)


def returnee_build(*, data: dict[str, Any], **extra: Any) -> Returnee:
    """An unsaved returnee from a form's cleaned data (and any other fields in `extra`)."""
    return Returnee(**{name: data[name] for name in RETURNEE_FIELDS}, **extra)


# Part of the caller's transaction, without a savepoint of its own (two round trips): an
# error here fails the caller's whole step.
@transaction.atomic(savepoint=False)
def case_create(
    *,
    case: Case,
    needs: Iterable[NeedCategory] = (),
    actor: User | None = None,
    note: str = "",
) -> Case:
    """Save a new, unsaved case with its reference number and the "created" event."""
    created_at = case.created_at or timezone.now()
    case.created_at = case.status_changed_at = created_at
    (case.reference,) = reference_allocate(
        prefix=reference_prefix(case.planning_region), year=timezone.localtime(created_at).year
    )
    # A query each that cannot fail here: the related rows are saved instances, the
    # reference comes from its sequence, and a case created open passes the closed-reason
    # rule; the database's constraints still hold.
    case.full_clean(
        exclude=_saved_relations(case),
        validate_unique=False,
        validate_constraints=case.status == Case.Status.CLOSED,
    )
    case.save()
    if needs:
        case.needs.add(*needs)  # a new case has none: no read of the current ones
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.CREATED,
        to_value=case.status,
        note=note,
        actor=actor,
        created_at=created_at,
    )
    return case


def _saved_relations(instance: Case) -> list[str]:
    """The foreign keys of `instance` set to a saved row held in memory (their existence
    check would be a query for a row the caller already has)."""
    return [
        field.name
        for field in instance._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and field.is_cached(instance)
        and getattr(getattr(instance, field.name), "pk", None) is not None
    ]


@transaction.atomic
def case_assign(
    *,
    case: Case,
    coordinator: User | None,
    actor: User | None,
    note: str = "",
    version: str | None = None,
) -> CaseEvent | None:
    """Give the case to a coordinator (or to nobody), recording who did it.

    `version`: the assignment the user saw (see `common.versions`); None for bulk actions.
    """
    locked = (
        Case.objects.select_for_update(of=("self",)).select_related("coordinator").get(pk=case.pk)
    )
    case_version_check(locked=locked, version=version, fields=("coordinator",))
    case.coordinator_id, case.planning_region_id = locked.coordinator_id, locked.planning_region_id
    if coordinator is not None:
        if not coordinator.is_regional_coordinator:
            raise DomainError(NOT_A_COORDINATOR)
        if case.planning_region_id and coordinator.planning_region_id != case.planning_region_id:
            raise DomainError(COORDINATOR_OUTSIDE_REGION)
    if case.coordinator_id == (coordinator.pk if coordinator else None):
        return None
    # From the locked row: the event says whom the case really came from.
    previous = locked.coordinator
    case.coordinator = coordinator
    if coordinator is not None and coordinator.planning_region and case.planning_region_id is None:
        # Taking a case from the national queue moves it into the coordinator's region, on
        # the timeline and in the reports like any other move (a region_changed event).
        case_region_move(
            case=case, to_region=coordinator.planning_region, actor=actor, note=note,
            coordinator=coordinator,
        )  # fmt: skip
        return case.events.filter(kind=CaseEvent.Kind.ASSIGNED).first()
    case.save(update_fields=["coordinator", "updated_at"])
    return CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.ASSIGNED,
        from_value=previous.get_username() if previous else "",
        to_value=coordinator.get_username() if coordinator else "",
        note=note,
        actor=actor,
    )


def case_bulk_assign(
    *, cases: Iterable[Case], coordinator: User | None, actor: User
) -> tuple[int, list[tuple[str, str]]]:
    """Assign several cases; returns (done, refused) with the refused references and reasons."""
    done, refused = 0, []
    for case in cases:
        try:
            case_assign(case=case, coordinator=coordinator, actor=actor)
            done += 1
        except DomainError as error:
            refused.append((case.reference, str(error.message)))
    return done, refused


@transaction.atomic
def case_create_by_hand(
    *,
    returnee: Returnee,
    case: Case,
    needs: Iterable[NeedCategory] = (),
    household: Iterable[tuple[str, int | None]] = (),
    actor: User,
    assign_to_actor: bool = False,
) -> Case:
    """Register a contact that came by phone, e-mail or at an event: the person and the case.

    `returnee` and `case` are unsaved instances; `household` is (relation, birth_year) pairs.
    """
    returnee.email = returnee.email.strip().lower()
    if returnee.email and Returnee.objects.filter(email=returnee.email).exists():
        raise DomainError(RETURNEE_EMAIL_TAKEN)
    returnee.full_clean()
    returnee.save()
    HouseholdMember.objects.bulk_create(
        HouseholdMember(returnee=returnee, relation=relation, birth_year=birth_year)
        for relation, birth_year in household
    )
    case.returnee = returnee
    case_create(case=case, needs=needs, actor=actor)
    if assign_to_actor and actor.is_regional_coordinator:
        case_assign(case=case, coordinator=actor, actor=actor)
    return case


def _codes(needs: Iterable[NeedCategory]) -> str:
    return ", ".join(sorted(need.code for need in needs))[:100]


@transaction.atomic
def case_needs_update(
    *,
    case: Case,
    needs: Iterable[NeedCategory],
    actor: User | None = None,
    version: str | None = None,
) -> CaseEvent | None:
    """Replace the needs recorded for a case, on the timeline with before and after.

    `version`: the needs the user saw; a change saved meanwhile is not overwritten.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    case_version_check(locked=locked, version=version, fields=("needs",))
    needs = list(needs)
    before = list(locked.needs.all())
    if {need.pk for need in before} == {need.pk for need in needs}:
        return None
    case.needs.set(needs)
    case.save(update_fields=["updated_at"])
    return CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.DETAILS_CHANGED,
        field="needs",
        from_value=_codes(before),
        to_value=_codes(needs),
        actor=actor,
    )


@transaction.atomic
def case_attention_clear(*, case: Case) -> None:
    """The coordinator has seen the person's new message."""
    if case.needs_attention:
        case.needs_attention = False
        case.save(update_fields=["needs_attention", "updated_at"])
