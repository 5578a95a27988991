"""Returnees (the people abroad) and the members of their households."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.folding import email_local_key, fold, surname_stem
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
    # Derived from the fields above by `keys_fill` (save() and every bulk builder call it;
    # erasure empties them): the case list's search and the duplicate check read these.
    # " girts kenins person@example.com ": folded, with a space at each end, so a word's
    # start is " word" (coordinators.selectors.search).
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    # Folded first name and surname stem ("janis berzin"), and the e-mail's local part.
    name_key = models.CharField(_("name key"), max_length=200, blank=True, editable=False)
    email_key = models.CharField(_("e-mail key"), max_length=254, blank=True, editable=False)

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
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["name_key"], name="returnee_name_key_idx"),
            models.Index(fields=["email_key"], name="returnee_email_key_idx"),
            models.Index(fields=["phone"], name="returnee_phone_idx"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.keys_fill()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(KEYED_FIELDS):
            kwargs["update_fields"] = {*update_fields, *DERIVED_FIELDS}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self):
        self.email = self.email.strip().lower()

    def keys_fill(self) -> Self:
        """Set the derived search and duplicate-check fields from the person's own."""
        text = " ".join(fold(value) for value in (self.first_name, self.last_name, self.email))
        self.search_text = f" {text.strip()} " if text.strip() else ""
        first, surname = fold(self.first_name), surname_stem(self.last_name)
        self.name_key = f"{first} {surname}" if first and surname else ""
        self.email_key = email_local_key(self.email) if self.email else ""
        return self


# What `Returnee.keys_fill` reads, and what it writes.
KEYED_FIELDS = ("first_name", "last_name", "email")
DERIVED_FIELDS = ("search_text", "name_key", "email_key")


def returnee_name_keys(first_name: str, last_name: str) -> set[str]:
    """The name keys a person of this name may be stored under (names typed in the wrong
    boxes included)."""
    keys = set()
    for first, last in ((first_name, last_name), (last_name, first_name)):
        if fold(first) and surname_stem(last):
            keys.add(f"{fold(first)} {surname_stem(last)}")
    return keys


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
