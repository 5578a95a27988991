"""Which planning regions a user may report on: THE scoping rule of reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from municipalities.models import PlanningRegion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from coordinators.models import User


def report_scope(user: User | AnonymousUser) -> QuerySet[PlanningRegion]:
    """The planning regions whose figures the user may see: THE scoping rule of reports.

    National administrators: all regions (and the national queue); regional coordinators and
    planning-region analysts: their own region; everybody else: none. Who may see reports at
    all is the role predicate `User.can_see_reports`; this only turns it into regions.
    """
    if not (user.is_authenticated and user.can_see_reports):
        return PlanningRegion.objects.none()
    if user.is_national_admin:
        return PlanningRegion.objects.all()
    if user.planning_region_id is None:  # can_see_reports rules it out; the types do not know
        return PlanningRegion.objects.none()
    return PlanningRegion.objects.filter(pk=user.planning_region_id)


def reports_allowed(user: User | AnonymousUser) -> bool:
    """Whether the user may open reports at all (municipal specialists may not)."""
    return report_scope(user).exists()
