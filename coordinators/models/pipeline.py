"""The pipeline: which status may follow which, and the append-only history of a case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case
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

    Reports count from these rows, so a report for a past period never changes.
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
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

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
