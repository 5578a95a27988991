"""Writes of the grant competition. Every rule a user meets is checked here, not only in the
form: the deadline, the maximum per municipality, the committee's conflicts, the budget."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from common.dates import datetime_text
from common.errors import DomainError
from common.versions import version_check, version_token

from .models import (
    Activity,
    Application,
    BudgetLine,
    Call,
    CommitteeMember,
    ConflictDeclaration,
    Criterion,
    Score,
)

if TYPE_CHECKING:
    from coordinators.models import User
    from events.models import Event
    from municipalities.models import PlanningRegion

CALL_CLOSED = _(
    "The deadline of this call was %(deadline)s: applications are no longer accepted or changed."
)
NOT_A_DRAFT = _("This application is already submitted and can no longer be changed.")
ALREADY_APPLIED = _("Your municipality already has an application to this call.")
NOT_A_SPECIALIST = _("Only a municipality's remigration specialist can apply.")
NOT_IN_REGION = _("This call is for the municipalities of another planning region.")
NOT_ELIGIBLE = _("This kind of activity is not eligible in this call.")
OVER_MAXIMUM = _(
    "The application's costs (%(total)s EUR) exceed the call's maximum of %(maximum)s EUR "
    "per municipality."
)
NOTHING_TO_SUBMIT = _("Add at least one activity with its costs before you submit.")
NO_REGION_RIGHTS = _("You can create calls only for your own planning region.")
CHAIR_NOT_MEMBER = _("The chair must be one of the committee's members.")
NO_MEMBERS = _("A call needs at least one committee member and a chair.")
NOT_SUBMITTED = _("Only a submitted application is scored.")
CONFLICT_DECLARED = _(
    "You declared a conflict of interest on this application, so you cannot score it."
)
ALREADY_DECIDED = _(
    "The committee's decision on this call is recorded: scores and declarations are closed."
)
ALREADY_SCORED = _("You have already scored this application: a conflict is declared before.")
SCORE_OUT_OF_RANGE = _("A score of “%(criterion)s” is from 0 to %(maximum)s.")
SCORE_MISSING = _("Give a score for every criterion.")
NOT_THE_CHAIR = _("Only the chair of the committee records the decision.")
DECIDE_AFTER_DEADLINE = _("The decision is recorded after the call's deadline.")
AWARD_OVER_REQUESTED = _("%(municipality)s: the award is more than the %(requested)s EUR asked.")
AWARD_OVER_MAXIMUM = _("%(municipality)s: the award is more than the maximum of %(maximum)s EUR.")
AWARDS_OVER_BUDGET = _(
    "The awards add up to %(total)s EUR, more than the budget of %(budget)s EUR."
)
EVENT_OUTSIDE_REGION = _("Only the events of the call's planning region can be linked.")
REPORT_NOT_FUNDED = _("Only the activities of a funded application are reported on.")

DECISION_LABELS = {"awards": _("awarded sums"), "note": _("decision")}


def money_text(value: Decimal) -> str:
    """An amount as the interface writes it (9 900,00), for the messages."""
    return formats.number_format(value, 2, force_grouping=True)


@transaction.atomic
def call_create(
    *,
    actor: User,
    title: str,
    planning_region: PlanningRegion,
    total_budget: Decimal,
    maximum_per_municipality: Decimal,
    deadline: datetime,
    activity_kinds: Sequence[str],
    criteria: Iterable[tuple[str, int, int]],
    members: Iterable[User],
    chair: User,
) -> Call:
    """Open a call: a national administrator for any region, a coordinator for their own."""
    if not (
        actor.is_national_admin
        or (actor.is_regional_coordinator and actor.planning_region_id == planning_region.pk)
    ):
        raise DomainError(NO_REGION_RIGHTS)
    members = list(dict.fromkeys(members))
    if not members:
        raise DomainError(NO_MEMBERS)
    if chair not in members:
        raise DomainError(CHAIR_NOT_MEMBER)
    call = Call(
        title=title, planning_region=planning_region, total_budget=total_budget,
        maximum_per_municipality=maximum_per_municipality, deadline=deadline,
        activity_kinds=list(activity_kinds), created_by=actor,
    )  # fmt: skip
    call.full_clean()
    call.save()
    for position, (name, weight, max_score) in enumerate(criteria):
        Criterion.objects.create(
            call=call, name=name, weight=weight, max_score=max_score, position=position
        )
    for user in members:
        CommitteeMember.objects.create(call=call, user=user, is_chair=user == chair)
    return call


def _require_open(call: Call, now: datetime | None) -> None:
    if not call.is_open(now):
        raise DomainError(CALL_CLOSED % {"deadline": datetime_text(call.deadline)})


def _require_draft(application: Application, now: datetime | None) -> None:
    _require_open(application.call, now)
    if application.status != Application.Status.DRAFT:
        raise DomainError(NOT_A_DRAFT)


@transaction.atomic
def application_create(
    *, call: Call, actor: User, title: str, summary: str = "", now: datetime | None = None
) -> Application:
    """Start a municipality's draft; refused after the deadline, outside the region, twice."""
    _require_open(call, now)
    if not actor.is_municipal_specialist or actor.municipality is None:
        raise DomainError(NOT_A_SPECIALIST)
    if actor.municipality.planning_region_id != call.planning_region_id:
        raise DomainError(NOT_IN_REGION)
    if Application.objects.filter(call=call, municipality=actor.municipality).exists():
        raise DomainError(ALREADY_APPLIED)
    application = Application(
        call=call, municipality=actor.municipality, title=title, summary=summary, created_by=actor
    )
    application.full_clean()
    application.save()
    return application


