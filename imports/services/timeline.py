"""A row's dates in the order they happened, walked through the pipeline as the workspace
services would have walked them: the status steps, the offer versions and the contacts.

Same-day dates follow the pipeline's order (contacted before needs assessed before the
offer ...). "offer_prepared" moves the case to "offer in preparation" as `offer_create_draft`
does, "offer_sent" to "offer sent" as `offer_send` does; a step `ALLOWED_TRANSITIONS` lacks
is a problem naming the column."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinators.models import ALLOWED_TRANSITIONS, Case
from coordinators.services.history import Step

if TYPE_CHECKING:
    from .rows import RowCheck, RowPlan

S = Case.Status
STATUS_OF_COLUMN = {
    "contacted": S.CONTACTED,
    "needs_assessed": S.NEEDS_ASSESSED,
    "decided_to_return": S.DECIDED_TO_RETURN,
    "returned": S.RETURNED,
    "closed": S.CLOSED,
}
ORDER = {"contacted": 1, "needs_assessed": 2, "offers": 3, "decided_to_return": 5,
         "returned": 6, "closed": 7}  # fmt: skip

BEFORE_CREATED = _("This date is before the case was created (%(created)s).")
STEP_NOT_ALLOWED = _(
    "The dates break the pipeline: a case cannot go from “%(from)s” to “%(to)s” (the date "
    "in “%(column)s” comes after the one in “%(previous)s”)."
)
CLOSED_REASON_WITHOUT_CLOSED = _("A closing reason needs a date in “closed”.")
TOO_MANY_DRAFTS = _("Every prepared offer but the last needs its date in “offer_sent” too.")
SENT_BEFORE_PREPARED = _("Offer version %(version)s is sent before it was prepared.")
PREPARED_BEFORE_SENT = _(
    "Offer version %(version)s is prepared before version %(previous)s was sent."
)


def moment(day: datetime.date, minutes: int, now: datetime.datetime) -> datetime.datetime:
    """A date of the file as a moment: 09:00 Riga time, the day's later steps a minute apart
    (in the order of the pipeline), never after now."""
    local = datetime.datetime.combine(day, datetime.time(9, 0))
    return min(timezone.make_aware(local) + datetime.timedelta(minutes=minutes), now)


def _offer_points(
    prepared: list[datetime.date], sent: list[datetime.date], check: RowCheck
) -> list[tuple[datetime.date, int, int, str, str]]:
    """(date, order, sequence, column, kind) of each offer version's preparing and sending."""
    prepared, sent = sorted(prepared), sorted(sent)
    if len(prepared) > len(sent) + 1:
        check.add("offer_prepared", TOO_MANY_DRAFTS)
        return []
    points = []
    previous_sent: datetime.date | None = None
    for index in range(max(len(prepared), len(sent))):
        made = prepared[index] if index < len(prepared) else sent[index]
        sent_on = sent[index] if index < len(sent) else None
        if sent_on is not None and sent_on < made:
            check.add("offer_sent", SENT_BEFORE_PREPARED, {"version": index + 1})
        if previous_sent is not None and made < previous_sent:
            check.add("offer_prepared", PREPARED_BEFORE_SENT,
                      {"version": index + 1, "previous": index})  # fmt: skip
        points.append((made, ORDER["offers"], 2 * index, "offer_prepared", "prepare"))
        if sent_on is not None:
            points.append((sent_on, ORDER["offers"], 2 * index + 1, "offer_sent", "send"))
        previous_sent = sent_on
    return points


def _targets(kind: str, column: str, status: str) -> list[Case.Status]:
    """The statuses a dated point moves the case through, from `status` (none: already there)."""
    if kind == "prepare":
        return [] if status == S.OFFER_PREPARATION else [S.OFFER_PREPARATION]
    if kind == "send":
        before = [] if status in (S.OFFER_PREPARATION, S.OFFER_SENT) else [S.OFFER_PREPARATION]
        return before + ([] if status == S.OFFER_SENT else [S.OFFER_SENT])
    target = STATUS_OF_COLUMN[column]
    return [] if status == target else [target]


def timeline_build(
    *, plan: RowPlan, timeline: dict[str, Any], check: RowCheck, now: datetime.datetime
) -> None:
    """Fill the plan's steps, offers and contacts from the row's dates, or add problems."""
    created = timezone.localtime(plan.created_at).date()
    reason = timeline.get("closed_reason", "")
    if reason and "closed" not in timeline:
        check.add("closed_reason", CLOSED_REASON_WITHOUT_CLOSED)
    points = [
        (day, ORDER[column], 0, column, "status")
        for column, day in timeline.items()
        if column in STATUS_OF_COLUMN
    ]
    points += _offer_points(timeline.get("offer_prepared", []), timeline.get("offer_sent", []),
                            check)  # fmt: skip
    status, previous, offer_times = str(S.NEW), "created", {}
    for minutes, (day, _order, sequence, column, kind) in enumerate(sorted(points), start=1):
        if day < created:
            check.add(column, BEFORE_CREATED, {"created": created.strftime("%d.%m.%Y")})
            return
        when = moment(day, minutes, now)
        for target in _targets(kind, column, status):
            if target not in ALLOWED_TRANSITIONS[status]:
                params = {"from": status, "to": target, "column": column, "previous": previous}
                check.add(column, STEP_NOT_ALLOWED, params)
                return
            plan.steps.append(Step(target, when, reason if target == S.CLOSED else ""))
            status = target
        if kind in ("prepare", "send"):
            offer_times[(sequence // 2, kind)] = when
        previous = column
    plan.offers = [
        (offer_times[(index, "prepare")], offer_times.get((index, "send")))
        for index in range(len({version for version, _kind in offer_times}))
    ]
    for day, kind, summary in timeline.get("contacts", []):
        if day < created:
            check.add("contacts", BEFORE_CREATED, {"created": created.strftime("%d.%m.%Y")})
            return
        plan.contacts.append((kind, moment(day, 0, now), summary))
