"""What a file's cells are matched against, loaded once per file: regions, municipalities,
needs, countries and the words of the choices (codes, Latvian and English labels)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import TextChoices
from django.utils import timezone, translation
from django_countries import countries

from coordinators.models import Case, Language, Returnee, User
from municipalities.models import Municipality, NeedCategory, PlanningRegion

from ..columns import header_key

REGION_SHORT_NAMES = {
    "KUR": ("kurzeme",),
    "ZEM": ("zemgale",),
    "RIG": ("rīga", "riga", "rīgas reģions"),
    "VID": ("vidzeme",),
    "LAT": ("latgale",),
}
LANGUAGE_WORDS = {
    "lv": ("latviešu", "latviski", "latvian"),
    "en": ("angļu", "angliski", "english"),
    "ru": ("krievu", "krieviski", "russian"),
}
CLOSED_REASON_WORDS = {
    "no_response": ("nav atbildes", "neatbild"),
    "not_returning": ("neatgriezīsies", "neatgriežas", "neatgriezās"),
    "other": ("cits", "cits iemesls"),
}


def choice_words(
    choices: type[TextChoices], extra: Mapping[str, tuple[str, ...]] | None = None
) -> dict[str, str]:
    """{word: value} of a TextChoices: its values, its labels in Latvian and English, extras."""
    words: dict[str, str] = {}
    for language in ("en", "lv"):
        with translation.override(language):
            for value, label in choices.choices:
                words[header_key(label)] = value
    for value in choices.values:
        words[header_key(value)] = value
    for value, names in (extra or {}).items():
        for name in names:
            words[header_key(name)] = value
    return words


@dataclass
class Lookups:
    """Everything the rows of one file are checked against, for one importer."""

    user: User
    default_region: PlanningRegion | None
    today: datetime.date
    now: datetime.datetime
    regions: dict[str, PlanningRegion] = field(default_factory=dict)
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    needs: dict[str, NeedCategory] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    languages: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    timeframes: dict[str, str] = field(default_factory=dict)
    closed_reasons: dict[str, str] = field(default_factory=dict)
    # Filled per file: the people with the file's e-mails, the cases already imported.
    existing_people: dict[str, Returnee] = field(default_factory=dict)
    imported: dict[tuple[int, str], str] = field(default_factory=dict)

    @property
    def is_national_admin(self) -> bool:
        return self.user.is_national_admin

    @property
    def own_region(self) -> PlanningRegion | None:
        """A coordinator's region (the only one they may import into); None for an admin."""
        return None if self.user.is_national_admin else self.user.planning_region


def lookups_load(*, user: User, default_region: PlanningRegion | None) -> Lookups:
    """The reference data, once per file (a few queries whatever the number of rows)."""
    now = timezone.now()
    lookups = Lookups(
        user=user, default_region=default_region, today=timezone.localdate(now), now=now
    )
    for region in PlanningRegion.objects.all():
        for word in (region.code, region.name, *REGION_SHORT_NAMES.get(region.code, ())):
            lookups.regions[header_key(word)] = region
    for municipality in Municipality.objects.all():
        lookups.municipalities[header_key(municipality.name)] = municipality
    for need in NeedCategory.objects.all():
        for word in (need.code, need.name, need.name_en):
            lookups.needs[header_key(word)] = need
    for language in ("en", "lv"):
        with translation.override(language):
            for code, name in countries:
                lookups.countries[header_key(name)] = code
    for code, _name in countries:
        lookups.countries[header_key(code)] = code
    lookups.languages = choice_words(Language, LANGUAGE_WORDS)
    lookups.sources = choice_words(Case.Source)
    lookups.timeframes = choice_words(Case.Timeframe)
    lookups.closed_reasons = choice_words(Case.ClosedReason, CLOSED_REASON_WORDS)
    return lookups


CHUNK = 500


def lookups_for_file(lookups: Lookups, *, emails: set[str], references: set[str]) -> None:
    """The people already registered with the file's e-mails, and the cases of the file's
    legacy references already imported (in the regions the importer may import into)."""
    emails_list = sorted(emails)
    for start in range(0, len(emails_list), CHUNK):
        for person in Returnee.objects.filter(email__in=emails_list[start : start + CHUNK]).only(
            "id", "email", "preferred_language"
        ):
            lookups.existing_people[person.email] = person
    cases = Case.objects.filter(legacy_reference__isnull=False)
    if lookups.own_region is not None:
        cases = cases.filter(planning_region=lookups.own_region)
    references_list = sorted(references)
    for start in range(0, len(references_list), CHUNK):
        chunk = references_list[start : start + CHUNK]
        for region_id, legacy, reference in cases.filter(legacy_reference__in=chunk).values_list(
            "planning_region_id", "legacy_reference", "reference"
        ):
            if region_id is not None and legacy:
                lookups.imported[(region_id, legacy)] = reference