def application_version(application: Application) -> str:
    """The version an edit form of the application's text carries."""
    return version_token({"title": application.title, "summary": application.summary})


@transaction.atomic
def application_update(
    *, application: Application, title: str, summary: str, version: str | None,
    now: datetime | None = None,
) -> Application:  # fmt: skip
    """Change the draft's title and summary, unless someone changed them meanwhile."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_draft(application, now)
    version_check(
        version=version,
        values={"title": application.title, "summary": application.summary},
        labels={"title": _("project title"), "summary": _("summary")},
    )
    application.title, application.summary = title, summary
    application.full_clean()
    application.save(update_fields=["title", "summary", "updated_at"])
    return application


def _check_total(application: Application, extra: Decimal = Decimal(0)) -> None:
    total = application.requested_total() + extra
    maximum = application.call.maximum_per_municipality
    if total > maximum:
        raise DomainError(
            OVER_MAXIMUM % {"total": money_text(total), "maximum": money_text(maximum)}
        )


@transaction.atomic
def activity_add(
    *, application: Application, kind: str, title: str, planned_start: date, planned_end: date,
    expected_reach: int, budget_lines: Iterable[tuple[str, Decimal]], now: datetime | None = None,
) -> Activity:  # fmt: skip
    """Add an activity and its costs to a draft; the total stays within the maximum."""
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    _require_draft(application, now)
    if kind not in application.call.activity_kinds:
        raise DomainError(NOT_ELIGIBLE)
    lines = [(text, Decimal(amount)) for text, amount in budget_lines]
    _check_total(application, sum((amount for _text, amount in lines), Decimal(0)))
    activity = Activity(
        application=application, kind=kind, title=title, planned_start=planned_start,
        planned_end=planned_end, expected_reach=expected_reach,
    )  # fmt: skip
    activity.full_clean()
    activity.save()
    for text, amount in lines:
        line = BudgetLine(activity=activity, description=text, amount=amount)
        line.full_clean()
        line.save()
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, now: datetime | None = None) -> None:
    """Remove an activity (and its costs) from a draft."""
    _require_draft(activity.application, now)
    activity.delete()


@transaction.atomic
def application_submit(*, application: Application, now: datetime | None = None) -> Application:
    """Submit a draft before the deadline: activities with costs, within the maximum."""
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    _require_draft(application, now)
    if application.requested_total() <= 0:
        raise DomainError(NOTHING_TO_SUBMIT)
    _check_total(application)
    if application.activities.exclude(kind__in=application.call.activity_kinds).exists():
        raise DomainError(NOT_ELIGIBLE)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = now or timezone.now()
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    return application


def _require_member(application: Application, member: User) -> CommitteeMember:
    found = application.call.committee.filter(user=member).first()
    if found is None:
        # The views reach an application only through the member's calls; a slip is a 404.
        raise Application.DoesNotExist
    if application.status not in Application.SUBMITTED_STATUSES:
        raise DomainError(NOT_SUBMITTED)
    if application.call.decided_at is not None:
        raise DomainError(ALREADY_DECIDED)
    return found


@transaction.atomic
def conflict_declare(
    *, application: Application, member: User, note: str = ""
) -> ConflictDeclaration:
    """Record a member's conflict of interest; from then on they cannot score it."""
    _require_member(application, member)
    if application.scores.filter(member=member).exists():
        raise DomainError(ALREADY_SCORED)
    declaration, _created = ConflictDeclaration.objects.get_or_create(
        application=application, member=member, defaults={"note": note}
    )
    return declaration


