"""The report as XLSX, CSV and PDF, and the streamed case-level CSV for national admins.

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

from common.dates import date_text
from common.spreadsheets import Echo, escape_formula
from coordinators.models import Case

from .charts import report_charts, trend_title
from .figures.definitions import BREAKDOWN_COLUMNS, DEFINITIONS, HEADLINES
from .figures.export import CASE_EXPORT_COLUMNS, case_export_rows
from .figures.report import Report

BOM = "\ufeff"
CSV_DELIMITER = ";"
CASE_EXPORT_CHUNK = 2000


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
    ]


def _table_rows(report):
    """Every table of the report after the headline, as (title, headings, rows, totals):
    the breakdowns and the trend, each with a totals row (the sum of its rows)."""
    columns = [str(label) for _key, label in BREAKDOWN_COLUMNS]
    tables = []
    for breakdown in report.breakdowns:
        rows = breakdown.table()
        tables.append(
            (str(breakdown.title), [str(breakdown.heading), *columns], rows, _column_sums(rows))
        )
    trend = report.trend_table()
    tables.append((trend_title(report), [_("Period"), *columns], trend, _column_sums(trend)))
    return tables


def _column_sums(rows):
    return [sum(values) for values in zip(*(values for _label, values in rows), strict=True)]


def _headline_rows(report):
    """(label, value, definition) rows of the headline table with the source and reason
    details; shared by the CSV and the XLSX summary."""
    rows = [
        (str(label), report.headline[key], str(DEFINITIONS[definition]))
        for key, label, definition in HEADLINES
    ]
    new_contacts, closed = _("New contacts"), _("Closed")
    rows += [
        (f"{new_contacts}: {source['label']}", source["count"], "") for source in report.sources
    ]
    rows += [
        (f"{closed}: {reason['label']}", reason["count"], str(DEFINITIONS["closed"]))
        for reason in report.closed_by_reason
    ]
    return rows


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
    writer.writerow([_("Figure"), _("Value"), _("Definition")])
    for label, value, definition in _headline_rows(report):
        writer.writerow([_csv_value(label), _csv_value(value), _csv_value(definition)])
    for title, headings, rows, totals in _table_rows(report):
        writer.writerow([])
        writer.writerow([_csv_value(title)])
        writer.writerow([_csv_value(heading) for heading in headings])
        for label, values in rows:
            writer.writerow([_csv_value(label), *values])
        writer.writerow([_("Total"), *totals])
    return (BOM + buffer.getvalue()).encode("utf-8")


def case_csv_stream(filters):
    """Yield the case-level CSV line by line from a server-side iterator, never the whole set."""
    rows, needs = case_export_rows(filters)
    writer = csv.writer(Echo(), delimiter=CSV_DELIMITER)
    header = [str(label) for _name, label in CASE_EXPORT_COLUMNS]
    need = _("Need")
    header += [f"{need}: {category.label}" for category in needs]
    yield BOM + writer.writerow(header)
    labels = {
        "source": dict(Case.Source.choices),
        "timeframe": dict(Case.Timeframe.choices),
        "status": dict(Case.Status.choices),
        "closed_reason": dict(Case.ClosedReason.choices),
    }
    label_positions = {
        index: labels[name]
        for index, (name, _label) in enumerate(CASE_EXPORT_COLUMNS)
        if name in labels
    }
    for row in rows.iterator(chunk_size=CASE_EXPORT_CHUNK):
        cells = []
        for index, value in enumerate(row):
            if index in label_positions and value:
                value = label_positions[index].get(value, value)
            cells.append(_case_cell(value))
        yield writer.writerow(cells)


def _case_cell(value):
    if value is None:
        return ""
    if value is True:
        return "1"
    if value is False:
        return "0"
    if hasattr(value, "astimezone"):
        return date_text(value)
    return escape_formula(str(value))


# --- XLSX ---------------------------------------------------------------------------------

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="9E3039")
INTEGER = "#,##0"
DAYS = "0.0"
PERCENT = "0.0%"


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


def report_xlsx(report):
    """A workbook: the summary (filters, headline figures, definitions), one sheet per
    breakdown and the trend (each with the header rows, a filter and a totals row), and
    the funnel."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = _sheet_title(_("Summary"))
    row = _write_file_header(summary, report, _("Remigration report"))
    _write_header(summary, row, [_("Figure"), _("Value"), _("Definition")])
    for label, value, definition in _headline_rows(report):
        row += 1
        _write_cell(summary, row, 1, label)
        _write_cell(summary, row, 2, value if value is not None else "—")
        _write_cell(summary, row, 3, definition)
    row += 1
    for key in ("funnel", "breakdowns", "trend"):
        row += 1
        _write_cell(summary, row, 3, str(DEFINITIONS[key]))
    _fit_columns(summary, maximum=70, wrap_from=3)
    summary.column_dimensions["C"].width = 90

    for title, headings, rows, totals in _table_rows(report):
        sheet = workbook.create_sheet(_sheet_title(title))
        row = _write_file_header(sheet, report, title)
        _write_table(sheet, row, headings, rows, totals)
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
