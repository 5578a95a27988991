"""Finding probable duplicates when a case is created, dismissing them, merging two people.

A merge keeps one person (the "survivor") with everything both had: the cases (and so
their contacts, questions, offers, mail and history) move to the survivor, household
members the survivor lacks move too, an empty contact detail is filled from the other, and
the consents are the most recent either gave. The other person's record is then erased as
a GDPR erasure does (`privacy.services.returnee_erase`), so no second copy of the person's
identifiers stays; values the survivor shares (the same name, the adopted address) are not
searched for, as they identify the survivor too. The merge is on both cases' timelines and
in the audit trail.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.services import audit_record
from common.errors import DomainError
from common.versions import version_check, version_token
from coordinators.models import (
    Case,
    CaseEvent,
    ContactSubmission,
    HouseholdMember,
    Returnee,
    User,
    returnee_name_keys,
)
from privacy.models import Erasure
from privacy.services import is_erased, returnee_erase

from .models import DuplicateCandidate
from .rules import match

ALREADY_DECIDED = _("This pair has already been decided on.")
NOT_IN_SCOPE = _(
    "One of the two people also has a case in another planning region. Ask a national "
    "administrator, who sees all of their cases, to merge them."
)
ERASED_PERSON = _("One of the two people has been erased; there is nothing to merge.")
NOT_OF_THE_PAIR = _("Choose one of the two people to keep.")
CANDIDATE_LABELS = {"status": _("status"), "people": _("the two people")}
# The most people one new case is compared with in detail (a very common name).
DETECT_LIMIT = 20
MERGED_FIELD = "merged"  # CaseEvent.field of the merge's timeline entry


def duplicates_detect(*, case: Case) -> list[DuplicateCandidate]:
    """Flag the case's person against every other person who matches (name, phone or
    e-mail local part, `duplicates.rules`): one pair with that person's latest case. A pair
    already known (open, merged or dismissed) is not made again, nor a pair of two people
    someone already said are not the same."""
    person = case.returnee
    found = []
    for other in _lookalikes(person):
        result = match(person, other)
        if not result.is_probable or _dismissed_before(person, other):
            continue
        other_case = other.cases.order_by("-created_at", "-pk").first()
        if other_case is None:
            continue
        low, high = sorted([case, other_case], key=lambda item: item.pk)
        candidate, created = DuplicateCandidate.objects.get_or_create(
            case_a=low,
            case_b=high,
            defaults={"reasons": list(result.reasons), "score": result.score},
        )
        if created:
            found.append(candidate)
    return found


def _lookalikes(person: Returnee) -> list[Returnee]:
    """People who share a name key, the phone or the e-mail key: indexed lookups only."""
    condition = Q(pk__in=[])
    if keys := returnee_name_keys(person.first_name, person.last_name):
        condition |= Q(name_key__in=keys)
    if person.phone:
        condition |= Q(phone=person.phone)
    if person.email_key:
        condition |= Q(email_key=person.email_key)
    return list(
        Returnee.objects.filter(condition, erasure__isnull=True)
        .exclude(pk=person.pk)
        .order_by("-created_at")
        # What `rules.match` compares: up to 20 rows on every new case (issue 16).
        .only("first_name", "last_name", "phone", "email_key", "created_at")[:DETECT_LIMIT]
    )


def _dismissed_before(person: Returnee, other: Returnee) -> bool:
    pair = Q(case_a__returnee=person, case_b__returnee=other) | Q(
        case_a__returnee=other, case_b__returnee=person
    )
    return DuplicateCandidate.objects.filter(
        pair, status=DuplicateCandidate.Status.DISMISSED
    ).exists()


def candidate_version(candidate: DuplicateCandidate) -> str:
    """The version of what the merge page showed: the pair's status and its two people."""
    return version_token(_candidate_values(candidate))


def _candidate_values(candidate: DuplicateCandidate) -> dict[str, Any]:
    people = [candidate.case_a.returnee, candidate.case_b.returnee]
    return {
        "status": candidate.status,
        "people": [[person.pk, person.updated_at] for person in people],
    }


def _lock(candidate: DuplicateCandidate, version: str | None) -> DuplicateCandidate:
    """The pair, locked, still open and as the user saw it."""
    locked = (
        DuplicateCandidate.objects.select_for_update(of=("self",))
        .select_related("case_a__returnee", "case_b__returnee", "decided_by")
        .get(pk=candidate.pk)
    )
    version_check(
        version=version,
        values=_candidate_values(locked),
        labels=CANDIDATE_LABELS,
        changed_by=lambda: locked.decided_by.get_full_name() if locked.decided_by else "",
    )
    if locked.status != DuplicateCandidate.Status.OPEN:
        raise DomainError(ALREADY_DECIDED)
    return locked


def _decide(candidate: DuplicateCandidate, status: str, actor: User) -> None:
    candidate.status, candidate.decided_by, candidate.decided_at = status, actor, timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def duplicate_dismiss(
    *, candidate: DuplicateCandidate, actor: User, version: str | None = None
) -> None:
    """Not the same person: the pair is closed and the two people are not flagged again."""
    _decide(_lock(candidate, version), DuplicateCandidate.Status.DISMISSED, actor)