@transaction.atomic
def score_record(
    *, application: Application, member: User, scores: Mapping[int, int]
) -> list[Score]:
    """A member's scores of an application, one per criterion (replacing earlier ones)."""
    _require_member(application, member)
    if application.conflicts.filter(member=member).exists():
        raise DomainError(CONFLICT_DECLARED)
    criteria = list(application.call.criteria.all())
    if {criterion.pk for criterion in criteria} - set(scores):
        raise DomainError(SCORE_MISSING)
    saved = []
    for criterion in criteria:
        value = scores[criterion.pk]
        if not 0 <= value <= criterion.max_score:
            raise DomainError(
                SCORE_OUT_OF_RANGE % {"criterion": criterion.name, "maximum": criterion.max_score}
            )
        score, _created = Score.objects.update_or_create(
            application=application, member=member, criterion=criterion,
            defaults={"score": value, "scored_at": timezone.now()},
        )  # fmt: skip
        saved.append(score)
    return saved


def decision_values(call: Call) -> dict[str, object]:
    """What the decision form edits, for its version."""
    awards = {
        str(pk): str(amount) if amount is not None else ""
        for pk, amount in call.applications.order_by("pk").values_list("pk", "awarded_amount")
    }
    return {"awards": awards, "note": call.decision_note}


@transaction.atomic
def call_decide(
    *, call: Call, actor: User, awards: Mapping[int, Decimal], note: str = "",
    version: str | None, now: datetime | None = None,
) -> Call:  # fmt: skip
    """The chair's decision: a sum per submitted application (0: not funded), each within
    what was asked and the maximum, together within the budget."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not call.committee.filter(user=actor, is_chair=True).exists():
        raise DomainError(NOT_THE_CHAIR)
    if call.is_open(now):
        raise DomainError(DECIDE_AFTER_DEADLINE)
    version_check(version=version, values=decision_values(call), labels=DECISION_LABELS)
    applications = list(
        call.applications.filter(status__in=Application.SUBMITTED_STATUSES).select_related(
            "municipality"
        )
    )
    total = Decimal(0)
    for application in applications:
        amount = Decimal(awards.get(application.pk, 0))
        names = {"municipality": application.municipality.name}
        if amount > application.requested_total():
            raise DomainError(
                AWARD_OVER_REQUESTED
                % {**names, "requested": money_text(application.requested_total())}
            )
        if amount > call.maximum_per_municipality:
            raise DomainError(
                AWARD_OVER_MAXIMUM % {**names, "maximum": money_text(call.maximum_per_municipality)}
            )
        total += amount
    if total > call.total_budget:
        raise DomainError(
            AWARDS_OVER_BUDGET
            % {"total": money_text(total), "budget": money_text(call.total_budget)}
        )
    for application in applications:
        amount = Decimal(awards.get(application.pk, 0))
        application.awarded_amount = amount
        application.status = (
            Application.Status.AWARDED if amount > 0 else Application.Status.REJECTED
        )
        # save(), not update(): the field history (django-auditlog) keeps every sum.
        application.save(update_fields=["awarded_amount", "status", "updated_at"])
    call.decided_at, call.decided_by, call.decision_note = now or timezone.now(), actor, note
    call.save(update_fields=["decided_at", "decided_by", "decision_note"])
    return call


@transaction.atomic
def activity_report(
    *, activity: Activity, done: bool, spent: Decimal | None, people_reached: int | None,
    events_held: int | None, reported_events: str = "", events: Iterable[Event] = (),
) -> Activity:  # fmt: skip
    """A funded activity reports back: done, spent, people reached, events held, and which
    of the portal's events (the call's planning region's only) it held."""
    if activity.application.status != Application.Status.AWARDED:
        raise DomainError(REPORT_NOT_FUNDED)
    events = list(events)
    region_id = activity.application.call.planning_region_id
    if any(event.organiser_region_id != region_id for event in events):
        raise DomainError(EVENT_OUTSIDE_REGION)
    activity.done, activity.spent, activity.people_reached = done, spent, people_reached
    activity.events_held, activity.reported_events = events_held, reported_events
    activity.reported_at = timezone.now()
    activity.full_clean()
    activity.save()
    activity.events.set(events)
    return activity
