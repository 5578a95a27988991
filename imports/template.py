"""The template a region fills: the headers, one example row and, in the XLSX, a second
sheet that explains every column in Latvian and English."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .columns import COLUMNS

EXPLANATION_HEADERS = ("Kolonna / Column", "Virsraksts latviski", "Obligāta / Required",
                       "Skaidrojums", "Explanation")  # fmt: skip


def template_xlsx() -> bytes:
    """The data sheet (headers and the example row) and the explanation sheet."""
    workbook = Workbook()
    data = workbook.worksheets[0]
    data.title = "Dati"
    data.append([column.code for column in COLUMNS])
    data.append([column.example for column in COLUMNS])
    for cell in data[1]:
        cell.font = Font(bold=True)
    explanation = workbook.create_sheet("Skaidrojums - Explanation")
    explanation.append(EXPLANATION_HEADERS)
    for column in COLUMNS:
        required = "jā / yes" if column.required else ""
        explanation.append(
            [column.code, column.header_lv, required, column.help_lv, column.help_en]
        )
    for cell in explanation[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (20, 24, 14, 70, 70), strict=True):
        explanation.column_dimensions[letter].width = width
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def template_csv() -> bytes:
    """The headers and the example row as CSV in UTF-8 with a BOM (Excel opens it right)."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([column.code for column in COLUMNS])
    writer.writerow([column.example for column in COLUMNS])
    return output.getvalue().encode("utf-8-sig")
