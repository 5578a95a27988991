"""Reads for the case page: its timeline, its questions to municipalities, and the rest of
what it shows, each table read once (issue 16: a fixed, small number of queries whatever
the history's length)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import start_of_day
from coordinators.models import (
    Case,
    CaseEvent,
    HouseholdMember,
    Interaction,
    MunicipalityRequest,
    User,
)
from coordinators.selectors.cases import case_detail_queryset
from coordinators.services.versions import LABELS
from duplicates.models import DuplicateCandidate
from duplicates.selectors import case_duplicates
from municipalities.models import Municipality, NeedCategory, PlanningRegion
from offers.models import Offer
from outbox.models import Email
from transfers.models import CaseTransfer

if TYPE_CHECKING:
    import datetime

    from django_stubs_ext import StrOrPromise

# The case page shows at most this many entries of each kind, so it stays fast for a case
# with years of history; "show older entries" shows this many more each time, up to
# TIMELINE_MAX.
TIMELINE_LIMIT = 100
TIMELINE_MAX = 5000


def timeline_limit_parse(value: str | None) -> int:
    """How many timeline entries the page asked for (`?timeline=`): a whole number of steps
    of TIMELINE_LIMIT, at most TIMELINE_MAX; anything else is the first step."""
    try:
        limit = int(value or TIMELINE_LIMIT)
    except ValueError:
        return TIMELINE_LIMIT
    steps = max(1, min(limit, TIMELINE_MAX) // TIMELINE_LIMIT)
    return steps * TIMELINE_LIMIT


@dataclass
class TimelineEntry:
    """One line of a case's history, whatever table it came from."""

    when: datetime.datetime
    kind: str  # event, interaction, request, answer, offer, email
    item: Any


def _status_label(value: str) -> StrOrPromise:
    return Case.Status(value).label if value in Case.Status.values else value


def _details_labels(event: CaseEvent, need_labels: dict[str, str]) -> None:
    """What a details_changed event shows: the field's name, and before/after where the
    event holds them (codes turned into their words)."""
    fallback = _("logged contact") if event.field == "interaction" else event.field
    event.field_label = LABELS.get(event.field, fallback)
    event.from_label, event.to_label = event.from_value, event.to_value
    if event.field == "timeframe":
        event.from_label, event.to_label = (
            Case.Timeframe(value).label if value in Case.Timeframe.values else value
            for value in (event.from_value, event.to_value)
        )
    elif event.field == "needs":
        event.from_label, event.to_label = (
            ", ".join(str(need_labels.get(code, code)) for code in value.split(", ") if code)
            for value in (event.from_value, event.to_value)
        )


def case_timeline(
    *,
    case: Case,
    limit: int = TIMELINE_LIMIT,
    requests: list[MunicipalityRequest] | None = None,
    offers: list[Offer] | None = None,
    emails: list[Email] | None = None,
    reference: CasePageReference | None = None,
) -> tuple[list[TimelineEntry], bool]:
    """Status changes, interactions, municipality questions and answers, offers and e-mails,
    newest first. A fixed number of queries whatever the history's length; the case page
    passes the requests and offers it has read for its other sections (newest first), no
    e-mails when it knows there are none, and its reference data, so the timeline reads
    none of them again.

    Returns (entries, truncated)."""
    events = list(
        CaseEvent.objects.filter(case=case)
        .select_related("actor", "undone_by")
        .order_by("-created_at", "-id")[:limit]
    )
    interactions = list(
        Interaction.objects.filter(case=case)
        .select_related("author")
        .order_by("-occurred_on", "-id")[:limit]
    )
    if requests is None:
        requests = list(
            MunicipalityRequest.objects.filter(case=case)
            .select_related("municipality", "need", "created_by", "answered_by")
            .order_by("-created_at", "-id")[:limit]
        )
    requests = requests[:limit]
    if offers is None:
        offers = list(Offer.objects.filter(case=case).order_by("-version")[:limit])
    offers = offers[:limit]
    if emails is None:
        emails = list(
            Email.objects.filter(case=case)
            .only("id", "subject", "status", "sent_at", "created_at", "purpose", "case_id")
            .order_by("-created_at")[:limit]
        )
    _event_labels(events, reference or CasePageReference())
    entries = [TimelineEntry(event.created_at, "event", event) for event in events]
    for interaction in interactions:
        # A contact logged on its day sorts by when it was written; a back-dated one by its date.
        if timezone.localdate(interaction.created_at) == interaction.occurred_on:
            when = interaction.created_at
        else:
            when = start_of_day(interaction.occurred_on)
        entries.append(TimelineEntry(when, "interaction", interaction))
    for request in requests:
        entries.append(TimelineEntry(request.created_at, "request", request))
        if request.answered_at:
            entries.append(TimelineEntry(request.answered_at, "answer", request))
    for offer in offers:
        entries.append(TimelineEntry(offer.sent_at or offer.created_at, "offer", offer))
    for email in emails:
        entries.append(TimelineEntry(email.sent_at or email.created_at, "email", email))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    # Older entries exist when the merged list is longer than shown, or when a table gave
    # all the rows it was allowed (it may hold more).
    truncated = len(entries) > limit or any(
        len(rows) == limit for rows in (events, interactions, requests, offers, emails)
    )
    return entries[:limit], truncated


