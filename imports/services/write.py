"""Writing a checked file: the rows the workspace services would have written on the file's
dates, in bulk and in one transaction (all or nothing).

Per case: the person (unless the e-mail's person exists: a national administrator's row is
added to them) and the household, the case with a reference from the live sequence
(`reference_allocate`, through `cases_bulk_create`) and the region's own id, its needs, the
"created" event with the note "imported from FILE by USER on DATE", the dated status events,
the offer versions (sent or draft, without sections: marked imported) and the contacts. The
reports count these rows exactly as they count history made in the portal.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from common.dates import date_text
from coordinators.models import (
    Case,
    CaseEvent,
    HouseholdMember,
    Interaction,
    Returnee,
    User,
    case_event_snapshots_fill,
)
from coordinators.services.history import cases_bulk_create, interaction_build
from offers.history import offer_version_build
from offers.models import Offer

from .rows import RowPlan

BATCH = 1000


def import_note(*, file_name: str, actor: User) -> str:
    """The timeline note of every imported case (in the active language)."""
    return gettext("Imported from %(file)s by %(user)s on %(date)s") % {
        "file": file_name,
        "user": actor.get_full_name() or actor.get_username(),
        "date": date_text(timezone.localdate()),
    }


def contact_summary(summary: str) -> str:
    return summary or gettext("Imported contact (no summary in the file)")


@transaction.atomic
def plans_write(*, plans: list[RowPlan], actor: User, file_name: str) -> list[Case]:
    """Write every checked row; a failure rolls all of them back."""
    people = [
        # keys_fill: bulk_create skips save(), which fills the search and duplicate keys.
        Returnee(**plan.person, created_at=plan.created_at).keys_fill()
        for plan in plans
        if plan.existing_person is None
    ]
    Returnee.objects.bulk_create(people, batch_size=BATCH)
    new_people = iter(people)
    cases = []
    household = []
    for plan in plans:
        person = plan.existing_person or next(new_people)
        household += [
            HouseholdMember(returnee=person, relation=relation, birth_year=year)
            for relation, year in plan.household
        ]
        cases.append(
            Case(
                returnee=person,
                planning_region=plan.region,
                municipality=plan.municipality,
                source=plan.source,
                timeframe=plan.timeframe,
                legacy_reference=plan.legacy_reference,
                created_at=plan.created_at,
            )
        )
    HouseholdMember.objects.bulk_create(household, batch_size=BATCH)
    cases_bulk_create(
        cases=cases,
        histories=[plan.steps for plan in plans],
        needs=[plan.needs for plan in plans],
        batch_size=BATCH,
        note=import_note(file_name=file_name, actor=actor),
        actor=actor,
    )
    _open_cases_assign(cases=cases, actor=actor)
    offers, contacts = [], []
    for case, plan in zip(cases, plans, strict=True):
        offers += [
            offer_version_build(
                case=case, version=version, created_at=made, sent_at=sent, imported=True
            )  # fmt: skip
            for version, (made, sent) in enumerate(plan.offers, start=1)
        ]
        contacts += [
            interaction_build(case=case, kind=kind, summary=contact_summary(summary), when=when)
            for kind, when, summary in plan.contacts
        ]
    Offer.objects.bulk_create(offers, batch_size=BATCH)
    Interaction.objects.bulk_create(contacts, batch_size=BATCH)
    return cases


def _open_cases_assign(*, cases: list[Case], actor: User) -> None:
    """A regional coordinator who imports their region's history goes on working its open
    cases: they are assigned to them now, as `case_assign` records it (a national
    administrator's import leaves them to the region, in its "not yet taken" list)."""
    if not actor.is_regional_coordinator:
        return
    open_cases = [case for case in cases if case.is_open]
    Case.objects.filter(pk__in=[case.pk for case in open_cases]).update(coordinator=actor)
    CaseEvent.objects.bulk_create(
        case_event_snapshots_fill(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.ASSIGNED,
                to_value=actor.get_username(),
                note=gettext("assigned to the coordinator who imported the history"),
                actor=actor,
            )
            for case in open_cases
        ),
        batch_size=BATCH,
    )
    for case in open_cases:
        case.coordinator = actor
