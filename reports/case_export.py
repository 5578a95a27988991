"""The streamed case-level CSV for national administrators: one row per case, no names.

UTF-8 with a byte order mark and ";" between columns, like the report's CSV
(`reports.exports`); every text cell goes through escape_formula.
"""

import csv

from django.utils.translation import gettext as _

from common.dates import date_text
from common.spreadsheets import Echo, escape_formula
from coordinators.models import Case

from .exports import BOM, CSV_DELIMITER
from .figures.export import CASE_EXPORT_COLUMNS, case_export_rows

CASE_EXPORT_CHUNK = 2000


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
