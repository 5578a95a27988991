"""The dry run: a whole file read, every row checked, and what importing it would create.

`file_check` reads the file, maps its header, loads what the rows are matched against once
(regions, municipalities, needs, the people with the file's e-mails, the cases already
imported), checks each row and returns the plans, the problems by row and column, the notes
(rows skipped as imported before) and the preview. Nothing is written.

Problems and notes are stored as the English message and its parameters and shown in the
reader's language; none holds a value of another person (an e-mail that is taken says so,
not whose it is).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from coordinators.models import User
from municipalities.models import PlanningRegion

from ..columns import HEADERS, REQUIRED, header_key
from ..reading import FileProblem, read_table
from ..values import text_of
from .lookups import lookups_for_file, lookups_load
from .rows import EMAIL_TAKEN_NAMED, FileState, RowPlan, row_check

MISSING_COLUMN = _("The column “%(column)s” is missing from the header row.")
DUPLICATE_COLUMN = _("The column “%(column)s” appears twice in the header row.")
NO_ROWS = _("The file has a header row but no rows below it.")
EMAIL_TAKEN_MORE = _(
    "%(count)s more rows have an e-mail address that is already registered in the portal. "
    "Leave the e-mail empty in those rows, or ask a national administrator to import them."
)
PROGRESS_EVERY = 200
MAX_STORED_PROBLEMS = 1000
MAX_STORED_NOTES = 200
PREVIEW_ROWS = 20

Progress = Callable[[int, int], None]


def stored(message: Any) -> str:
    """The English msgid of a (lazy) message: what is stored, translated when shown."""
    with translation.override(None):
        return str(message)


@dataclass
class CheckResult:
    """A checked file: the plans of its good rows, its problems, notes and preview."""

    rows_total: int = 0
    plans: list[RowPlan] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    problem_count: int = 0
    notes: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    emails_taken: int = 0

    def problem(self, row: int, column: str, message: Any, params: dict[str, Any]) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_STORED_PROBLEMS:
            self.problems.append(
                {"row": row, "column": column, "message": stored(message), "params": params}
            )

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


def _header_map(header: list[Any], result: CheckResult) -> dict[int, str]:
    """Column index → code; unknown headers are ignored (their cells still checked for
    portal references); a missing required column or a doubled one is a problem of row 1."""
    mapping: dict[int, str] = {}
    for index, cell in enumerate(header):
        key = header_key(cell)
        code = HEADERS.get(key)
        if code is None:
            if key:
                result.ignored_columns.append(str(cell).strip()[:60])
        elif code in mapping.values():
            result.problem(1, code, DUPLICATE_COLUMN, {"column": code})
        else:
            mapping[index] = code
    for code in REQUIRED:
        if code not in mapping.values():
            result.problem(1, code, MISSING_COLUMN, {"column": code})
    return mapping


def file_check(
    *,
    content: bytes,
    user: User,
    default_region: PlanningRegion | None,
    progress: Progress | None = None,
) -> CheckResult:
    """Check a whole file as `user` would import it; writes nothing."""
    result = CheckResult()
    try:
        header, rows = read_table(content)
    except FileProblem as problem:
        result.problem(0, "", problem.message, problem.params)
        return result
    mapping = _header_map(header, result)
    result.rows_total = len(rows)
    if not result.ok:
        return result
    if not rows:
        result.problem(0, "", NO_ROWS, {})
        return result
    lookups = lookups_load(user=user, default_region=default_region)
    by_code = {code: index for index, code in mapping.items()}

    def column(code: str) -> set[str]:
        index = by_code.get(code)
        values = (text_of(row[index]) for row in rows if index is not None and index < len(row))
        return {value for value in values if value}

    lookups_for_file(
        lookups,
        emails={email.lower() for email in column("email")},
        references=column("legacy_reference"),
    )
    seen = FileState()
    for offset, row in enumerate(rows):
        number = offset + 2  # as the spreadsheet numbers them: the header is row 1
        if progress is not None and offset and offset % PROGRESS_EVERY == 0:
            progress(offset, len(rows))
        if not any(text_of(cell) for cell in row):
            continue
        cells = {code: row[index] if index < len(row) else None for index, code in mapping.items()}
        others = {
            str((header[index] if index < len(header) else None) or f"#{index + 1}"): value
            for index, value in enumerate(row)
            if index not in mapping and isinstance(value, str)
        }
        plan, check = row_check(number=number, cells=cells, others=others, lookups=lookups,
                                seen=seen)  # fmt: skip
        for code, message, params in check.problems:
            result.problem(number, code, message, params)
        if check.note is not None:
            message, params = check.note
            result.skipped += plan is None
            if len(result.notes) < MAX_STORED_NOTES:
                result.notes.append({"row": number, "message": stored(message), "params": params})
        if plan is not None:
            result.plans.append(plan)
    result.emails_taken = seen.emails_taken
    if seen.emails_taken > EMAIL_TAKEN_NAMED:
        result.problem(
            0, "email", EMAIL_TAKEN_MORE, {"count": seen.emails_taken - EMAIL_TAKEN_NAMED}
        )
    if progress is not None:
        progress(len(rows), len(rows))
    return result


def preview_build(result: CheckResult) -> dict[str, Any]:
    """What importing the file would create: the counts, cases per year and status, and the
    first rows (the importer's own rows only: a row of somebody else's person is a problem)."""
    plans = result.plans
    years: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for plan in plans:
        years[str(timezone.localtime(plan.created_at).year)][str(plan.status)] += 1
    return {
        "counts": counts_of(result),
        "years": {year: dict(statuses) for year, statuses in sorted(years.items())},
        "rows": [
            {
                "row": plan.row,
                "legacy_reference": plan.legacy_reference,
                "name": f"{plan.person['first_name']} {plan.person['last_name']}",
                "region": plan.region.code,
                "municipality": plan.municipality.name if plan.municipality else "",
                "created": timezone.localtime(plan.created_at).strftime("%d.%m.%Y"),
                "status": str(plan.status),
                "offers": len(plan.offers),
                "contacts": len(plan.contacts),
                "household": len(plan.household),
            }
            for plan in plans[:PREVIEW_ROWS]
        ],
        "notes": result.notes,
        "ignored_columns": result.ignored_columns,
    }


def counts_of(result: CheckResult) -> dict[str, int]:
    """How many rows of each kind importing the file would write (or wrote)."""
    plans = result.plans
    return {
        "rows": result.rows_total,
        "people": sum(plan.existing_person is None for plan in plans),
        "people_attached": sum(plan.existing_person is not None for plan in plans),
        "cases": len(plans),
        "status_events": sum(len(plan.steps) for plan in plans),
        "offers": sum(len(plan.offers) for plan in plans),
        "contacts": sum(len(plan.contacts) for plan in plans),
        "household_members": sum(len(plan.household) for plan in plans),
        "skipped": result.skipped,
    }
