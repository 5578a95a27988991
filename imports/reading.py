"""An uploaded file read into rows: XLSX (openpyxl in read-only mode) or CSV (UTF-8 with or
without BOM, UTF-16 with BOM, or Windows-1257; `,` or `;` as found in the header line).

`read_table` returns the header cells and the data rows; it raises FileProblem with a
message for the user when the file cannot be read at all."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
# What a workbook may unpack to: a 20,000-row history is some 30 MB of sheet XML; a file that
# says it unpacks to more (a zip bomb, a cell of 100 MB) is refused before openpyxl opens it.
MAX_UNPACKED_BYTES = 80 * 1024 * 1024
# Columns read past the header's last filled cell: a sheet that declares 16,384 columns is
# read no wider than this (unknown columns are still checked for portal references).
EXTRA_COLUMNS = 10

FILE_UNREADABLE = _("The file could not be read as an XLSX workbook or a CSV text file.")
ENCODING_UNKNOWN = _(
    "The characters of the CSV file could not be read. Save it as CSV in UTF-8 (or "
    "Windows-1257) and upload it again."
)
FILE_EMPTY = _("The file has no header row.")
FILE_TOO_BIG_UNPACKED = _(
    "The workbook unpacks to more than %(limit)s MB. Save only the sheet with the history, "
    "without pictures or other sheets, or save it as CSV."
)
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


# What a damaged workbook raises from openpyxl, its XML parser or zlib.
BROKEN_WORKBOOK = (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, SyntaxError,
                   IndexError, TypeError, zlib.error)  # fmt: skip


def _unpacked_size_check(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise FileProblem(FILE_UNREADABLE) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(FILE_TOO_BIG_UNPACKED, {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)})


def _xlsx_rows(content: bytes) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    _unpacked_size_check(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except BROKEN_WORKBOOK as error:
        raise FileProblem(FILE_UNREADABLE) from error
    try:
        sheet = workbook.worksheets[0]
        header = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if header is None:
            return
        filled = [index for index, cell in enumerate(header) if _filled(cell)]
        width = (filled[-1] + 1 if filled else 1) + EXTRA_COLUMNS
        yield header[:width]
        # Read no wider than the header, whatever width the sheet declares.
        yield from sheet.iter_rows(min_row=2, max_col=width, values_only=True)
    except BROKEN_WORKBOOK as error:
        raise FileProblem(FILE_UNREADABLE) from error
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
