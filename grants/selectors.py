"""Reads of the grant competition, each starting from the one `visible_to` of its model."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import DecimalField, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from events.models import Event
from events.selectors import event_funnel

from .models import Activity, Application, Call, CommitteeMember, Criterion

if TYPE_CHECKING:
    from coordinators.models import User


def call_list(*, user: User, search: str = "") -> QuerySet[Call]:
    """The calls the user sees, newest deadline first, optionally searched by title."""
    calls = Call.objects.visible_to(user).select_related("planning_region")
    if search:
        calls = calls.filter(title__icontains=search)
    return calls


def reportable_events(*, call: Call) -> QuerySet[Event]:
    """The events a funded activity of the call may link: its planning region's, newest
    first (never another region's)."""
    return Event.objects.filter(organiser_region_id=call.planning_region_id).order_by(
        "-starts_at", "pk"
    )


def activity_event_funnels(*, application: Application) -> list[dict[str, Any]]:
    """Per event linked to one of the application's activities: the activity's title and
    the event's funnel (registrations, checked in, cases, offers sent, returned)."""
    links = list(
        Activity.events.through.objects.filter(activity__application=application)
        .order_by("activity__planned_start", "activity_id", "event__starts_at")
        .values_list("activity__title", "event_id")
    )
    if not links:
        return []
    funnel = event_funnel(events=Event.objects.filter(pk__in={pk for _, pk in links}))
    by_event = {row["pk"]: row for row in funnel}
    return [{"activity": title, **by_event[pk]} for title, pk in links if pk in by_event]


def applications_with_totals(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Applications with `requested` (the sum of their budget lines) in the same query."""
    return queryset.select_related("municipality", "call").annotate(
        requested=Coalesce(
            Sum("activities__budget_lines__amount"),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=12, decimal_places=2),
        )
    )


def application_detail(*, user: User, pk: int) -> Application | None:
    """One application the user sees, with its activities and costs (None otherwise)."""
    lines = Prefetch("activities", queryset=Activity.objects.prefetch_related("budget_lines"))
    return (
        Application.objects.visible_to(user)
        .select_related("call", "municipality", "call__planning_region")
        .prefetch_related(lines)
        .filter(pk=pk)
        .first()
    )


def member_of(*, call: Call, user: User) -> CommitteeMember | None:
    return next((member for member in call.committee.all() if member.user_id == user.pk), None)


@dataclass
class MemberScores:
    """One member's view of an application: their scores, or their conflict."""

    member: CommitteeMember
    scores: dict[int, int] = field(default_factory=dict)
    conflict: bool = False
    weighted: int | None = None


@dataclass
class ApplicationResult:
    """What the chair sees of an application: each member's weighted total, the average."""

    application: Application
    requested: Decimal
    members: list[MemberScores]
    criterion_averages: dict[int, float | None]
    average: float | None
    maximum: int

    @property
    def percent(self) -> float | None:
        return None if self.average is None else round(100 * self.average / self.maximum, 1)


def call_results(*, call: Call) -> list[ApplicationResult]:
    """Every submitted application of a call with weighted totals and averages, best first,
    in a constant number of queries. Only complete score sheets count in the average."""
    criteria = list(Criterion.objects.filter(call=call))
    members = list(call.committee.select_related("user"))
    applications = applications_with_totals(
        call.applications.filter(status__in=Application.SUBMITTED_STATUSES)
    ).prefetch_related("scores", "conflicts")
    maximum = sum(criterion.weight * criterion.max_score for criterion in criteria) or 1
    results = []
    for application in applications:
        conflicted = {conflict.member_id for conflict in application.conflicts.all()}
        sheets = {member.user_id: MemberScores(member=member) for member in members}
        for score in application.scores.all():
            if score.member_id in sheets:
                sheets[score.member_id].scores[score.criterion_id] = score.score
        for sheet in sheets.values():
            sheet.conflict = sheet.member.user_id in conflicted
            if not sheet.conflict and len(sheet.scores) == len(criteria) and criteria:
                sheet.weighted = sum(c.weight * sheet.scores[c.pk] for c in criteria)
        complete = [sheet for sheet in sheets.values() if sheet.weighted is not None]
        averages: dict[int, float | None] = {}
        for criterion in criteria:
            values = [sheet.scores[criterion.pk] for sheet in complete]
            averages[criterion.pk] = round(sum(values) / len(values), 2) if values else None
        average = (
            round(sum(sheet.weighted or 0 for sheet in complete) / len(complete), 2)
            if complete
            else None
        )
        results.append(
            ApplicationResult(
                application=application,
                requested=application.requested,  # type: ignore[attr-defined]
                members=list(sheets.values()),
                criterion_averages=averages,
                average=average,
                maximum=maximum,
            )  # fmt: skip
        )
    results.sort(key=lambda result: (result.average is None, -(result.average or 0)))
    return results


def call_awarded_total(*, call: Call) -> Decimal:
    total = call.applications.aggregate(total=Sum("awarded_amount"))["total"]
    return total or Decimal(0)