@dataclass
class CasePageReference:
    """Reference data a case page shows in several places, each read at most once: the
    need categories, all municipalities (with their regions: the planning regions are
    theirs) and the coordinators of the case's region. None: not read yet."""

    need_categories: list[NeedCategory] | None = None
    municipalities: list[Municipality] | None = None
    coordinators: list[User] | None = None

    def needs(self) -> list[NeedCategory]:
        if self.need_categories is None:
            self.need_categories = list(NeedCategory.objects.all())
        return self.need_categories

    def all_municipalities(self) -> list[Municipality]:
        if self.municipalities is None:
            self.municipalities = list(
                Municipality.objects.select_related("planning_region").order_by("name")
            )
        return self.municipalities

    def municipalities_of_region(self, region_id: int | None) -> list[Municipality]:
        """What `Municipality.objects.of_region(region_id)` holds."""
        return [
            municipality
            for municipality in self.all_municipalities()
            if not region_id or municipality.planning_region_id == region_id
        ]

    def regions(self) -> list[PlanningRegion]:
        """The planning regions by name: those of the municipalities (every region has some)."""
        regions = {
            item.planning_region_id: item.planning_region for item in self.all_municipalities()
        }
        return sorted(regions.values(), key=lambda region: region.name)

    def coordinators_read(self, queryset: QuerySet[User]) -> list[User]:
        """The coordinators the assignment form offers (`queryset`); the timeline's
        assignments name them without reading them again."""
        self.coordinators = list(queryset)
        return self.coordinators

    def user_names(self, usernames: set[str]) -> dict[str, str]:
        """{username: the name shown}, from the coordinators read for the page, the others
        (a coordinator of another region, one who left) in one query."""
        known = {
            user.username: user for user in self.coordinators or () if user.username in usernames
        }
        missing = usernames - set(known)
        if missing:
            known.update(
                (user.username, user)
                for user in User.objects.filter(username__in=missing).only(
                    "username", "first_name", "last_name"
                )
            )
        return {name: user.get_full_name() or user.username for name, user in known.items()}


def _event_labels(events: list[CaseEvent], reference: CasePageReference) -> None:
    """The words a timeline event shows beside its stored codes."""
    # Assignment events store usernames; show the coordinators' names.
    usernames = {event.to_value for event in events if event.kind == CaseEvent.Kind.ASSIGNED} - {""}
    names = reference.user_names(usernames) if usernames else {}
    need_labels = (
        {category.code: category.label for category in reference.needs()}
        if any(event.field == "needs" for event in events)
        else {}
    )
    region_names = (
        {region.code: region.name for region in reference.regions()}
        if any(event.kind == CaseEvent.Kind.REGION_CHANGED for event in events)
        else {}
    )
    for event in events:
        if event.kind == CaseEvent.Kind.REGION_CHANGED:
            event.from_label = region_names.get(event.from_value, event.from_value)
            event.to_label = region_names.get(event.to_value, event.to_value)
        elif event.kind in (CaseEvent.Kind.CREATED, CaseEvent.Kind.STATUS_CHANGED):
            event.from_label = _status_label(event.from_value)
            event.to_label = _status_label(event.to_value)
        elif event.kind == CaseEvent.Kind.ASSIGNED:
            event.to_label = names.get(event.to_value, event.to_value)
        elif event.kind == CaseEvent.Kind.DETAILS_CHANGED:
            _details_labels(event, need_labels)


def case_requests(*, case: Case) -> list[MunicipalityRequest]:
    """All the case's questions to municipalities, newest first, with what the page shows."""
    return list(
        MunicipalityRequest.objects.filter(case=case)
        .select_related("municipality", "need", "created_by", "answered_by")
        .order_by("-created_at", "-id")
    )


