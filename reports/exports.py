"""The report as XLSX, CSV and PDF (the case-level CSV is in `reports.case_export`).

CSV files are UTF-8 with a byte order mark (so Excel shows ā, ķ, ņ) and use ";" between
columns and "," for decimals, as Excel expects with Latvian regional settings. Every text
cell goes through escape_formula, so nothing in a file can run as a spreadsheet formula.
"""

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.spreadsheets import escape_formula

from .charts import report_charts, trend_title
from .figures.definitions import BREAKDOWN_COLUMNS, DEFINITIONS, HEADLINES
from .figures.report import Report

BOM = "\ufeff"
CSV_DELIMITER = ";"


def filename(report: Report, extension: str) -> str:
    filters = report.filters
    return f"remigration-report-{filters.date_from:%Y-%m-%d}-{filters.date_to:%Y-%m-%d}.{extension}"


def describe_filters(filters):
    """The chosen filters as (label, text) pairs, for the page and every export."""
    if filters.include_national_queue:
        regions = _("all planning regions and the national queue")
    else:
        regions = ", ".join(region.name for region in filters.regions)
    return [
        (_("Period"), f"{date_format(filters.date_from)} – {date_format(filters.date_to)}"),
        (_("Planning regions"), regions),
        (
            _("Municipality"),
            filters.municipality.name if filters.municipality else _("all municipalities"),
        ),
    ]


def file_header(report):
    """The rows every file starts with, so it stands alone: what it is, the period, the
    scope and when it was exported."""
    exported = date_format(timezone.localtime(report.generated_at), "d.m.Y H:i")
    return [
        (_("Remigration report"), ""),
        *describe_filters(report.filters),
        (_("Exported"), exported),
        *closing_rows(report),
    ]


def closing_rows(report):
    """Of a closed period: when and by whom it was closed, and what the figures are."""
    closing = report.closing
    if closing is None:
        return []
    closed = _("%(date)s by %(name)s") % {
        "date": date_format(timezone.localtime(closing.closed_at), "d.m.Y"),
        "name": closing.closed_by,
    }
    if not closing.stored:
        figures = _("live (the stored figures are those of the country and of each region)")
    elif report.corrections["any"]:
        figures = _("as submitted at closing; corrections since closing shown apart")
    else:
        figures = _("as submitted at closing; no corrections since closing")
    return [(_("Period closed"), closed), (_("Figures"), figures)]


def _table_rows(report):
    """Every table of the report after the headline, as (title, headings, rows, totals,
    corrections): the breakdowns and the trend, each with a totals row (the sum of its
    rows) and, of a closed period, its corrections since closing (None for a live one)."""
    columns = [str(label) for _key, label in BREAKDOWN_COLUMNS]
    closed = report.corrections is not None
    tables = []
    for breakdown in report.breakdowns:
        rows = breakdown.table()
        tables.append(
            (
                str(breakdown.title),
                [str(breakdown.heading), *columns],
                rows,
                _column_sums(rows),
                breakdown.corrections if closed else None,
            )
        )
    trend = report.trend_table()
    tables.append(
        (
            trend_title(report),
            [_("Period"), *columns],
            trend,
            _column_sums(trend),
            report.trend_corrections if closed else None,
        )
    )
    return tables


def _column_sums(rows):
    if not rows:
        return [0] * len(BREAKDOWN_COLUMNS)
    return [sum(values) for values in zip(*(values for _label, values in rows), strict=True)]


def _headline_rows(report):
    """(label, value, definition, correction) rows of the headline table with the source
    and reason details; shared by the CSV and the XLSX summary. The correction since
    closing is None for a period that is not closed."""
    corrections = report.corrections["headline"] if report.corrections else None
    rows = [
        (
            str(label),
            report.headline[key],
            str(DEFINITIONS[definition]),
            None if corrections is None else corrections.get(key, 0),
        )
        for key, label, definition in HEADLINES
    ]
    new_contacts, closed = _("New contacts"), _("Closed")
    rows += [
        (f"{new_contacts}: {source['label']}", source["count"], "", source.get("correction"))
        for source in report.sources
    ]
    rows += [
        (
            f"{closed}: {reason['label']}",
            reason["count"],
            str(DEFINITIONS["closed"]),
            reason.get("correction"),
        )
        for reason in report.closed_by_reason
    ]
    return rows


