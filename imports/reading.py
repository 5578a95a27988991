"""An uploaded file read into rows: XLSX (openpyxl in read-only mode) or CSV (UTF-8 with or
without BOM, UTF-16 with BOM, or Windows-1257; `,` or `;` as found in the header line).

`read_table` returns the header cells and the data rows; it raises FileProblem with a
message for the user when the file cannot be read at all."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000

FILE_UNREADABLE = _("The file could not be read as an XLSX workbook or a CSV text file.")
ENCODING_UNKNOWN = _(
    "The characters of the CSV file could not be read. Save it as CSV in UTF-8 (or "
    "Windows-1257) and upload it again."
)
FILE_EMPTY = _("The file has no header row.")
TOO_MANY_ROWS = _(
    "The file has more than %(limit)s rows. Split it into files of at most %(limit)s rows."
)


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why."""

    def __init__(self, message: Any, params: dict[str, Any] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.params = params or {}


def is_xlsx(content: bytes) -> bool:
    return content[:4] == b"PK\x03\x04"


def read_table(content: bytes) -> tuple[list[Any], list[list[Any]]]:
    """The header cells and the rows (at most MAX_ROWS) of an XLSX or CSV file."""
    rows = _xlsx_rows(content) if is_xlsx(content) else _csv_rows(content)
    header = next(rows, None)
    if header is None or not any(_filled(cell) for cell in header):
        raise FileProblem(FILE_EMPTY)
    data: list[list[Any]] = []
    for row in rows:
        if len(data) >= MAX_ROWS:
            raise FileProblem(TOO_MANY_ROWS, {"limit": MAX_ROWS})
        data.append(list(row))
    return list(header), data


def _filled(cell: Any) -> bool:
    return cell is not None and str(cell).strip() != ""


def _xlsx_rows(content: bytes) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileProblem(FILE_UNREADABLE) from error
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def decode_text(content: bytes) -> str:
    """The text of a CSV file: a BOM decides; else UTF-8, else Windows-1257."""
    if content.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1257"]
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise FileProblem(ENCODING_UNKNOWN)


def delimiter_of(header_line: str) -> str:
    """`;` when the header line has more of them than commas (Excel's CSV in Latvia)."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    text = decode_text(content)
    first_line = text.split("\n", 1)[0]
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(first_line))
    except csv.Error as error:
        raise FileProblem(FILE_UNREADABLE) from error
