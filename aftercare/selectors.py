"""Reads after return: which returned cases are due a follow-up, and what they answered.

Everything counts from the latest "returned" CaseEvent of a case whose status is still
"returned": an undone return (the case moved on or back) has no follow-ups."""

from __future__ import annotations

import calendar
import datetime
import heapq
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import DateTimeField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from common.dates import start_of_day
from coordinators.models import Case, CaseEvent

from .models import POINTS, FollowUpSurvey

if TYPE_CHECKING:
    from coordinators.models import User

# The dashboard shows a point from two weeks before it is due until two months after.
SHOW_BEFORE = datetime.timedelta(days=14)
SHOW_AFTER = datetime.timedelta(days=60)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def returned_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases whose status is "returned", with `returned_at`: when they last became so."""
    latest_return = (
        CaseEvent.objects.filter(
            case=OuterRef("pk"), kind=CaseEvent.Kind.STATUS_CHANGED, to_value=Case.Status.RETURNED
        )
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    return cases.filter(status=Case.Status.RETURNED).annotate(
        returned_at=Subquery(latest_return, output_field=DateTimeField())
    )


@dataclass
class FollowUpDue:
    """A point after a return on the coordinator's dashboard, and its survey if sent."""

    case: Case
    months: int
    returned_on: datetime.date
    due_on: datetime.date
    survey: FollowUpSurvey | None


def returned_on(case: Case) -> datetime.date | None:
    """The local day of the case's latest return (from `returned_cases`)."""
    returned_at = getattr(case, "returned_at", None)
    return timezone.localdate(returned_at) if returned_at else None


def returned_days(months: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of return whose `months` point is shown today (its due day
    from SHOW_AFTER ago to SHOW_BEFORE ahead); add_months never goes back, so they are one
    interval, found near add_months(-months) of its ends (a short month moves them)."""
    first_due, last_due = today - SHOW_AFTER, today + SHOW_BEFORE

    def near(due: datetime.date) -> list[datetime.date]:
        guess = add_months(due, -months)
        return [guess + datetime.timedelta(days=shift) for shift in range(-4, 5)]

    first = min(day for day in near(first_due) if add_months(day, months) >= first_due)
    last = max(day for day in near(last_due) if add_months(day, months) <= last_due)
    return first, last


def followups_due(
    *, user: User, today: datetime.date, limit: int | None = None
) -> list[FollowUpDue]:
    """The 3/6/12-month points of the user's returned cases that are near (two weeks before
    to two months after), soonest first, the first `limit` of them; three queries whatever
    the number of cases.

    At 100,000 cases a national administrator's windows hold thousands of returns: each is
    dated once in the time zone fetched once, and tested against the days of return each
    point shows (`returned_days`), not by adding months three times over."""
    windows = [(months, *returned_days(months, today)) for months in POINTS]
    # Only cases whose return falls in one of the windows (a day's margin for the local
    # day); `returned_at` then decides. A range on the column, so its index serves.
    near = Q()
    for _months, first, last in windows:
        near |= Q(
            status_changed_at__gte=start_of_day(first - datetime.timedelta(days=1)),
            status_changed_at__lt=start_of_day(last + datetime.timedelta(days=2)),
        )
    # Tuples, not cases.
    returns = (
        returned_cases(Case.objects.visible_to(user))
        .filter(near)
        # returned_cases' annotation, which the type checker's QuerySet[Case] cannot see.
        .values_list("pk", "reference", "returned_at")  # type: ignore[misc]
    )
    zone = timezone.get_current_timezone()
    points = []
    for case_id, reference, returned_at in returns:
        if returned_at is None:
            continue
        returned = returned_at.astimezone(zone).date()
        for months, first, last in windows:
            if first <= returned <= last:
                points.append((add_months(returned, months), reference, case_id, months, returned))
    points = sorted(points) if limit is None else heapq.nsmallest(limit, points)
    cases = Case.objects.only("id", "reference", "status").in_bulk({point[2] for point in points})
    due = [
        FollowUpDue(cases[case_id], months, returned, due_on, None)
        for due_on, _reference, case_id, months, returned in points
    ]
    surveys = {
        (survey.case_id, survey.returned_on, survey.months): survey
        for survey in FollowUpSurvey.objects.filter(case__in={item.case.pk for item in due})
    }
    for item in due:
        item.survey = surveys.get((item.case.pk, item.returned_on, item.months))
    return due


@dataclass
class UnmetNeeds:
    """The small report after return: answers counted per question, what is still missing."""

    answered: int
    counts: dict[str, Counter[str]]
    missing: list[FollowUpSurvey]
    still_returned_after_12: int


def unmet_needs(*, user: User) -> UnmetNeeds:
    """What the answered surveys of the user's cases say (constant queries)."""
    answered = list(
        FollowUpSurvey.objects.filter(
            case__in=Case.objects.visible_to(user), answered_at__isnull=False
        ).select_related("case")
    )
    counts = {
        question: Counter(
            getattr(survey, question) for survey in answered if getattr(survey, question)
        )
        for question in ("settled", "work", "school_place")
    }
    after_12 = {survey.case_id for survey in answered if survey.months == 12}
    still_here = returned_cases(Case.objects.filter(pk__in=after_12)).count() if after_12 else 0
    return UnmetNeeds(
        answered=len(answered),
        counts=counts,
        missing=[survey for survey in answered if survey.still_missing.strip()],
        still_returned_after_12=still_here,
    )
