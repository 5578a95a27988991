"""A "Dod ziņu!" submission as it arrives, before the worker turns it into a case.

The public form stores only this row (the same work whatever address was typed) so that a
stranger learns nothing from the page or its timing; the worker then creates the person and
the case, or, when the address is already known, keeps the row as a contact for the region's
coordinator to check and link. Nothing a stranger types is written on a known person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import PlanningRegion

from .cases import Case
from .people import Returnee

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .users import User


class ContactSubmissionQuerySet(models.QuerySet["ContactSubmission"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """The same rule as for cases: the region's coordinators and the national queue."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_national_admin:
            return self
        if user.is_regional_coordinator:
            return self.filter(
                Q(planning_region_id=user.planning_region_id) | Q(planning_region__isnull=True)
            )
        return self.none()

    def to_check(self) -> Self:
        return self.filter(status=ContactSubmission.Status.TO_CHECK)


class ContactSubmission(models.Model):
    """One sent form: what was typed (until it is used), and what became of it."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        CASE_CREATED = "case_created", _("case created")
        TO_CHECK = "to_check", _("possible existing person: check")
        LINKED = "linked", _("linked to the existing person")
        DISMISSED = "dismissed", _("dismissed")

    # A keyed hash of the form's signed one-time token: a double click or a resent form
    # finds its first row here and stores nothing more.
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    # The form's cleaned data in JSON (ids for region, municipality and needs); emptied as
    # soon as it has been written into a case or dismissed.
    data = models.JSONField(default=dict, blank=True)
    planning_region = models.ForeignKey(
        PlanningRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("planning region"),
    )
    existing_returnee = models.ForeignKey(
        Returnee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person with this e-mail address"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    objects = ContactSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact form submission")
        verbose_name_plural = _("contact form submissions")
        indexes = [models.Index(fields=["status", "planning_region"])]

    def __str__(self):
        return f"{self.get_status_display()} ({self.pk})"
