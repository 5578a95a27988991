"""Returnees (the people abroad) and the members of their households."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.validators import validate_phone

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .users import User


class Language(models.TextChoices):
    LATVIAN = "lv", _("Latvian")
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")


class ReturneeQuerySet(models.QuerySet["Returnee"]):
    def visible_to(self, user: User | AnonymousUser) -> Self:
        """Returnees with at least one case the user may see (national admins: everyone)."""
        if user.is_authenticated and user.is_active and user.is_national_admin:
            return self
        from .cases import Case  # a case points at its returnee, so it is defined after

        visible_cases = Case.objects.visible_to(user).filter(returnee=OuterRef("pk"))
        return self.filter(Exists(visible_cases))


class Returnee(models.Model):
    """A person abroad who considers returning to Latvia (or has returned)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[validate_phone])
    country = CountryField(_("country of residence"), blank=True)
    town = models.CharField(_("town of residence"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.LATVIAN
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    # The person's own "yes" (on the form, or told to the coordinator) to passing their name
    # and contacts to a municipality; a municipality request shares them only when it is set.
    sharing_consent_given_at = models.DateTimeField(
        _("consent to share contacts with a municipality"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReturneeQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("returnee")
        verbose_name_plural = _("returnees")
        constraints = [
            # One person, one record: the contact form finds the returnee by e-mail.
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="returnee_unique_email"
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        self.email = self.email.strip().lower()


class HouseholdMember(models.Model):
    """Someone who would move with the returnee; only relation and birth year, no names."""

    class Relation(models.TextChoices):
        PARTNER = "partner", _("spouse or partner")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        OTHER = "other", _("other relative")

    returnee = models.ForeignKey(
        Returnee, on_delete=models.CASCADE, related_name="household", verbose_name=_("returnee")
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )

    class Meta:
        ordering = ["returnee", "relation", "birth_year"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")

    def __str__(self):
        return f"{self.get_relation_display()} ({self.birth_year or '?'})"