def _figure_headings(report):
    """The headings of the headline table; a closed period's has the corrections column."""
    headings = [_("Figure"), _("Value"), _("Definition")]
    if report.corrections is not None:
        headings.insert(2, _("Corrections since closing"))
    return headings


def _figure_cells(report, label, value, definition, correction):
    """A headline row's cells in the order of `_figure_headings`."""
    if report.corrections is None:
        return [label, value, definition]
    return [label, value, correction, definition]


# --- CSV ----------------------------------------------------------------------------------


def _csv_value(value):
    if isinstance(value, float):
        return number_format(value, decimal_pos=1)
    if value is None:
        return ""
    return escape_formula(str(value))


def report_csv(report):
    """The report as CSV bytes: the header rows (period, scope, export time), the headline
    table, then every breakdown and the trend with their totals rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
    for label, text in file_header(report):
        writer.writerow([_csv_value(label), _csv_value(text)] if text else [_csv_value(label)])
    writer.writerow([])
    writer.writerow([_csv_value(heading) for heading in _figure_headings(report)])
    for label, value, definition, correction in _headline_rows(report):
        # A signed number of our own (+1) is no formula: it is not escaped like text.
        signed = None if correction is None else _signed(correction)
        cells = _figure_cells(
            report, _csv_value(label), _csv_value(value), _csv_value(definition), signed
        )
        writer.writerow(cells)
    for title, headings, rows, totals, corrections in _table_rows(report):
        writer.writerow([])
        writer.writerow([_csv_value(title)])
        writer.writerow([_csv_value(heading) for heading in headings])
        for label, values in rows:
            writer.writerow([_csv_value(label), *values])
        writer.writerow([_("Total"), *totals])
        if corrections is not None:
            writer.writerow([_csv_value(f"{title}: {_('Corrections since closing')}")])
            for label, values in corrections:
                writer.writerow([_csv_value(label), *(_signed(value) for value in values)])
            if not corrections:
                writer.writerow([_("None: the live figures are the submitted ones.")])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _signed(value):
    """A correction as the page shows it: +2, -1, 0 (+1,5 for days)."""
    text = number_format(value, decimal_pos=1) if isinstance(value, float) else str(value)
    return f"+{text}" if value > 0 else text


# --- XLSX ---------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="9E3039")
INTEGER = "#,##0"
DAYS = "0.0"
PERCENT = "0.0%"
SIGNED = "+#,##0;-#,##0;0"


def _sheet_title(text):
    for character in "[]:*?/\\":
        text = text.replace(character, " ")
    return text[:31]


def _write_header(sheet, row, headings):
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=row, column=column, value=escape_formula(str(heading)))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_cell(sheet, row, column, value, number_format_=INTEGER):
    if isinstance(value, str):
        value = escape_formula(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = DAYS if isinstance(value, float) else number_format_
    return cell


def _fit_columns(sheet, maximum=60, wrap_from=None):
    """Column widths from the longest text in each column; long definitions wrap."""
    widths = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                length = len(str(cell.value))
                widths[cell.column] = max(widths.get(cell.column, 8), min(length + 2, maximum))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    if wrap_from:
        for row in sheet.iter_rows(min_col=wrap_from, max_col=wrap_from):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


TOTAL_FONT = Font(bold=True)


def _write_file_header(sheet, report, title):
    """The header rows of a sheet (its title, the period, the scope, the export time), so a
    sheet copied on its own still says what it counts; returns the next free row."""
    sheet.cell(row=1, column=1, value=escape_formula(title)).font = Font(bold=True, size=14)
    row = 2
    for label, text in file_header(report)[1:]:
        sheet.cell(row=row, column=1, value=escape_formula(str(label))).font = Font(bold=True)
        _write_cell(sheet, row, 2, str(text))
        row += 1
    return row + 1


def _write_table(sheet, row, headings, rows, totals):
    """A table with a filter over its rows and a totals row under them; returns the last row."""
    _write_header(sheet, row, headings)
    first = row
    for label, values in rows:
        row += 1
        _write_cell(sheet, row, 1, label)
        for column, value in enumerate(values, start=2):
            _write_cell(sheet, row, column, value)
    sheet.auto_filter.ref = f"A{first}:{get_column_letter(len(headings))}{max(row, first)}"
    sheet.freeze_panes = f"B{first + 1}"
    row += 1
    _write_cell(sheet, row, 1, _("Total")).font = TOTAL_FONT
    for column, value in enumerate(totals, start=2):
        _write_cell(sheet, row, column, value).font = TOTAL_FONT
    return row


def _write_corrections(sheet, row, headings, corrections):
    """Below a closed period's table: its rows whose live figures differ (live − stored)."""
    _write_cell(sheet, row, 1, _("Corrections since closing")).font = TOTAL_FONT
    _write_header(sheet, row + 1, headings)
    row += 1
    for label, values in corrections:
        row += 1
        _write_cell(sheet, row, 1, label)
        for column, value in enumerate(values, start=2):
            _write_cell(sheet, row, column, value, number_format_=SIGNED)
    if not corrections:
        _write_cell(sheet, row + 1, 1, _("None: the live figures are the submitted ones."))


