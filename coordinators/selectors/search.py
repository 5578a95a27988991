"""The case list's free-text search: a reference, a phone number, or words of a name or an
e-mail address, however they are typed ("Kenins" finds Ķēniņš, "ivanov" Иванов).

Names and addresses are compared folded (`common.folding.fold`) against
`Returnee.search_text`, which holds them folded already: the same rule on SQLite and
PostgreSQL, one indexed column (a trigram index on PostgreSQL, migration 0011).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

import phonenumbers
from django.db import connection
from django.db.models import Case as Conditional
from django.db.models import F, FloatField, IntegerField, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast

from common.folding import fold

from ..models import Case, ReferenceSequence

# KUR-2024-00012, kur-2024-12, KUR-2024 (a beginning), 00012 or 12 (the number alone).
REFERENCE = re.compile(r"^(?P<prefix>[a-z]{2,3})-(?P<year>\d{4})(?:-(?P<number>\d{1,6}))?$", re.I)
REFERENCE_START = re.compile(r"^[a-z]{2,3}(?:-\d{0,4})?$", re.I)
REFERENCE_NUMBER = re.compile(r"^\d{1,5}$")
PHONE_LIKE = re.compile(r"^\+?[\d\s()./-]+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
REFERENCE_DIGITS = 5  # KUR-2026-00042
PHONE_MIN_DIGITS = 6
DEFAULT_PHONE_REGION = "LV"  # "26123456" is a Latvian number

# Any queryset of cases (a CaseQuerySet stays one, with its open() and visible_to()).
CaseQuerySetT = TypeVar("CaseQuerySetT", bound=QuerySet[Case])


@dataclass(frozen=True)
class Query:
    """What the typed text was read as: `kind` is reference, reference_start, number,
    email, phone or words."""

    kind: str
    value: str = ""
    words: tuple[str, ...] = ()


def search_query_read(text: str) -> Query | None:
    """Recognise a reference before a phone number: "00007" is case number 7, never the
    digits of a phone; a number needs six digits at least to be read as a phone."""
    text = text.strip()
    if not text:
        return None
    match = REFERENCE.match(text)
    if match and match["number"]:
        number = match["number"].rjust(REFERENCE_DIGITS, "0")
        return Query("reference", f"{match['prefix']}-{match['year']}-{number}".upper())
    if match or REFERENCE_START.match(text) and "-" in text:
        return Query("reference_start", text.upper())
    if REFERENCE_NUMBER.match(text):
        return Query("number", "-" + text.rjust(REFERENCE_DIGITS, "0"))
    if EMAIL.match(text):
        # A whole address: the unique index finds it (stored in lower case, Returnee.clean).
        return Query("email", text.lower())
    digits = "".join(character for character in text if character.isdigit())
    if PHONE_LIKE.match(text) and len(digits) >= PHONE_MIN_DIGITS:
        return Query("phone", phone_tail(text))
    words = tuple(word for word in fold(text).split() if word)
    return Query("words", words=words) if words else None


def phone_tail(text: str) -> str:
    """The digits every way of typing the number ends with: +371 2612 3456, 0037126123456
    and 26123456 all end with 26123456 (a Latvian number without its country code); a
    foreign one typed nationally (085 123 4567) without its trunk zero."""
    digits = "".join(character for character in text if character.isdigit())
    international = "+" + digits[2:] if digits.startswith("00") else text
    for candidate, region in ((international, None), (text, DEFAULT_PHONE_REGION)):
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return str(number.national_number)
    return digits.lstrip("0")


def case_search(queryset: CaseQuerySetT, text: str) -> CaseQuerySetT:
    """The cases whose reference, person's phone, or person's name and e-mail match `text`;
    for words, each must be in the name or address, and the rows carry a `search_rank`
    (higher is better) that the list sorts by unless another order is asked for."""
    query = search_query_read(text)
    if query is None:
        return queryset
    if query.kind == "reference":
        return queryset.filter(reference=query.value)
    if query.kind == "reference_start":
        return queryset.filter(reference__startswith=query.value)
    if query.kind == "number":
        # Every reference that number can be (one per prefix and year handed out): found
        # by the unique index, where an "ends with" would read every case.
        references = [
            f"{prefix}-{year}{query.value}"
            for prefix, year in ReferenceSequence.objects.values_list("prefix", "year")
        ]
        return queryset.filter(reference__in=references)
    # Through the case's own join to its person (not "returnee IN (…)"): PostgreSQL then
    # reads the matching people by the trigram index and their cases by returnee_id.
    if query.kind == "phone":
        return queryset.filter(returnee__phone__endswith=query.value)
    if query.kind == "email":
        return queryset.filter(returnee__email=query.value)
    for word in query.words:
        queryset = queryset.filter(returnee__search_text__contains=word)
    return queryset.annotate(search_rank=search_rank(query.words))


def search_rank(words: tuple[str, ...]) -> Combinable:
    """Per word: a whole word 3, the start of a word 2, inside a word 1 (the same on both
    databases); on PostgreSQL plus the trigram similarity of the whole text (0..1), so that
    among equal matches the closest name comes first."""
    text = F("returnee__search_text")
    rank: Combinable = Value(0.0, output_field=FloatField())
    for word in words:
        rank = rank + Cast(
            Conditional(
                When(returnee__search_text__contains=f" {word} ", then=Value(3)),
                When(returnee__search_text__contains=f" {word}", then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            FloatField(),
        )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        rank = rank + TrigramSimilarity(text, " ".join(words))
    return rank