def case_questions(
    *, case: Case, requests: list[MunicipalityRequest] | None = None
) -> list[dict[str, Any]]:
    """The case's questions to municipalities, one group per question asked (the same need
    and text), its municipalities' answers side by side; newest first, one query (none when
    the page passes the requests it has read, newest first)."""
    groups: dict[tuple[int, str], dict[str, Any]] = {}
    for request in case_requests(case=case) if requests is None else requests:
        group = groups.setdefault(
            (request.need_id, request.question),
            {"need": request.need, "question": request.question, "asked": request.created_at,
             "requests": []},
        )  # fmt: skip
        group["requests"].append(request)
    for group in groups.values():
        group["requests"].sort(key=lambda request: request.municipality.name)
    return list(groups.values())


def case_page_queryset(*, user: User) -> QuerySet[Case]:
    """The cases a user may open, with what a case page shows of each; the case row also
    says whether it has an open transfer (and to which region) and whether there is any
    household, offer, e-mail, document or open duplicate, so the page reads those tables
    only when there is something to show (`case_page_prefetch`)."""
    duplicates = DuplicateCandidate.objects.open()
    open_transfer = CaseTransfer.objects.filter(
        case_id=OuterRef("pk"), status=CaseTransfer.Status.PROPOSED
    )
    return (
        case_detail_queryset(user=user)
        .prefetch_related(None)  # the household: by case_page_prefetch
        .prefetch_related("needs")
        .annotate(
            open_transfer_pk=Subquery(open_transfer.values("pk")[:1]),
            open_transfer_region_pk=Subquery(open_transfer.values("to_region_id")[:1]),
            has_duplicates=Exists(duplicates.filter(case_a_id=OuterRef("pk")))
            | Exists(duplicates.filter(case_b_id=OuterRef("pk"))),
            has_household=Exists(
                HouseholdMember.objects.filter(returnee_id=OuterRef("returnee_id"))
            ),
            has_offers=Exists(Offer.objects.filter(case_id=OuterRef("pk"))),
            has_emails=Exists(Email.objects.filter(case_id=OuterRef("pk"))),
            # The documents' model is the person's page's (returnee, beside this app):
            # asked through the relation.
            has_documents=Exists(Case.objects.filter(pk=OuterRef("pk"), documents__isnull=False)),
        )
    )


def case_page_prefetch(case: Case) -> None:
    """Fill the caches the page's sections and forms read (`case.returnee.household.all`,
    `case.offers.all`, `case.documents.all`): one query each, none where the case row
    says there is nothing. `case` comes from `case_page_queryset`."""
    annotated: Any = case  # with case_page_queryset's annotations, which Case does not declare

    def rows(queryset: QuerySet[Any], present: bool) -> QuerySet[Any]:
        return queryset if present else queryset.none()

    household = rows(HouseholdMember.objects.all(), annotated.has_household)
    offers = rows(Offer.objects.order_by("-version"), annotated.has_offers)
    documents = rows(case.documents.model.objects.all(), annotated.has_documents)
    prefetch_related_objects([case.returnee], Prefetch("household", queryset=household))
    prefetch_related_objects(
        [case], Prefetch("offers", queryset=offers), Prefetch("documents", queryset=documents)
    )


@dataclass
class OpenTransfer:
    """The case's transfer proposal waiting for the other region, as its page shows it."""

    pk: int
    to_region: PlanningRegion | None


def case_page_data(
    *,
    case: Case,
    user: User,
    reference: CasePageReference,
    timeline_limit: int = TIMELINE_LIMIT,
) -> dict[str, Any]:
    """What the case page shows besides the case row and its forms, each table read once
    and a fixed number of queries whatever the history's length. `case` comes from
    `case_page_queryset`."""
    annotated: Any = case  # with case_page_queryset's annotations, which Case does not declare
    requests = case_requests(case=case)
    offers = list(case.offers.all())
    timeline, truncated = case_timeline(
        case=case,
        limit=timeline_limit,
        requests=requests,
        offers=offers,
        emails=None if annotated.has_emails else [],
        reference=reference,
    )
    duplicates = case_duplicates(case=case, user=user) if annotated.has_duplicates else []
    open_transfer = None
    if annotated.open_transfer_pk is not None:
        regions = {region.pk: region for region in reference.regions()}
        open_transfer = OpenTransfer(
            annotated.open_transfer_pk, regions.get(annotated.open_transfer_region_pk)
        )
    return {
        "timeline": timeline,
        "timeline_truncated": truncated,
        # The link to the next step of older entries, if there are more and a next step.
        "timeline_more": (
            timeline_limit + TIMELINE_LIMIT if truncated and timeline_limit < TIMELINE_MAX else None
        ),
        "questions": case_questions(case=case, requests=requests),
        "household": list(case.returnee.household.all()),
        "duplicates": [(candidate, candidate.other_case(case)) for candidate in duplicates],
        "open_transfer": open_transfer,
    }
