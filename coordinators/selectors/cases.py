"""Reads of cases and of the staff who work on them."""

import datetime

from django.db.models import QuerySet

from municipalities.models import PlanningRegion

from ..models import Case, User

CASE_PAGE_RELATED = ("returnee", "municipality", "coordinator", "planning_region")


def case_detail_queryset(*, user: User) -> QuerySet[Case]:
    """The cases a user may open, with what a case page shows of each."""
    return (
        Case.objects.visible_to(user)
        .select_related(*CASE_PAGE_RELATED)
        .prefetch_related("needs", "returnee__household")
    )


def coordinators_for(
    *, user: User, planning_region: PlanningRegion | None = None
) -> QuerySet[User]:
    """Coordinators a user may assign cases to: of the case's region, or of the user's."""
    queryset = User.objects.filter(role=User.Role.REGIONAL_COORDINATOR, is_active=True)
    if planning_region is not None:
        queryset = queryset.filter(planning_region=planning_region)
    elif not user.is_national_admin:
        queryset = queryset.filter(planning_region_id=user.planning_region_id)
    return queryset.order_by("last_name", "first_name", "username")


def followup_due_by_coordinator(*, today: datetime.date) -> dict[User, list[Case]]:
    """{coordinator: [open cases whose follow-up is today or earlier]}, in two queries."""
    cases = (
        Case.objects.open()
        .filter(next_follow_up__lte=today, coordinator__isnull=False, coordinator__is_active=True)
        .select_related("coordinator")
        .order_by("coordinator_id", "next_follow_up", "reference")
    )
    result: dict[User, list[Case]] = {}
    for case in cases:
        assert case.coordinator is not None  # filtered above
        result.setdefault(case.coordinator, []).append(case)
    return result
