"""Reads for the coordinators' workspace: the case list, the dashboard, the menu's badges.

They combine the domain core with offers and the outbox; every case read starts from
`Case.objects.visible_to(user)`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from common.dates import start_of_day
from coordinators.models import Case, ContactSubmission, MunicipalityRequest, User
from coordinators.selectors.cases import CASE_PAGE_RELATED
from coordinators.selectors.search import case_search
from offers.models import Offer
from outbox.models import Email
from transfers.selectors import transfers_waiting_count

SORT_FIELDS = {
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "reference": ("reference",),
    "-reference": ("-reference",),
    "follow_up": ("next_follow_up", "id"),
    "-follow_up": ("-next_follow_up", "-id"),
    "name": ("returnee__last_name", "returnee__first_name", "id"),
    "-name": ("-returnee__last_name", "-returnee__first_name", "-id"),
    "status": ("status", "-created_at"),
}
DEFAULT_SORT = "-created"


# "Answered by a municipality" on the list of my work: an answer of the last days.
MY_WORK_ANSWER_DAYS = 14


def my_work_q(*, user: User, today: datetime.date) -> Q:
    """A coordinator's work: their open cases with a follow-up due or overdue, a recent
    municipality answer or a new message from the person; and the region's unassigned
    cases that are new or where the person wrote again."""
    since = timezone.now() - datetime.timedelta(days=MY_WORK_ANSWER_DAYS)
    answered = Exists(
        MunicipalityRequest.objects.filter(
            case_id=OuterRef("pk"), status=MunicipalityRequest.Status.ANSWERED,
            answered_at__gte=since,
        )
    )  # fmt: skip
    is_open = ~Q(status__in=Case.FINAL_STATUSES)
    mine = Q(coordinator=user) & (
        (is_open & Q(next_follow_up__lte=today)) | (is_open & answered) | Q(needs_attention=True)
    )
    unassigned = Q(coordinator__isnull=True) & (Q(status=Case.Status.NEW) | Q(needs_attention=True))
    return mine | unassigned


def case_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet[Case]:
    """The cases a user may see, filtered and sorted; rows carry what the list shows."""
    filters = filters or {}
    today = timezone.localdate()
    queryset = Case.objects.visible_to(user).select_related(*CASE_PAGE_RELATED)
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("open_only"):
        queryset = queryset.open()
    if filters.get("municipality"):
        queryset = queryset.filter(municipality=filters["municipality"])
    if filters.get("need"):
        # EXISTS instead of a join, so a case with several needs appears once.
        queryset = queryset.filter(
            Exists(
                Case.needs.through.objects.filter(
                    case_id=OuterRef("pk"), needcategory_id=filters["need"].pk
                )
            )
        )
    if filters.get("country"):
        queryset = queryset.filter(returnee__country=filters["country"])
    coordinator = filters.get("coordinator")
    if coordinator == "me":
        queryset = queryset.filter(coordinator=user)
    elif coordinator == "none":
        queryset = queryset.filter(coordinator__isnull=True)
    elif coordinator:
        queryset = queryset.filter(coordinator_id=coordinator)
    if filters.get("source"):
        queryset = queryset.filter(source=filters["source"])
    follow_up = filters.get("follow_up")
    if follow_up == "today":
        queryset = queryset.open().filter(next_follow_up=today)
    elif follow_up == "overdue":
        queryset = queryset.open().filter(next_follow_up__lt=today)
    elif follow_up == "due":
        queryset = queryset.open().filter(next_follow_up__lte=today)
    # A range on the column itself (not created_at__date), so the index on created_at is used.
    if filters.get("created_from"):
        queryset = queryset.filter(created_at__gte=start_of_day(filters["created_from"]))
    if filters.get("created_to"):
        next_day = filters["created_to"] + datetime.timedelta(days=1)
        queryset = queryset.filter(created_at__lt=start_of_day(next_day))
    if filters.get("attention"):
        queryset = queryset.filter(needs_attention=True)
    waiting = filters.get("waiting")
    if waiting == "municipality":
        queryset = queryset.filter(
            Exists(
                MunicipalityRequest.objects.filter(
                    case_id=OuterRef("pk"), status=MunicipalityRequest.Status.OPEN
                )
            )
        )
    elif waiting == "decision":
        queryset = queryset.filter(
            Exists(Offer.objects.filter(case_id=OuterRef("pk"), status=Offer.Status.SENT))
        )
    if filters.get("work") == "mine":
        queryset = queryset.filter(my_work_q(user=user, today=today))
    if filters.get("q"):
        queryset = case_search(queryset, filters["q"])
    sort = filters.get("sort")
    if not sort and "search_rank" in queryset.query.annotations:
        # A search by name: the best match first, unless the user asked for another order.
        return queryset.order_by("-search_rank", *SORT_FIELDS[DEFAULT_SORT])
    return queryset.order_by(*SORT_FIELDS.get(sort or DEFAULT_SORT, SORT_FIELDS[DEFAULT_SORT]))


def case_page_rows(case_ids: Iterable[int]) -> list[Case]:
    """The cases of one list page, in the page's order, with their needs: two queries.

    The list is paginated over ids only (an index-only scan even on a deep page); the rows
    are then fetched by primary key, instead of PostgreSQL reading and throwing away every
    full row before the OFFSET."""
    case_ids = list(case_ids)
    by_id = Case.objects.select_related(*CASE_PAGE_RELATED).in_bulk(case_ids)
    cases = [by_id[pk] for pk in case_ids if pk in by_id]
    for case in cases:
        case.need_list = []
    through = Case.needs.through.objects.filter(case_id__in=by_id).select_related("needcategory")
    for row in through.order_by("needcategory__position"):
        by_id[row.case_id].need_list.append(row.needcategory)
    return cases


def dashboard_counts(*, user: User) -> dict[str, Any]:
    """The numbers on a coordinator's dashboard, in a handful of queries, each an index
    (only) scan at 100,000 cases (bench/workspace.py)."""
    today = timezone.localdate()
    visible = Case.objects.visible_to(user)
    mine = visible.filter(coordinator=user) if user.is_regional_coordinator else visible
    open_statuses = [status for status in Case.Status if status not in Case.FINAL_STATUSES]
    # One pass over my open cases: how many in each status, and of those how many have
    # their follow-up today or overdue.
    rows = (
        mine.filter(status__in=open_statuses)
        .values_list("status")
        .annotate(
            # Counts of these columns, not of the id: the index on (status, next_follow_up)
            # then holds all the query reads (an index-only scan of all cases for a
            # national administrator).
            total=Count("status"),
            today=Count("next_follow_up", filter=Q(next_follow_up=today)),
            overdue=Count("next_follow_up", filter=Q(next_follow_up__lt=today)),
        )
        .order_by()
    )
    by_status = {status: (total, due, overdue) for status, total, due, overdue in rows}
    counts: dict[str, Any] = {
        "follow_up_today": sum(row[1] for row in by_status.values()),
        "follow_up_overdue": sum(row[2] for row in by_status.values()),
        "by_status": [
            (status, status.label, by_status.get(status, (0,))[0]) for status in open_statuses
        ],
    }
    # "Wrote again" counts the region's unassigned cases too: nobody else would see them.
    attention = visible.filter(needs_attention=True)
    if user.is_regional_coordinator:
        attention = attention.filter(Q(coordinator=user) | Q(coordinator__isnull=True))
    counts["attention"] = attention.count()
    counts["new_untaken"] = visible.filter(status=Case.Status.NEW, coordinator__isnull=True).count()
    requests = MunicipalityRequest.objects.filter(status=MunicipalityRequest.Status.OPEN)
    offers = Offer.objects.filter(status=Offer.Status.SENT)
    if mine.query.has_filters():
        counts["requests_open"] = requests.filter(case__in=mine).count()
        counts["offers_waiting"] = (
            mine.filter(Exists(offers.filter(case_id=OuterRef("pk")))).order_by().count()
        )
    else:
        # All cases (a national administrator): no join with every case's row.
        counts["requests_open"] = requests.count()
        counts["offers_waiting"] = offers.order_by().values("case_id").distinct().count()
    counts["transfers_waiting"] = transfers_waiting_count(user=user)
    counts["mine_param"] = "me" if user.is_regional_coordinator else ""
    if user.is_national_admin:
        # Mail the outbox gave up on, or whose attachment keeps failing, waits for a person
        # (the admin's e-mail list).
        counts["mail_failed"] = Email.objects.waiting_for_a_person().count()
    return counts


def _count(queryset: QuerySet[Any]) -> Subquery:
    """COUNT(*) of a queryset as a scalar subquery (no GROUP BY: Func is not an aggregate)."""
    return Subquery(
        queryset.order_by()
        .annotate(total=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("total")
    )


def nav_badges(*, user: User) -> dict[str, int]:
    """The menu's badges in ONE query whatever the data: new contacts not yet taken, contact
    forms to check, and municipality answers of the last days on the user's cases."""
    visible = Case.objects.visible_to(user)
    since = timezone.now() - datetime.timedelta(days=MY_WORK_ANSWER_DAYS)
    answers = MunicipalityRequest.objects.filter(
        case__in=visible.filter(coordinator=user) if user.is_regional_coordinator else visible,
        status=MunicipalityRequest.Status.ANSWERED,
        answered_at__gte=since,
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            new_contacts=_count(visible.filter(status=Case.Status.NEW, coordinator__isnull=True)),
            to_check=_count(ContactSubmission.objects.visible_to(user).to_check()),
            answers=_count(answers),
        )
        .values("new_contacts", "to_check", "answers")
        .first()
    )
    return row or {"new_contacts": 0, "to_check": 0, "answers": 0}
