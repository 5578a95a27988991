"""The individual offer (individuāls piedāvājums): what the municipalities can offer one family."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinators.models import Case, Language
from municipalities.models import Municipality, MunicipalService, NeedCategory, PlanningRegion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from coordinators.models import User


# The letter asks for an answer within this time after sending (`Offer.answer_by`).
ANSWER_WITHIN = datetime.timedelta(days=30)


class OfferQuerySet(models.QuerySet["Offer"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Offers of the cases the user may see: the case rule, applied once more."""
        return self.filter(case__in=Case.objects.visible_to(user))


class Offer(models.Model):
    """One version of a case's individual offer. A sent offer is never edited: a change
    makes a new version, so what the family received stays readable."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        # A newer version was sent before this one was answered: only the newest one counts.
        SUPERSEDED = "superseded", _("superseded by a newer version")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="offers", verbose_name=_("case")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.LATVIAN
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("response received"), null=True, blank=True)
    # Set at sending: the date the letter asks the person to answer by.
    answer_by = models.DateField(_("please answer by"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Brought in by the history import: the region's records say when it was prepared and
    # sent, but there is no document (no sections, no PDF).
    imported = models.BooleanField(_("imported"), default=False)
    # Where the case was when the version was prepared and when it was sent: the reports
    # count it for that region and municipality, whatever happens to the case later.
    # Filled by `Offer.snapshots_fill` (save() and the bulk builder offer_version_build).
    prepared_region = models.ForeignKey(
        PlanningRegion, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("planning region when prepared"),
    )  # fmt: skip
    prepared_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality when prepared"),
    )  # fmt: skip
    sent_region = models.ForeignKey(
        PlanningRegion, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("planning region when sent"),
    )  # fmt: skip
    sent_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("municipality when sent"),
    )  # fmt: skip

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["case", "-version"]
        verbose_name = _("individual offer")
        verbose_name_plural = _("individual offers")
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="offer_unique_version"),
            models.CheckConstraint(
                name="offer_sent_has_sent_at",
                condition=Q(status="draft") | Q(sent_at__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "sent_at"]),
            # The cases waiting for the person's decision, counted on the dashboard.
            models.Index(
                fields=["case"], condition=Q(status="sent"), name="offer_sent_by_case_idx"
            ),
        ]

    def __str__(self):
        return f"{self.case.reference} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Whoever creates or sends a version (a service, the admin) records where the case
        # is at that moment; a save that sends it also writes the "sent" snapshot.
        update_fields = kwargs.get("update_fields")
        filled = self.snapshots_fill(sending=update_fields is None or "sent_at" in update_fields)
        if update_fields is not None and filled:
            kwargs["update_fields"] = [*update_fields, *filled]
        super().save(*args, **kwargs)

    def snapshots_fill(self, *, sending: bool = True) -> list[str]:
        """Fill what is still empty of the offer's snapshots from its case as it is now: the
        "prepared" pair on a new version, the "sent" pair once it has a sending date (when
        `sending`: the save writes sent_at). Returns the names of the fields it set."""
        filled = []
        case = self.case
        if self._state.adding and self.prepared_region_id is None and case.planning_region_id:
            self.prepared_region_id = case.planning_region_id
            filled.append("prepared_region")
        if self._state.adding and self.prepared_municipality_id is None and case.municipality_id:
            self.prepared_municipality_id = case.municipality_id
            filled.append("prepared_municipality")
        if self.sent_at is not None and sending:
            if self.sent_region_id is None and case.planning_region_id:
                self.sent_region_id = case.planning_region_id
                filled.append("sent_region")
            if self.sent_municipality_id is None and case.municipality_id:
                self.sent_municipality_id = case.municipality_id
                filled.append("sent_municipality")
        return filled

    @property
    def has_document(self) -> bool:
        """False for an imported version that was sent before the portal: no PDF exists."""
        return not (self.imported and self.status != self.Status.DRAFT)


class OfferItem(models.Model):
    """One section of an offer for one need. The text is copied from the catalogue, so an
    offer stays readable after the service is withdrawn."""

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="items", verbose_name=_("offer")
    )
    need = models.ForeignKey(
        NeedCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("need")
    )
    service = models.ForeignKey(
        MunicipalService,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offer_items",
        verbose_name=_("catalogue service"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["offer", "position", "id"]
        verbose_name = _("offer section")
        verbose_name_plural = _("offer sections")

    def __str__(self):
        return self.title
