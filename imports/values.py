"""One cell of a history file turned into a value, or a CellProblem that says what to write.

Dates: dd.mm.yyyy (also d.m.yyyy and a trailing dot), ISO yyyy-mm-dd and XLSX date cells;
slashes and other forms are refused, since 01/02/2027 is 1 February in Riga and 2 January
in a British spreadsheet."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from common.spreadsheets import unescape_formula

FIRST_YEAR = 2000

DATE_FORMAT = _("Write the date as dd.mm.yyyy, e.g. 01.02.2027 (or yyyy-mm-dd).")
DATE_AMBIGUOUS = _(
    "“%(value)s” can be read as two different dates: write it with dots, day first, "
    "e.g. 01.02.2027."
)
DATE_IMPOSSIBLE = _("There is no such date.")
DATE_FUTURE = _("The date is in the future.")
DATE_RANGE = _("The year must be between 2000 and this year.")
HOUSEHOLD_INVALID = _(
    "Write the household as e.g. “spouse 1984; child 2015” (the relation, then the birth "
    "year if known)."
)
BIRTH_YEAR_RANGE = _("A birth year must be between 1900 and this year.")
CONTACTS_INVALID = _(
    "Write each contact as a date and a kind, e.g. “12.03.2019 phone; 20.04.2019 email: summary”."
)
CONTACT_KIND_UNKNOWN = _(
    "Unknown kind of contact: write phone, email, video, meeting, event or other (or "
    "tālrunis, e-pasts, tikšanās, pasākums, cits)."
)

DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
SLASHED = re.compile(r"^\d{1,4}\s*[/\\-]\s*\d{1,2}\s*[/\\-]\s*\d{1,4}$")
# A date at the start of a contact entry, and where the next entry begins.
CONTACT = re.compile(r"^(\S+)\s+([^:]+?)\s*(?::\s*(.*))?$", re.DOTALL)
NEXT_DATED_ENTRY = re.compile(r"[;\n]\s*(?=\d)")

RELATIONS = {
    "partner": ("partner", "spouse", "husband", "wife", "dzīvesbiedrs", "dzīvesbiedre",
                "laulātais", "laulātā", "partneris", "partnere", "vīrs", "sieva"),
    "child": ("child", "son", "daughter", "bērns", "dēls", "meita"),
    "parent": ("parent", "mother", "father", "vecāks", "māte", "tēvs", "mamma", "tētis"),
    "other": ("other", "other relative", "relative", "cits", "cits radinieks", "radinieks",
              "radiniece"),
}  # fmt: skip
CONTACT_KINDS = {
    "phone": ("phone", "phone call", "call", "tālrunis", "telefons", "zvans"),
    "email": ("email", "e-mail", "e-pasts", "epasts"),
    "video": ("video", "video call", "videozvans"),
    "meeting": ("meeting", "tikšanās"),
    "contact_form": ("contact_form", "contact form", "kontaktforma", "veidlapa"),
    "event": ("event", "pasākums"),
    "other": ("other", "cits"),
}


class CellProblem(Exception):
    """A cell the import cannot take; the message says what to write instead."""

    def __init__(self, message: Any, params: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.params = params or {}


def words(mapping: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """{word: code} of a table of codes and the words that mean them."""
    return {word.casefold(): code for code, names in mapping.items() for word in names}


RELATION_WORDS = words(RELATIONS)
CONTACT_KIND_WORDS = words(CONTACT_KINDS)


def text_of(value: Any) -> str:
    """A cell as trimmed text (a spreadsheet's escaped formula given back), "" for empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(unescape_formula(str(value).strip())).strip()


def date_of(value: Any, *, today: datetime.date) -> datetime.date:
    """A date from a cell; refuses other forms, impossible dates, the future, before 2000."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        day = _date_from_text(text_of(value))
    if day > today:
        raise CellProblem(DATE_FUTURE)
    if day.year < FIRST_YEAR:
        raise CellProblem(DATE_RANGE)
    return day


def _date_from_text(text: str) -> datetime.date:
    if match := DOTTED.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif SLASHED.match(text):
        raise CellProblem(DATE_AMBIGUOUS, {"value": text[:20]})
    else:
        raise CellProblem(DATE_FORMAT)
    try:
        return datetime.date(year, month, day)
    except ValueError as error:
        raise CellProblem(DATE_IMPOSSIBLE) from error


def dates_of(value: Any, *, today: datetime.date) -> list[datetime.date]:
    """One or more dates in a cell, separated by semicolons, commas or spaces."""
    if isinstance(value, datetime.date):
        return [date_of(value, today=today)]
    parts = [part for part in re.split(r"[;,\s]+", text_of(value)) if part]
    return [date_of(part, today=today) for part in parts]


def household_of(text: str, *, today: datetime.date) -> list[tuple[str, int | None]]:
    """(relation, birth year) pairs from e.g. "spouse 1984; child 2015; bērns"."""
    members: list[tuple[str, int | None]] = []
    for part in re.split(r"[;,\n]", text):
        part = part.strip()
        if not part:
            continue
        match = re.match(r"^(.*?)\s*(\d{4})?$", part)
        relation = RELATION_WORDS.get(match.group(1).strip().casefold()) if match else None
        if match is None or relation is None:
            raise CellProblem(HOUSEHOLD_INVALID)
        year = int(match.group(2)) if match.group(2) else None
        if year is not None and not 1900 <= year <= today.year:
            raise CellProblem(BIRTH_YEAR_RANGE)
        members.append((relation, year))
    return members


def contacts_of(text: str, *, today: datetime.date) -> list[tuple[datetime.date, str, str]]:
    """(date, kind, summary) from e.g. "12.03.2019 phone; 20.04.2019 email: summary text"."""
    contacts = []
    for entry in NEXT_DATED_ENTRY.split(text):
        entry = entry.strip().rstrip(";").strip()
        if not entry:
            continue
        match = CONTACT.match(entry)
        if match is None:
            raise CellProblem(CONTACTS_INVALID)
        day = date_of(match.group(1), today=today)
        kind = CONTACT_KIND_WORDS.get(match.group(2).strip().casefold())
        if kind is None:
            raise CellProblem(CONTACT_KIND_UNKNOWN)
        contacts.append((day, kind, (match.group(3) or "").strip()))
    return contacts
