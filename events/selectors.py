"""Reads on events: the staff list, the attendee list, the public list, and the per-event
funnel (attendees → cases → offers → returned)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from coordinators.models import Case, CaseEvent, User
from offers.models import Offer
from reports.figures.filters import ReportFilters
from reports.figures.rows import COUNTED

from .models import Attendee, Event

SORTS = {"date": "starts_at", "-date": "-starts_at", "title": "title", "-title": "-title"}


def event_list(*, user: User, search: str = "", sort: str = "-date") -> QuerySet[Event]:
    """The events the user may manage, searched by title or city, sorted; with counts."""
    events = Event.objects.visible_to(user).select_related("organiser_region")
    if search:
        events = events.filter(Q(title__icontains=search) | Q(city__icontains=search))
    registered = Q(attendees__status=Attendee.Status.REGISTERED)
    return events.annotate(
        people=Sum("attendees__party_size", filter=registered),
        registrations=Count("attendees", filter=registered),
    ).order_by(SORTS.get(sort, "-starts_at"), "pk")


def public_event_list() -> QuerySet[Event]:
    """The upcoming published events, soonest first."""
    return Event.objects.public().select_related("organiser_region").order_by("starts_at", "pk")


def event_attendees(*, event: Event, user: User) -> QuerySet[Attendee]:
    """The event's attendees; `case_visible` says whether `user` may see the attendee's case
    (a known person's open case may be in another region: the page then names no case)."""
    visible = Case.objects.visible_to(user).filter(pk=OuterRef("case_id"))
    return (
        event.attendees.select_related("case")
        .annotate(case_visible=Exists(visible))
        .order_by("last_name", "first_name", "pk")
    )


def event_funnel(*, events: QuerySet[Event]) -> list[dict[str, Any]]:
    """Per event: registrations, checked in, cases (the attendees' cases, new or matched),
    those of the cases with an offer sent, and those returned. Three queries in all."""
    registered = Q(attendees__status=Attendee.Status.REGISTERED)
    rows = list(
        events.annotate(
            registrations=Count("attendees", filter=registered, distinct=True),
            checked_in=Count(
                "attendees",
                filter=registered & Q(attendees__checked_in_at__isnull=False),
                distinct=True,
            ),
            cases=Count("attendees__case", distinct=True),
        ).values("pk", "title", "registrations", "checked_in", "cases")
    )
    ids = [row["pk"] for row in rows]
    offered = _distinct_cases(ids, offered=True)
    returned = _distinct_cases(ids, offered=False)
    for row in rows:
        row["offers"] = offered.get(row["pk"], 0)
        row["returned"] = returned.get(row["pk"], 0)
    return rows


def _distinct_cases(event_ids: list[int], *, offered: bool) -> dict[int, int]:
    """Per event id, the distinct cases of its attendees with an offer sent (or returned)."""
    if offered:
        condition = Exists(Offer.objects.filter(case=OuterRef("case_id"), sent_at__isnull=False))
    else:
        condition = Exists(
            CaseEvent.objects.filter(
                COUNTED,
                case=OuterRef("case_id"),
                kind=CaseEvent.Kind.STATUS_CHANGED,
                to_value=Case.Status.RETURNED,
            )
        )
    rows = (
        Attendee.objects.filter(event_id__in=event_ids, case__isnull=False)
        .filter(condition)
        .values("event_id")
        .annotate(count=Count("case_id", distinct=True))
        .order_by()
    )
    return {row["event_id"]: row["count"] for row in rows}


def events_in_report(*, filters: ReportFilters) -> QuerySet[Event]:
    """The events of a report's period and scope: held (started) in the period, organised
    by a region of the report (and its municipality, when one is chosen)."""
    events = Event.objects.filter(
        organiser_region__in=filters.regions,
        starts_at__gte=filters.start,
        starts_at__lt=filters.end,
    )
    if filters.municipality is not None:
        events = events.filter(organiser_municipality=filters.municipality)
    return events.order_by("starts_at", "pk")


def funnel_totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    """The report's totals row: the events' funnels added up."""
    keys = ("registrations", "checked_in", "cases", "offers", "returned")
    return {key: sum(row[key] for row in rows) for key in keys}
