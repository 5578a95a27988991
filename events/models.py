"""An event the regions run for the diaspora, and the people who registered for it.

Who may see and edit an event (and its attendees) is `EventQuerySet.visible_to`, the same
idea as `Case.objects.visible_to`: the organiser region's coordinators and national
administrators; everybody else sees none, and a page of another region's event is a 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from coordinators.models import Case, Language, Returnee, User
from municipalities.models import Municipality, PlanningRegion

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

ENDS_BEFORE_START = _("The event cannot end before it starts.")
MUNICIPALITY_OUTSIDE_REGION = _("The municipality does not belong to the organiser region.")
PLACE_OR_LINK = _("Enter the city, or for an online event the link.")
MAX_PARTY = 10


class EventQuerySet(models.QuerySet["Event"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """The one rule of who sees which event in the workspace: national administrators
        all, a regional coordinator their region's, everybody else none."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_national_admin:
            return self
        if user.is_regional_coordinator and user.planning_region_id:
            return self.filter(organiser_region_id=user.planning_region_id)
        return self.none()

    def public(self) -> Self:
        """Published events that have not ended: the public list and pages."""
        return self.filter(published=True, ends_at__gte=timezone.now())


class Event(models.Model):
    """A seminar, conference, meeting, family event or online event of a planning region."""

    class Kind(models.TextChoices):
        SEMINAR = "seminar", _("seminar")
        CONFERENCE = "conference", _("conference")
        MEETING = "meeting", _("informal meeting")
        FAMILY = "family", _("family event")
        ONLINE = "online", _("online event")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organiser_region = models.ForeignKey(
        PlanningRegion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organiser region"),
    )
    organiser_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organiser municipality"),
    )
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    capacity = models.PositiveIntegerField(
        _("capacity (people)"), validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )
    description = models.TextField(_("description"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set by the one step that turned the attendees into contacts (events.services).
    contacts_made_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["published", "ends_at"]),
            models.Index(fields=["organiser_region", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": ENDS_BEFORE_START})
        municipality = self.organiser_municipality
        if municipality and municipality.planning_region_id != self.organiser_region_id:
            raise ValidationError({"organiser_municipality": MUNICIPALITY_OUTSIDE_REGION})
        if not (self.city or self.online_link):
            raise ValidationError({"city": PLACE_OR_LINK})

    @property
    def place(self) -> str:
        """Where it is, as one line: "Dublin, Ireland" or the link of an online event."""
        parts = [self.venue, self.city, self.country.name if self.country else ""]
        return ", ".join(part for part in parts if part) or self.online_link

    def places_taken(self) -> int:
        """People registered (each registration counts its number of people)."""
        return (
            self.attendees.filter(status=Attendee.Status.REGISTERED).aggregate(
                taken=Sum("party_size")
            )["taken"]
            or 0
        )


class Attendee(models.Model):
    """One registration: who, how many people, their consent to be contacted as a possible
    returnee (with its moment), check-in, and the case it became."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("event")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    country = CountryField(_("country of residence"), blank=True)
    party_size = models.PositiveSmallIntegerField(
        _("number of people"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTY)],
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    # The person's "yes" to be contacted as a possible returnee, and when it was given.
    contact_consent_at = models.DateTimeField(_("agreed to be contacted"), null=True, blank=True)
    consent_version = models.CharField(max_length=20, blank=True)
    # A keyed hash of the form's signed one-time token: a double click stores one row.
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the "turn into contacts" step made of the registration.
    contact_made_at = models.DateTimeField(null=True, blank=True, editable=False)
    returnee = models.ForeignKey(
        Returnee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="event_attendees"
    )

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        indexes = [models.Index(fields=["email"]), models.Index(fields=["event", "status"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
