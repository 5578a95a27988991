"""The case: one person's way home, from the first contact to the return or closing.

A case changes status only through `coordinators.services.pipeline.case_transition`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality, NeedCategory, PlanningRegion

from .people import Returnee
from .users import User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

MUNICIPALITY_OUTSIDE_REGION = _("The municipality does not belong to the chosen planning region.")
CLOSED_NEEDS_REASON = _("A closed case needs a closing reason.")


class ReferenceSequence(models.Model):
    """The last case number handed out for one prefix and year (KUR-2026-00042)."""

    prefix = models.CharField(max_length=3)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="reference_sequence_unique")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last_number}"


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """The one rule of who sees which case; every view, export and admin uses it.

        National administrators see all; a regional coordinator sees their region's cases
        and the national queue of undecided contacts; everybody else sees none.
        """
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_national_admin:
            return self
        if user.is_regional_coordinator:
            return self.filter(
                Q(planning_region_id=user.planning_region_id) | Q(planning_region__isnull=True)
            )
        return self.none()

    def open(self) -> Self:
        return self.exclude(status__in=Case.FINAL_STATUSES)


class Case(models.Model):
    """One person's way home: from the first contact to the return or closing."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        CONTACTED = "contacted", _("contacted")
        NEEDS_ASSESSED = "needs_assessed", _("needs assessed")
        OFFER_PREPARATION = "offer_preparation", _("offer in preparation")
        OFFER_SENT = "offer_sent", _("offer sent")
        DECIDED_TO_RETURN = "decided_to_return", _("decided to return")
        RETURNED = "returned", _("returned")
        CLOSED = "closed", _("closed")

    class ClosedReason(models.TextChoices):
        NO_RESPONSE = "no_response", _("no response")
        NOT_RETURNING = "not_returning", _("not returning")
        OTHER = "other", _("other")

    class Source(models.TextChoices):
        CONTACT_FORM = "contact_form", _("contact form")
        EMAIL = "email", _("e-mail")
        PHONE = "phone", _("phone")
        EVENT = "event", _("event")
        OTHER = "other", _("other")

    class Timeframe(models.TextChoices):
        WITHIN_6_MONTHS = "within_6_months", _("within 6 months")
        MONTHS_6_12 = "6_12_months", _("in 6–12 months")
        YEARS_1_2 = "1_2_years", _("in 1–2 years")
        NOT_SURE = "not_sure", _("not sure yet")

    FINAL_STATUSES = (Status.RETURNED, Status.CLOSED)

    reference = models.CharField(_("reference number"), max_length=20, unique=True, editable=False)
    # The region's own id of a case brought in by the history import, so a file imported
    # again skips what is already here. Empty for cases made in the portal.
    legacy_reference = models.CharField(  # noqa: DJ001 - NULL: no id, unique where given
        _("region's own reference"), max_length=50, null=True, blank=True, editable=False
    )
    returnee = models.ForeignKey(
        Returnee, on_delete=models.PROTECT, related_name="cases", verbose_name=_("returnee")
    )
    planning_region = models.ForeignKey(
        PlanningRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("planning region"),
        help_text=_("Empty: not decided yet (the national queue)."),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("municipality of interest"),
    )
    coordinator = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("coordinator"),
        limit_choices_to={"role": User.Role.REGIONAL_COORDINATOR},
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, editable=False
    )
    closed_reason = models.CharField(
        _("closing reason"), max_length=20, choices=ClosedReason.choices, blank=True, editable=False
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.CONTACT_FORM
    )
    needs = models.ManyToManyField(
        NeedCategory, blank=True, related_name="cases", verbose_name=_("needs")
    )
    timeframe = models.CharField(
        _("planned timeframe"), max_length=20, choices=Timeframe.choices, blank=True
    )
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)
    needs_attention = models.BooleanField(
        _("needs attention"),
        default=False,
        help_text=_("Set when the person wrote again; cleared by the coordinator."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    # Not a column: the needs of a row of the case list, set by workspace.selectors.case_page_rows.
    need_list: list[NeedCategory]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                name="case_closed_reason_iff_closed",
                condition=(Q(status="closed") & ~Q(closed_reason=""))
                | (~Q(status="closed") & Q(closed_reason="")),
                violation_error_message=CLOSED_NEEDS_REASON,
            ),
            models.UniqueConstraint(
                fields=["planning_region", "legacy_reference"],
                condition=Q(legacy_reference__isnull=False) & ~Q(legacy_reference=""),
                name="case_unique_legacy_reference",
            ),
        ]
        indexes = [
            models.Index(fields=["planning_region", "status"]),
            # A coordinator's own cases by status, with what the dashboard counts of them
            # (the follow-up date) and what its other counts join on (the id): an
            # index-only scan (bench/workspace.py).
            models.Index(
                fields=["coordinator", "status"],
                include=["planning_region", "next_follow_up", "id"],
                name="case_coordinator_work_idx",
            ),
            models.Index(fields=["status", "next_follow_up"]),
            models.Index(fields=["created_at"]),
            # "The person wrote again": a few cases among many, counted on every dashboard.
            models.Index(
                fields=["planning_region", "coordinator"],
                condition=Q(needs_attention=True),
                name="case_needs_attention_idx",
            ),
        ]

    def __str__(self):
        return self.reference

    def clean(self):
        if (
            self.municipality_id
            and self.planning_region_id
            and self.municipality.planning_region_id != self.planning_region_id
        ):
            raise ValidationError({"municipality": MUNICIPALITY_OUTSIDE_REGION})

    @property
    def is_open(self) -> bool:
        return self.status not in self.FINAL_STATUSES

    def allowed_next_statuses(self) -> tuple[str, ...]:
        """The statuses this case may move to now, in pipeline order."""
        from .pipeline import ALLOWED_TRANSITIONS  # the table is built from Case.Status

        return ALLOWED_TRANSITIONS[self.status]
