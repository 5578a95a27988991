"""One row of a history file checked against the rules and turned into what it would write:
a RowPlan, or its problems by column. Nothing here queries the database (see `lookups`)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from common.validators import PHONE_INVALID, normalise_phone
from coordinators.models import CLOSED_NEEDS_REASON, Case, Returnee
from coordinators.models.cases import MUNICIPALITY_OUTSIDE_REGION
from coordinators.services.history import Step
from municipalities.models import Municipality, NeedCategory, PlanningRegion

from ..values import CellProblem, contacts_of, date_of, dates_of, household_of, text_of
from .lookups import Lookups
from .timeline import moment, timeline_build

PORTAL_REFERENCE = re.compile(r"^[A-Z]{2,3}-\d{4}-\d{5}$", re.IGNORECASE)
LEGACY_MAX_LENGTH = 50
NAME_MAX_LENGTH = 100

REQUIRED = _("This column is required.")
TOO_LONG = _("Too long: at most %(limit)s characters.")
PORTAL_REFERENCE_REFUSED = _(
    "A case reference of the portal (like KUR-2026-00042) cannot be imported: the portal "
    "numbers imported cases itself. Put the region's own id into legacy_reference."
)
LEGACY_DUPLICATE = _("The same legacy_reference is already in row %(row)s.")
EMAIL_INVALID = _("Enter a valid e-mail address.")
EMAIL_MAX_LENGTH = 254  # Returnee.email (EmailField)
EMAIL_TAKEN_NAMED = 10
EMAIL_DUPLICATE = _("The same e-mail address is already in row %(row)s.")
EMAIL_TAKEN = _(
    "A person with this e-mail address is already registered in the portal, so this row "
    "cannot be imported. Leave the e-mail empty, or ask a national administrator to import "
    "the row."
)
COUNTRY_UNKNOWN = _("Unknown country: write the ISO code (GB) or the name in Latvian or English.")
LANGUAGE_UNKNOWN = _("Unknown language: write lv, en or ru (or latviešu, angļu, krievu).")
REGION_UNKNOWN = _("Unknown planning region: write KUR, ZEM, RIG, VID or LAT.")
REGION_NOT_YOURS = _("You can import only into your own planning region (%(region)s).")
REGION_REQUIRED = _(
    "Name the planning region in this column, or choose a default region on the upload form."
)
MUNICIPALITY_UNKNOWN = _(
    "Unknown municipality: write its name as in the portal, e.g. Liepājas valstspilsēta."
)
CHOICE_UNKNOWN = _("Unknown value: write one of %(choices)s.")
NEED_UNKNOWN = _(
    "Unknown need: write the codes or names of the need categories (%(choices)s), separated "
    "by commas."
)
ALREADY_IMPORTED = _("Already imported as %(reference)s: skipped.")
ATTACHED_TO_PERSON = _(
    "The e-mail belongs to a person already in the portal: the case is added to that person, "
    "whose household stays as it is."
)


@dataclass
class RowPlan:
    """What one checked row writes."""

    row: int
    legacy_reference: str
    region: PlanningRegion
    person: dict[str, Any]
    existing_person: Returnee | None
    household: list[tuple[str, int | None]]
    municipality: Municipality | None
    source: str
    timeframe: str
    needs: list[NeedCategory]
    created_at: datetime.datetime
    steps: list[Step] = field(default_factory=list)
    offers: list[tuple[datetime.datetime, datetime.datetime | None]] = field(default_factory=list)
    contacts: list[tuple[str, datetime.datetime, str]] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.steps[-1].status if self.steps else Case.Status.NEW


@dataclass
class RowCheck:
    """The problems of one row (column → message and params), and a note for the preview."""

    row: int
    problems: list[tuple[str, Any, dict[str, Any]]] = field(default_factory=list)
    note: tuple[Any, dict[str, Any]] | None = None

    def add(self, column: str, message: Any, params: dict[str, Any] | None = None) -> None:
        self.problems.append((column, message, params or {}))


@dataclass
class FileState:
    """What earlier rows of the same file hold: legacy references and e-mails seen."""

    references: dict[str, int] = field(default_factory=dict)
    emails: dict[str, int] = field(default_factory=dict)
    # Rows refused because their e-mail address is registered (a coordinator's file).
    emails_taken: int = 0


def row_check(
    *, number: int, cells: dict[str, Any], others: dict[str, Any], lookups: Lookups, seen: FileState
) -> tuple[RowPlan | None, RowCheck]:
    """Check one row; the plan is None when the row has problems or is skipped."""
    check = RowCheck(row=number)
    text = {code: text_of(value) for code, value in cells.items()}
    for column, value in [*cells.items(), *others.items()]:
        if isinstance(value, str) and PORTAL_REFERENCE.match(value.strip()):
            check.add(column, PORTAL_REFERENCE_REFUSED)
    legacy = _legacy_reference(text.get("legacy_reference", ""), number, check, seen)
    region = _region(text.get("planning_region", ""), lookups, check)
    if check.problems and any(column == "legacy_reference" for column, *_ in check.problems):
        return None, check
    if region is not None and (reference := lookups.imported.get((region.pk, legacy))):
        check.note = (ALREADY_IMPORTED, {"reference": reference})
        return None, check
    person, existing = _person(text, number, lookups, check, seen)
    plan_fields = _case_fields(text, region, lookups, check)
    dates = _dates(cells, lookups, check)
    if check.problems or region is None or dates is None:
        return None, check
    created, timeline = dates
    plan = RowPlan(
        row=number, legacy_reference=legacy, region=region, person=person,
        existing_person=existing, household=_household(text, existing, lookups, check),
        created_at=moment(created, 0, lookups.now), **plan_fields,
    )  # fmt: skip
    timeline_build(plan=plan, timeline=timeline, check=check, now=lookups.now)
    if check.problems:
        return None, check
    if existing is not None:
        check.note = (ATTACHED_TO_PERSON, {})
    return plan, check


def _legacy_reference(value: str, number: int, check: RowCheck, seen: FileState) -> str:
    if not value:
        check.add("legacy_reference", REQUIRED)
    elif len(value) > LEGACY_MAX_LENGTH:
        check.add("legacy_reference", TOO_LONG, {"limit": LEGACY_MAX_LENGTH})
    elif value in seen.references:
        check.add("legacy_reference", LEGACY_DUPLICATE, {"row": seen.references[value]})
    else:
        seen.references[value] = number
    return value


def _region(value: str, lookups: Lookups, check: RowCheck) -> PlanningRegion | None:
    own = lookups.own_region
    if not value:
        region = own or lookups.default_region
        if region is None:
            check.add("planning_region", REGION_REQUIRED)
        return region
    region = lookups.regions.get(value.casefold())
    if region is None:
        check.add("planning_region", REGION_UNKNOWN)
    elif own is not None and region.pk != own.pk:
        check.add("planning_region", REGION_NOT_YOURS, {"region": own.code})
        return None
    return region


def _person(
    text: dict[str, str], number: int, lookups: Lookups, check: RowCheck, seen: FileState
) -> tuple[dict[str, Any], Returnee | None]:
    person: dict[str, Any] = {}
    for name in ("first_name", "last_name", "town"):
        value = text.get(name, "")
        if not value and name != "town":
            check.add(name, REQUIRED)
        elif len(value) > NAME_MAX_LENGTH:
            check.add(name, TOO_LONG, {"limit": NAME_MAX_LENGTH})
        person[name] = value
    email = text.get("email", "").lower()
    existing = None
    if email:
        try:
            validate_email(email)
        except ValidationError:
            check.add("email", EMAIL_INVALID)
        else:
            if len(email) > EMAIL_MAX_LENGTH:
                check.add("email", TOO_LONG, {"limit": EMAIL_MAX_LENGTH})
            existing = _email_owner(email, number, lookups, check, seen)
    person["email"] = "" if existing is not None else email
    person["phone"] = ""
    if phone := text.get("phone", ""):
        try:
            person["phone"] = normalise_phone(phone)  # type: ignore[no-untyped-call]
        except ValidationError:
            check.add("phone", PHONE_INVALID)
    person["country"] = _lookup(text.get("country", ""), lookups.countries, "country", check,
                                COUNTRY_UNKNOWN)  # fmt: skip
    person["preferred_language"] = (
        _lookup(
            text.get("preferred_language", ""),
            lookups.languages,
            "preferred_language",
            check,
            LANGUAGE_UNKNOWN,
        )  # fmt: skip
        or "lv"
    )
    return person, existing


def _email_owner(
    email: str, number: int, lookups: Lookups, check: RowCheck, seen: FileState
) -> Returnee | None:
    """The registered person with this e-mail, for a national administrator; for anybody
    else the same refusal wherever the person is (it must not tell where, or who)."""
    if email in seen.emails:
        check.add("email", EMAIL_DUPLICATE, {"row": seen.emails[email]})
        return None
    seen.emails[email] = number
    existing = lookups.existing_people.get(email)
    if existing is not None and not lookups.is_national_admin:
        # Which addresses are registered is itself worth keeping from a bulk question: the
        # first few rows are named, the rest only counted (check.file_check says how many).
        seen.emails_taken += 1
        if seen.emails_taken <= EMAIL_TAKEN_NAMED:
            check.add("email", EMAIL_TAKEN)
        return None
    return existing


def _lookup(
    value: str,
    table: dict[str, str],
    column: str,
    check: RowCheck,
    message: Any,
    params: dict[str, Any] | None = None,
) -> str:
    if not value:
        return ""
    found = table.get(" ".join(value.split()).casefold())
    if found is None:
        check.add(column, message, params)
        return ""
    return found


def _choice(value: str, table: dict[str, str], column: str, check: RowCheck) -> str:
    choices = ", ".join(sorted(set(table.values())))
    return _lookup(value, table, column, check, CHOICE_UNKNOWN, {"choices": choices})


def _case_fields(
    text: dict[str, str], region: PlanningRegion | None, lookups: Lookups, check: RowCheck
) -> dict[str, Any]:
    municipality = None
    if name := text.get("municipality", ""):
        municipality = lookups.municipalities.get(" ".join(name.split()).casefold())
        if municipality is None:
            check.add("municipality", MUNICIPALITY_UNKNOWN)
        elif region is not None and municipality.planning_region_id != region.pk:
            check.add("municipality", MUNICIPALITY_OUTSIDE_REGION)
    needs: list[NeedCategory] = []
    for part in re.split(r"[,;\n]", text.get("needs", "")):
        if part.strip():
            need = lookups.needs.get(" ".join(part.split()).casefold())
            if need is None:
                codes = ", ".join(sorted({n.code for n in lookups.needs.values()}))
                check.add("needs", NEED_UNKNOWN, {"choices": codes})
                break
            if need not in needs:
                needs.append(need)
    return {
        "municipality": municipality,
        "needs": needs,
        "source": _choice(text.get("source", ""), lookups.sources, "source", check)
        or Case.Source.OTHER,
        "timeframe": _choice(text.get("timeframe", ""), lookups.timeframes, "timeframe", check),
    }


def _household(
    text: dict[str, str], existing: Returnee | None, lookups: Lookups, check: RowCheck
) -> list[tuple[str, int | None]]:
    if existing is not None or not text.get("household"):
        return []
    try:
        return household_of(text["household"], today=lookups.today)
    except CellProblem as problem:
        check.add("household", problem.message, problem.params)
        return []


Timeline = dict[str, Any]


def _dates(
    cells: dict[str, Any], lookups: Lookups, check: RowCheck
) -> tuple[datetime.date, Timeline] | None:
    """The created date and the dated columns, each parsed; None when `created` is unusable."""
    timeline: Timeline = {}
    for column in ("created", "contacted", "needs_assessed", "decided_to_return", "returned",
                   "closed"):  # fmt: skip
        if text_of(cells.get(column)):
            try:
                timeline[column] = date_of(cells[column], today=lookups.today)
            except CellProblem as problem:
                check.add(column, problem.message, problem.params)
    for column in ("offer_prepared", "offer_sent"):
        try:
            timeline[column] = dates_of(cells.get(column), today=lookups.today)
        except CellProblem as problem:
            check.add(column, problem.message, problem.params)
    try:
        timeline["contacts"] = contacts_of(text_of(cells.get("contacts")), today=lookups.today)
    except CellProblem as problem:
        check.add("contacts", problem.message, problem.params)
    reason = text_of(cells.get("closed_reason"))
    timeline["closed_reason"] = _choice(reason, lookups.closed_reasons, "closed_reason", check)
    if "created" not in timeline:
        if not text_of(cells.get("created")):
            check.add("created", REQUIRED)
        return None
    if text_of(cells.get("closed")) and not reason:
        check.add("closed_reason", CLOSED_NEEDS_REASON)
    return timeline.pop("created"), timeline