@transaction.atomic
def returnee_merge(
    *,
    candidate: DuplicateCandidate,
    survivor: Returnee,
    actor: User,
    version: str | None = None,
    request: HttpRequest | None = None,
) -> Returnee:
    """Merge the pair's two people into `survivor` (one of them); see the module's text.
    Refused unless the actor sees every case of both people."""
    locked = _lock(candidate, version)
    people = {locked.case_a.returnee_id: locked.case_a, locked.case_b.returnee_id: locked.case_b}
    if survivor.pk not in people:
        raise DomainError(NOT_OF_THE_PAIR)
    if len(people) == 1:  # the two cases are one person's already
        _decide(locked, DuplicateCandidate.Status.MERGED, actor)
        return survivor
    other_id = next(pk for pk in people if pk != survivor.pk)
    survivor, other = (
        Returnee.objects.select_for_update().get(pk=pk) for pk in (survivor.pk, other_id)
    )
    _check_scope(actor, survivor, other)
    survivor_cases = list(survivor.cases.values_list("reference", flat=True))
    other_cases = list(other.cases.values_list("reference", flat=True))
    _move(survivor=survivor, other=other)
    returnee_erase(returnee=other, actor=actor, request=request, reason=Erasure.Reason.MERGE)
    _decide(locked, DuplicateCandidate.Status.MERGED, actor)
    # Other open pairs that now join two cases of the survivor are answered too.
    DuplicateCandidate.objects.open().filter(
        case_a__returnee=survivor, case_b__returnee=survivor
    ).update(status=DuplicateCandidate.Status.MERGED, decided_by=actor, decided_at=timezone.now())
    _timelines(survivor, survivor_cases=survivor_cases, other_cases=other_cases, actor=actor)
    audit_record(
        action=AuditEntry.Action.MERGE, request=request, actor=actor, obj=survivor,
        reference=people[survivor.pk].reference,
        detail=f"{people[other_id].reference} → {people[survivor.pk].reference}",
    )  # fmt: skip
    return survivor


def _check_scope(actor: User, *people: Returnee) -> None:
    for person in people:
        if is_erased(person):
            raise DomainError(ERASED_PERSON)
        hidden = Case.objects.filter(returnee=person).exclude(
            pk__in=Case.objects.visible_to(actor).values("pk")
        )
        if hidden.exists():
            raise DomainError(NOT_IN_SCOPE)


CONTACT_FIELDS = ("email", "phone", "country", "town")


def _move(*, survivor: Returnee, other: Returnee) -> None:
    """Everything of `other` onto `survivor`; `other` keeps only what erasure will empty."""
    for name in CONTACT_FIELDS:
        if not getattr(survivor, name) and getattr(other, name):
            setattr(survivor, name, getattr(other, name))
    # The consents: the most recent either gave (the text version goes with its date).
    if other.consent_given_at and (
        not survivor.consent_given_at or other.consent_given_at > survivor.consent_given_at
    ):
        survivor.consent_given_at = other.consent_given_at
        survivor.consent_version = other.consent_version
    sharing = [survivor.sharing_consent_given_at, other.sharing_consent_given_at]
    survivor.sharing_consent_given_at = max((at for at in sharing if at), default=None)
    # What the survivor shares is its own identifier now: blank on the other before the
    # erasure, so the erasure does not search the survivor's history for it (and the
    # address, unique, is free for the survivor).
    shared = {
        name: ""
        for name in ("first_name", "last_name", "email", "phone")
        if getattr(other, name) and getattr(other, name) == getattr(survivor, name)
    }
    if shared:
        Returnee.objects.filter(pk=other.pk).update(**shared)
    for name, value in shared.items():
        setattr(other, name, value)
    try:
        survivor.full_clean()
    except ValidationError as error:
        raise DomainError("; ".join(error.messages)) from error
    survivor.save()
    Case.objects.filter(returnee=other).update(returnee=survivor, updated_at=timezone.now())
    ContactSubmission.objects.filter(existing_returnee=other).update(existing_returnee=survivor)
    _household_move(survivor=survivor, other=other)


def _household_move(*, survivor: Returnee, other: Returnee) -> None:
    """Members the survivor's household lacks (by relation and birth year) move over; the
    rest were the same people typed twice."""
    have = Counter(survivor.household.values_list("relation", "birth_year"))
    for member in other.household.all():
        key = (member.relation, member.birth_year)
        if have[key]:
            have[key] -= 1
            member.delete()
        else:
            HouseholdMember.objects.filter(pk=member.pk).update(returnee=survivor)


def _timelines(
    survivor: Returnee, *, survivor_cases: list[str], other_cases: list[str], actor: User
) -> None:
    """A "merged" entry on every case of both: which cases are now one person's."""
    for case in Case.objects.filter(returnee=survivor):
        others = other_cases if case.reference in survivor_cases else survivor_cases
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.DETAILS_CHANGED,
            field=MERGED_FIELD,
            to_value=", ".join(others)[:100],
            actor=actor,
        )
