"""The case list's free-text search: a reference, a phone number, or words of a name."""

import re
from typing import TypeVar

from django.db.models import Q, QuerySet

from ..models import Case, Returnee

REFERENCE = re.compile(r"^[A-Za-z]{2,3}-\d{4}-\d{5,}$")
REFERENCE_LIKE = re.compile(r"^[A-Za-z]{2,3}-\d{1,4}(-\d*)?$")
PHONE_LIKE = re.compile(r"^[+\d\s()-]+$")

# Any queryset of cases (a CaseQuerySet stays one, with its open() and visible_to()).
CaseQuerySetT = TypeVar("CaseQuerySetT", bound=QuerySet[Case])


def case_search(queryset: CaseQuerySetT, text: str) -> CaseQuerySetT:
    """A reference (or its beginning), a phone number, or words that must each match a
    name or the e-mail. Each branch hits one trigram index (migration 0002), so a search
    stays fast on 100,000 people; an OR across the two tables would scan them."""
    text = text.strip()
    if not text:
        return queryset
    if REFERENCE.match(text):
        return queryset.filter(reference=text.upper())
    if REFERENCE_LIKE.match(text):
        return queryset.filter(reference__istartswith=text)
    digits = "".join(character for character in text if character.isdigit())
    if len(digits) >= 5 and PHONE_LIKE.match(text):
        # Stored as +353851234567; typed maybe as 085 123 4567 (the national leading zero).
        people = Returnee.objects.filter(phone__contains=digits.lstrip("0"))
    else:
        people = Returnee.objects.all()
        for word in text.split():
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
    return queryset.filter(returnee__in=people.values("pk"))
