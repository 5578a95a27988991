"""Building history files for the import tests: rows as dicts of column codes, written as
CSV (any encoding and delimiter) or XLSX."""

import csv
import io

from openpyxl import Workbook

from imports.columns import CODES


def good_row(number=1, **values):
    """A Kurzeme row that imports: contacted, an offer prepared and sent."""
    row = {
        "first_name": "Ilze",
        "last_name": f"Bērziņa{number}",
        "email": f"ilze{number}@example.com",
        "country": "GB",
        "legacy_reference": f"KURZ-{number}",
        "municipality": "Liepājas valstspilsēta",
        "needs": "housing, work",
        "created": "12.03.2020",
        "contacted": "15.03.2020",
        "offer_prepared": "01.04.2020",
        "offer_sent": "05.04.2020",
    }
    row.update(values)
    return row


def csv_bytes(rows, *, delimiter=",", encoding="utf-8", columns=CODES):
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(code, "") for code in columns])
    return output.getvalue().encode(encoding)


def xlsx_bytes(rows, *, columns=CODES):
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(code) for code in columns])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
