"""A proposal to hand a case to another planning region, and its decision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinators.models import Case, User
from municipalities.models import PlanningRegion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class CaseTransferQuerySet(models.QuerySet["CaseTransfer"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Transfers a user may see: national administrators all, a coordinator those from
        or to their region (the target region sees a proposal before it sees the case)."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_national_admin:
            return self
        if user.is_regional_coordinator and user.planning_region_id:
            region = user.planning_region_id
            return self.filter(Q(from_region_id=region) | Q(to_region_id=region))
        return self.none()

    def decidable_by(self, user: User | AnonymousUser) -> Self:
        """Proposals a user may accept or decline: to their region (administrators: all)."""
        visible = self.visible_to(user).filter(status=CaseTransfer.Status.PROPOSED)
        if user.is_authenticated and user.is_regional_coordinator:
            return visible.filter(to_region_id=user.planning_region_id)
        return visible

    def withdrawable_by(self, user: User | AnonymousUser) -> Self:
        """Proposals a user may withdraw: from their region (administrators: all)."""
        visible = self.visible_to(user).filter(status=CaseTransfer.Status.PROPOSED)
        if user.is_authenticated and user.is_regional_coordinator:
            return visible.filter(from_region_id=user.planning_region_id)
        return visible


class CaseTransfer(models.Model):
    """One proposal to move a case from one planning region to another, and what became of
    it. The move itself is `coordinators.services.regions.case_region_move`."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("case")
    )
    from_region = models.ForeignKey(
        PlanningRegion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from region"),
    )
    to_region = models.ForeignKey(
        PlanningRegion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to region"),
    )
    note = models.TextField(_("note"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = CaseTransferQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            # One open proposal per case: two could not both be accepted.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="proposed"),
                name="transfer_one_open_proposal_per_case",
            ),
            models.CheckConstraint(
                condition=~Q(from_region=F("to_region")), name="transfer_to_another_region"
            ),
        ]
        indexes = [models.Index(fields=["to_region", "status"])]

    def __str__(self):
        return f"{self.case_id}: {self.from_region_id} → {self.to_region_id}"
