"""The pipeline: which status may follow which, and the append-only history of a case."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, PlanningRegion

from .cases import Case
from .people import HouseholdMember, Returnee
from .users import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = Case.Status
# The pipeline. A person may return or decide to before an offer is made, so those two are
# reachable from every working status; "closed" is reachable from every open one.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.NEW: (S.CONTACTED, S.CLOSED),
    S.CONTACTED: (S.NEEDS_ASSESSED, S.OFFER_PREPARATION, S.DECIDED_TO_RETURN, S.RETURNED, S.CLOSED),
    S.NEEDS_ASSESSED: (S.OFFER_PREPARATION, S.DECIDED_TO_RETURN, S.RETURNED, S.CLOSED),
    S.OFFER_PREPARATION: (
        S.OFFER_SENT,
        S.NEEDS_ASSESSED,
        S.DECIDED_TO_RETURN,
        S.RETURNED,
        S.CLOSED,
    ),
    S.OFFER_SENT: (S.DECIDED_TO_RETURN, S.OFFER_PREPARATION, S.RETURNED, S.CLOSED),
    S.DECIDED_TO_RETURN: (S.RETURNED, S.OFFER_PREPARATION, S.CLOSED),
    S.RETURNED: (S.CLOSED,),
    S.CLOSED: (S.CONTACTED,),  # reopening
}
del S


class CaseEvent(models.Model):
    """An append-only record of a status change, assignment or other step on a case.

    Reports count from these rows, so a report for a past period never changes: each row
    keeps what the count needs as it was at that moment (the case's planning region and
    municipality; for a return, the household's size), filled by `case_event_snapshots_fill`.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        STATUS_CHANGED = "status_changed", _("status changed")
        ASSIGNED = "assigned", _("assigned")
        REGION_CHANGED = "region_changed", _("planning region changed")
        DETAILS_CHANGED = "details_changed", _("details changed")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # details_changed: which field was edited. Its before/after are in from/to_value only
    # when they are no personal data (municipality, timeframe, needs); a contact detail
    # is named, its values stay in the field history (django-auditlog) that erasure empties.
    field = models.CharField(_("field"), max_length=50, blank=True)
    from_value = models.CharField(_("from"), max_length=100, blank=True)
    to_value = models.CharField(_("to"), max_length=100, blank=True)
    # Kept on the event, not only on the case, so a report of closings by reason stays the
    # same after the case is reopened or closed again for another reason.
    closed_reason = models.CharField(
        _("closing reason"), max_length=20, choices=Case.ClosedReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    # On the status change that takes back a final step ("returned" or "closed" clicked by
    # mistake): the event it undoes. The reports no longer count an undone event.
    undoes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="undone_by",
        verbose_name=_("undoes"),
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    # The case as it was when the event happened (see case_event_snapshots_fill): the reports
    # count an event for the region and municipality the case was in then, so a later
    # transfer, edit or erasure leaves a closed period as it was.
    planning_region = models.ForeignKey(
        PlanningRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planning region then"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality then"),
    )
    # Members of the returnee's household at the moment of a return (only on "returned"
    # events): a child added later does not make more people return in the past.
    household_size = models.PositiveSmallIntegerField(
        _("household members then"), null=True, blank=True
    )
    # The returnee's country of residence and the case's planned timeframe then: the
    # report's breakdowns by country and timeframe count the event as it was (a returnee
    # whose country is later set to Latvia still counts under the country they came from).
    country = models.CharField(_("country of residence then"), max_length=2, blank=True)
    timeframe = models.CharField(_("planned timeframe then"), max_length=20, blank=True)

    # Not columns: what a case page's timeline shows for the values (status names, the
    # coordinator's name), set by workspace.selectors.case_timeline.
    from_label: StrOrPromise
    to_label: StrOrPromise
    field_label: StrOrPromise

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [
            models.Index(fields=["case", "created_at"]),
            models.Index(fields=["kind", "to_value", "created_at"]),
            # Reports ask "which cases changed to X within the period": with case_id in the
            # index PostgreSQL answers from the index alone (bench/reports.py).
            models.Index(
                fields=["kind", "to_value", "created_at", "case"],
                name="caseevent_status_period_case",
            ),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.kind} {self.from_value} → {self.to_value}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every writer (a service, the admin, a branch adding new kinds of event) gets the
        # snapshot of the case as it is now, unless it gave one itself.
        if self._state.adding:
            case_event_snapshots_fill([self])
        super().save(*args, **kwargs)

    @property
    def is_return(self) -> bool:
        return self.kind == self.Kind.STATUS_CHANGED and self.to_value == Case.Status.RETURNED


def case_event_snapshots_fill(events: Iterable[CaseEvent]) -> list[CaseEvent]:
    """Fill the unsaved events' snapshot columns that are still empty from their cases as
    they are now: region, municipality and (for a return) the household size, with one
    query for all the households. THE place these columns are set; `CaseEvent.save()` and
    the bulk history builders (`coordinators.services.history`) call it."""
    events = list(events)
    for event in events:
        if event.planning_region_id is None:
            event.planning_region_id = event.case.planning_region_id
        if event.municipality_id is None:
            event.municipality_id = event.case.municipality_id
        if not event.timeframe:
            event.timeframe = event.case.timeframe
    _countries_fill(events)
    returns = [event for event in events if event.is_return and event.household_size is None]
    returnee_ids = sorted({event.case.returnee_id for event in returns})
    sizes: dict[int, int] = {}
    for start in range(0, len(returnee_ids), 500):
        sizes.update(
            HouseholdMember.objects.filter(returnee_id__in=returnee_ids[start : start + 500])
            .values_list("returnee_id")
            .annotate(size=Count("id"))
            .order_by()
        )
    for event in returns:
        event.household_size = sizes.get(event.case.returnee_id, 0)
    return events


def _countries_fill(events: list[CaseEvent]) -> None:
    """The returnee's country on each event still without one: from the returnee the case
    already holds (no query, the services' case), else one query for all the others."""
    missing = [event for event in events if not event.country]
    uncached = {
        event.case.returnee_id for event in missing if not Case.returnee.is_cached(event.case)
    }
    countries: dict[int, str] = {}
    if uncached:
        countries = dict(
            Returnee.objects.filter(pk__in=uncached).values_list("pk", "country").order_by()
        )
    for event in missing:
        if Case.returnee.is_cached(event.case):
            event.country = str(event.case.returnee.country or "")
        else:
            event.country = str(countries.get(event.case.returnee_id) or "")
