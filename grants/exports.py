"""A call's applications, scores and decision as files: XLSX (every typed text made inert
for a spreadsheet) and PDF (through common.pdf's restricted renderer)."""

from __future__ import annotations

import io

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from common.dates import date_text, datetime_text
from common.pdf import render_pdf
from common.spreadsheets import escape_formula
from events.models import Event
from events.selectors import event_funnel

from .models import Activity, Application, Call
from .selectors import call_results

BOLD = Font(bold=True)
EUR_FORMAT = "#,##0.00"


def _sheet(workbook, title, headings, rows):
    sheet = workbook.create_sheet(title[:31])
    sheet.append([str(heading) for heading in headings])
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        # Every string a person typed (titles, names, notes) is escaped: "=HYPERLINK(...)"
        # stays text.
        sheet.append([escape_formula(str(v)) if isinstance(v, str) else v for v in row])
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    return sheet


def _status(application: Application) -> str:
    return str(application.get_status_display())


def call_xlsx(call: Call) -> bytes:
    """Three sheets: the applications with their averages and awards, every member's score
    sheet (or declared conflict), the activities with their costs and reports."""
    results = call_results(call=call)
    criteria = list(call.criteria.all())
    workbook = Workbook()
    for empty in list(workbook.worksheets):
        workbook.remove(empty)
    _sheet(
        workbook, _("Applications"),
        [_("Municipality"), _("Project title"), _("Status"), _("Submitted"),
         _("Requested (EUR)"), _("Weighted average"), _("Of the maximum, %"),
         *[criterion.name for criterion in criteria], _("Awarded (EUR)")],
        [
            [r.application.municipality.name, r.application.title, _status(r.application),
             datetime_text(r.application.submitted_at) if r.application.submitted_at else "",
             r.requested, r.average, r.percent,
             *[r.criterion_averages.get(criterion.pk) for criterion in criteria],
             r.application.awarded_amount]
            for r in results
        ],
    )  # fmt: skip
    _sheet(
        workbook, _("Scores"),
        [_("Municipality"), _("Committee member"), _("Conflict of interest"),
         *[criterion.name for criterion in criteria], _("Weighted total")],
        [
            [r.application.municipality.name, str(sheet.member.user),
             _("yes") if sheet.conflict else "",
             *[sheet.scores.get(criterion.pk) for criterion in criteria], sheet.weighted]
            for r in results for sheet in r.members
        ],
    )  # fmt: skip
    activities = (
        Activity.objects.filter(
            application__call=call, application__status__in=Application.SUBMITTED_STATUSES
        )
        .select_related("application__municipality")
        .prefetch_related("budget_lines", "events")
    )
    cases = {row["pk"]: row["cases"] for row in event_funnel(events=_linked_events(call))}
    _sheet(
        workbook, _("Activities"),
        [_("Municipality"), _("Activity"), _("Kind"), _("Planned from"), _("Planned to"),
         _("Expected reach"), _("Costs (EUR)"), _("Done"), _("Spent (EUR)"),
         _("People reached"), _("Events held"), _("Events"), _("Portal events"),
         _("Their cases")],
        [
            [a.application.municipality.name, a.title, str(a.get_kind_display()),
             date_text(a.planned_start), date_text(a.planned_end), a.expected_reach,
             sum(line.amount for line in a.budget_lines.all()), _("yes") if a.done else "",
             a.spent, a.people_reached, a.events_held, a.reported_events,
             "; ".join(event.title for event in a.events.all()),
             sum(cases.get(event.pk, 0) for event in a.events.all())]
            for a in activities
        ],
    )  # fmt: skip
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type == "n" and cell.value is not None:
                    cell.number_format = EUR_FORMAT
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _linked_events(call: Call) -> QuerySet[Event]:
    return Event.objects.filter(
        grant_activities__application__call=call,
        grant_activities__application__status__in=Application.SUBMITTED_STATUSES,
    ).distinct()


def call_pdf(call: Call) -> bytes:
    """The call, its applications ranked by weighted average, and the decision."""
    html = render_to_string(
        "grants/pdf/call.html",
        {"call": call, "results": call_results(call=call), "criteria": list(call.criteria.all())},
    )
    return render_pdf(html)


def filename(call: Call, extension: str) -> str:
    return f"grant-call-{call.pk}.{extension}"
