"""Corrections of what a coordinator knows about a case: the person's contact details, the
household, the municipality of interest and timeframe, a logged contact.

Each locks the case, refuses a save over a newer change (`versions.case_version_check`),
writes a `details_changed` event per field and leaves the before/after in the field
history (django-auditlog). Contact details and the household are personal data: their
events name the field only.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from common.versions import version_check
from municipalities.models import Municipality

from ..models import Case, CaseEvent, HouseholdMember, Interaction, Returnee, User
from .versions import RETURNEE_VALUES, case_version_check, last_changed_by

RETURNEE_EMAIL_TAKEN = _(
    "Another person is registered with this e-mail address. Search for them in the case list."
)
NOT_IN_HOUSEHOLD = _("This member is not in the person's household any more.")
CONTACT_FORM_MESSAGE_KEPT = _("A message the person sent through the form cannot be changed.")


INTERACTION_LABELS = {"kind": _("kind"), "occurred_on": _("date"), "summary": _("summary")}


def interaction_values(interaction: Interaction) -> dict[str, Any]:
    """What the correction form of a logged contact edits (its version)."""
    return {name: getattr(interaction, name) for name in INTERACTION_LABELS}


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("returnee").get(pk=case.pk)


def _event(
    *, case: Case, field: str, actor: User | None, before: str = "", after: str = ""
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.DETAILS_CHANGED,
        field=field,
        from_value=before[:100],
        to_value=after[:100],
        actor=actor,
    )


@transaction.atomic
def returnee_contact_update(
    *, case: Case, data: dict[str, Any], actor: User | None, version: str | None = None
) -> list[str]:
    """Correct the person's name and contact details; returns the fields changed."""
    locked = _lock(case)
    case_version_check(locked=locked, version=version, fields=RETURNEE_VALUES)
    returnee = Returnee.objects.select_for_update().get(pk=locked.returnee_id)
    changed = [name for name in RETURNEE_VALUES if str(getattr(returnee, name)) != data[name]]
    if not changed:
        return []
    for name in changed:
        setattr(returnee, name, data[name])
    returnee.email = returnee.email.strip().lower()
    taken = Returnee.objects.filter(email=returnee.email).exclude(pk=returnee.pk)
    if "email" in changed and returnee.email and taken.exists():
        raise DomainError(RETURNEE_EMAIL_TAKEN)
    returnee.full_clean()
    returnee.save(update_fields=[*changed, "updated_at"])
    case.returnee = returnee
    for name in changed:
        _event(case=locked, field=name, actor=actor)
    return changed


@transaction.atomic
def case_details_update(
    *,
    case: Case,
    municipality: Municipality | None,
    timeframe: str,
    actor: User | None,
    version: str | None = None,
) -> list[str]:
    """Change the municipality of interest and the planned timeframe; returns the fields
    changed (each on the timeline with before and after)."""
    locked = _lock(case)
    case_version_check(locked=locked, version=version, fields=("municipality", "timeframe"))
    changed = []
    if locked.municipality_id != (municipality.pk if municipality else None):
        before = locked.municipality.name if locked.municipality else ""
        locked.municipality = municipality
        changed.append(("municipality", before, municipality.name if municipality else ""))
    if locked.timeframe != timeframe:
        changed.append(("timeframe", locked.timeframe, timeframe))
        locked.timeframe = timeframe
    if not changed:
        return []
    locked.full_clean()
    locked.save(update_fields=[name for name, _before, _after in changed] + ["updated_at"])
    case.municipality, case.timeframe = locked.municipality, locked.timeframe
    for name, before, after in changed:
        _event(case=locked, field=name, before=before, after=after, actor=actor)
    return [name for name, _before, _after in changed]


@transaction.atomic
def household_member_save(
    *,
    case: Case,
    member: HouseholdMember | None,
    relation: str,
    birth_year: int | None,
    actor: User | None,
    version: str | None = None,
) -> HouseholdMember | None:
    """Add a member to the person's household (`member` None) or change one."""
    locked = _lock(case)
    case_version_check(locked=locked, version=version, fields=("household",))
    if member is None:
        member = HouseholdMember(returnee=locked.returnee)
    elif member.returnee_id != locked.returnee_id:
        raise DomainError(NOT_IN_HOUSEHOLD)
    elif (member.relation, member.birth_year) == (relation, birth_year):
        return None
    member.relation, member.birth_year = relation, birth_year
    member.full_clean()
    member.save()
    _event(case=locked, field="household", actor=actor)
    return member


@transaction.atomic
def household_member_remove(
    *, case: Case, member: HouseholdMember, actor: User | None, version: str | None = None
) -> None:
    """Remove a member from the household (kept in the field history)."""
    locked = _lock(case)
    case_version_check(locked=locked, version=version, fields=("household",))
    if member.returnee_id != locked.returnee_id:
        raise DomainError(NOT_IN_HOUSEHOLD)
    member.delete()
    _event(case=locked, field="household", actor=actor)


@transaction.atomic
def interaction_correct(
    *,
    interaction: Interaction,
    kind: str,
    occurred_on: datetime.date,
    summary: str,
    actor: User | None,
    version: str | None = None,
) -> Interaction:
    """Correct a logged contact (the field history keeps what it said before)."""
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    version_check(
        version=version,
        values=interaction_values(interaction),
        labels=INTERACTION_LABELS,
        changed_by=lambda: last_changed_by(interaction),
    )
    if interaction.kind == Interaction.Kind.CONTACT_FORM or interaction.from_person:
        raise DomainError(CONTACT_FORM_MESSAGE_KEPT)
    interaction.kind, interaction.occurred_on, interaction.summary = kind, occurred_on, summary
    interaction.full_clean()
    interaction.save(update_fields=["kind", "occurred_on", "summary"])
    _event(case=interaction.case, field="interaction", actor=actor)
    return interaction