def report_xlsx(report):
    """A workbook: the summary (filters, headline figures, definitions), one sheet per
    breakdown and the trend (each with the header rows, a filter and a totals row), and
    the funnel."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = _sheet_title(_("Summary"))
    row = _write_file_header(summary, report, _("Remigration report"))
    headings = _figure_headings(report)
    definition_column = len(headings)
    _write_header(summary, row, headings)
    for cells in _headline_rows(report):
        row += 1
        for column, value in enumerate(_figure_cells(report, *cells), start=1):
            _write_cell(summary, row, column, value if value is not None else "—")
    row += 1
    for key in ("funnel", "breakdowns", "trend"):
        row += 1
        _write_cell(summary, row, definition_column, str(DEFINITIONS[key]))
    _fit_columns(summary, maximum=70, wrap_from=definition_column)
    summary.column_dimensions[get_column_letter(definition_column)].width = 90

    for title, headings, rows, totals, corrections in _table_rows(report):
        sheet = workbook.create_sheet(_sheet_title(title))
        row = _write_file_header(sheet, report, title)
        row = _write_table(sheet, row, headings, rows, totals)
        if corrections is not None:
            _write_corrections(sheet, row + 2, headings, corrections)
        _fit_columns(sheet, maximum=40)

    funnel = workbook.create_sheet(_sheet_title(_("Funnel")))
    start = _write_file_header(funnel, report, _("Funnel"))
    _write_header(
        funnel, start, [_("Step"), _("Cases"), _("Of the previous step"), _("Of new contacts")]
    )
    for index, step in enumerate(report.funnel, start=start + 1):
        _write_cell(funnel, index, 1, str(step["label"]))
        _write_cell(funnel, index, 2, step["count"])
        for column, key in ((3, "of_previous"), (4, "of_first")):
            if step[key] is not None:
                funnel.cell(row=index, column=column, value=step[key]).number_format = PERCENT
    _write_cell(funnel, start + len(report.funnel) + 2, 1, str(DEFINITIONS["funnel"]))
    _fit_columns(funnel, maximum=30)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------


def report_pdf(report: Report) -> bytes:
    """The report with its charts as a PDF for a letter to the ministry (made by the worker:
    a long period takes seconds)."""
    from common.pdf import render_pdf

    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "charts": report_charts(report),
            "filters": describe_filters(report.filters),
            "headlines": HEADLINES,
            "columns": BREAKDOWN_COLUMNS,
            "definitions": DEFINITIONS,
        },
    )
    return render_pdf(html)
