"""Reads of probable duplicates: a user's list, and those of one case (for its page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import DuplicateCandidate, DuplicateCandidateQuerySet

if TYPE_CHECKING:
    from coordinators.models import Case, User

RELATED = (
    "case_a__returnee",
    "case_b__returnee",
    "case_a__planning_region",
    "case_b__planning_region",
)


def duplicate_list(*, user: User) -> DuplicateCandidateQuerySet:
    """The open pairs the user may decide on (both cases in their scope), strongest first."""
    return (
        DuplicateCandidate.objects.visible_to(user)
        .open()
        .select_related(*RELATED)
        .order_by("-score", "-created_at", "-pk")
    )


def case_duplicates(*, case: Case, user: User) -> list[DuplicateCandidate]:
    """The open pairs of one case that the user may decide on: one query."""
    return list(duplicate_list(user=user).of_case(case))


def duplicate_detail_queryset(*, user: User) -> QuerySet[DuplicateCandidate]:
    """Any pair in the user's scope, decided or not (a 404 outside it, as for a case)."""
    return (
        DuplicateCandidate.objects.visible_to(user)
        .select_related(*RELATED, "decided_by")
        .prefetch_related("case_a__returnee__household", "case_b__returnee__household")
    )
