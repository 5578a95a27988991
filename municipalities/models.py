"""Reference data: the 5 planning regions, the 43 municipalities, need categories, and the
catalogue of services municipalities offer (the building blocks of individual offers)."""

import datetime
from typing import Self

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class PlanningRegion(models.Model):
    """One of Latvia's five planning regions; its code prefixes case reference numbers."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    coordinator_email = models.EmailField(_("coordinators' e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("planning region")
        verbose_name_plural = _("planning regions")

    def __str__(self):
        return self.name


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def of_region(self, region_id: int | None) -> Self:
        """The region's municipalities by name; all of them when there is no region (a case
        in the national queue may choose any)."""
        municipalities = self.order_by("name")
        return municipalities.filter(planning_region_id=region_id) if region_id else municipalities


class Municipality(models.Model):
    """A municipality since the 2021 reform: a state city or a county municipality."""

    class Kind(models.TextChoices):
        STATE_CITY = "state_city", _("state city")
        COUNTY = "county", _("county municipality")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    planning_region = models.ForeignKey(
        PlanningRegion,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("planning region"),
    )
    is_pilot = models.BooleanField(
        _("pilot municipality"),
        default=False,
        help_text=_("Has its own remigration specialist."),
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


class NeedCategory(models.Model):
    """A kind of help a household may need: housing, work, school, business support, ..."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("need category")
        verbose_name_plural = _("need categories")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the active interface language; a staff page in Russian with no Russian
        name shows the English one (an offer is checked for it before sending:
        `name_in`)."""
        language = (get_language() or "lv")[:2]
        return self.name_in(language) or self.name_en or self.name

    def name_in(self, language: str) -> str:
        """The name in `language` (lv, en, ru); "" when it has none."""
        return {"lv": self.name, "en": self.name_en, "ru": self.name_ru}.get(language[:2], "")


class MunicipalServiceQuerySet(models.QuerySet["MunicipalService"]):
    def available(self, on: datetime.date | None = None) -> Self:
        """Services a coordinator may put into a new offer: active and not expired."""
        on = on or timezone.localdate()
        return self.filter(is_active=True).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on)
        )


class MunicipalService(models.Model):
    """An entry in a municipality's catalogue: something it can offer a returning family."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("municipality"),
    )
    category = models.ForeignKey(
        NeedCategory,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("need category"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The same entry for an offer in English or Russian; empty until someone translates it
    # (an offer in that language then says so before it can be sent).
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=200, blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MunicipalServiceQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "category__position", "title"]
        verbose_name = _("municipal service")
        verbose_name_plural = _("municipal services")
        indexes = [models.Index(fields=["municipality", "category", "is_active"])]

    def __str__(self):
        return f"{self.title} ({self.municipality})"

    def texts_in(self, language: str) -> tuple[str, str] | None:
        """(title, description) in `language`; None when the entry has no translation into it
        (no title, or no description where the Latvian entry has one)."""
        title, description = {
            "lv": (self.title, self.description),
            "en": (self.title_en, self.description_en),
            "ru": (self.title_ru, self.description_ru),
        }.get(language[:2], ("", ""))
        if not title.strip() or (self.description.strip() and not description.strip()):
            return None
        return title, description
