"""The batch import's files: the downloadable template (CSV and XLSX) and reading an uploaded
file back into rows of cells.

Headers are bilingual ("Mã lô / lot_code"); a column is recognised by its English key or
its Vietnamese name, with or without diacritics, in any order. CSV is read as UTF-8 with or
without a byte-order mark (Excel writes one) and written with one, so Vietnamese names
survive a round trip through Excel; the delimiter may be a comma, a semicolon or a tab.
"""

import csv
import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from shop.search import fold

MAX_FILE_BYTES = 2 * 1024 * 1024
# What a workbook may unpack to: its sheet, shared strings and styles, all together.
MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
MAX_ZIP_MEMBERS = 100
MAX_ROWS = 1000
MAX_COLUMNS = 30
# A full file is 1,001 rows of 7 cells; styled empty cells and the help sheet fit too.
MAX_CELLS = 20_000
_COUNTED_TAG = re.compile(rb"<(?:\w{1,20}:)?(?:c|si)[\s>/]")
_TAG_OVERLAP = 32
CELL_EXCERPT = 80
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    vietnamese: str
    required: bool
    help: str

    @property
    def header(self) -> str:
        return f"{self.vietnamese} / {self.key}"


COLUMNS = (
    Column("sku", "Mã SKU", True, gettext_lazy("Your product's SKU, e.g. NM-500")),
    Column("lot_code", "Mã lô", False, gettext_lazy("Empty: a lot code is suggested")),
    Column(
        "harvest_date", "Ngày thu hoạch", True, gettext_lazy("Day/month/year or year-month-day")
    ),
    Column("packing_date", "Ngày đóng gói", False, gettext_lazy("Empty: the harvest date")),
    Column("best_before", "Hạn sử dụng", True, gettext_lazy("Day/month/year or year-month-day")),
    Column("quantity", "Số lượng", True, gettext_lazy("Whole units, e.g. 120")),
    Column("village", "Làng", False, gettext_lazy("Empty: your cooperative's village")),
)
KEYS = {column.key for column in COLUMNS}
EXAMPLE = ("NM-500", "NMPQ-250305", "05/03/2025", "10/03/2025", "10/03/2027", "120", "Hàm Ninh")


class UnreadableFile(ValueError):
    """The upload is not a CSV or XLSX file this import can read; nothing was imported."""


Cell = str | int | float | datetime.date | datetime.datetime | None


@dataclass(frozen=True)
class Sheet:
    """An uploaded file's rows as {column key: cell}, each with its row number in the file."""

    rows: list[tuple[int, dict[str, Cell]]]


def _column_key(header: Cell) -> str | None:
    text = str(header or "").strip()
    names = {fold(part) for part in text.replace("(", "/").replace(")", "/").split("/")}
    for column in COLUMNS:
        if column.key in names or fold(column.vietnamese) in names:
            return column.key
    return None


def excerpt(cell: Cell) -> Cell:
    """A text cell cut to CELL_EXCERPT characters and an ellipsis; other cells as they are.

    No column's value is that long, so a cut cell is still reported as a problem, and a
    page quoting it stays short whatever was in the file."""
    if isinstance(cell, str) and len(cell) > CELL_EXCERPT:
        return cell[:CELL_EXCERPT] + "…"
    return cell


def _sheet(lines: Iterator[list[Cell]]) -> Sheet:
    try:
        headers = next(lines)
    except StopIteration:
        raise UnreadableFile(_("The file is empty.")) from None
    keys = [_column_key(header) for header in headers[:MAX_COLUMNS]]
    missing = [c.header for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        raise UnreadableFile(
            _("These columns are missing: %(columns)s. Start from the template.")
            % {"columns": ", ".join(missing)}
        )
    rows = []
    for number, cells in enumerate(lines, start=2):
        # Blank rows count too: a sheet of a million empty rows is refused, not walked.
        if number - 1 > MAX_ROWS:
            raise UnreadableFile(_("At most %(max)d rows per file.") % {"max": MAX_ROWS})
        if not any(str(cell).strip() for cell in cells if cell is not None):
            continue  # blank lines between batches are harmless
        row = {key: excerpt(cell) for key, cell in zip(keys, cells, strict=False) if key}
        rows.append((number, row))
    if not rows:
        raise UnreadableFile(_("The file has no batches under its header."))
    return Sheet(rows)


class _Bounded(io.RawIOBase):
    """A binary stream that raises UnreadableFile once more than `limit` bytes were read.

    It never asks the underlying stream for more than `limit + 1` bytes in all, so a huge
    upload is refused after reading just past the limit, not after reading it whole."""

    def __init__(self, stream: BinaryIO, limit: int):
        self._stream, self._limit, self.consumed = stream, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._stream.read(min(len(buffer), self._limit + 1 - self.consumed))
        self.consumed += len(chunk)
        if self.consumed > self._limit:
            raise UnreadableFile(_("The file is larger than 2 MB."))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _decoded(lines: Iterator[list[Cell]]) -> Iterator[list[Cell]]:
    try:
        yield from lines
    except UnicodeDecodeError:
        raise UnreadableFile(
            _("Save the CSV file as UTF-8 (Excel: “CSV UTF-8”) so Vietnamese letters survive.")
        ) from None
    except csv.Error:
        raise UnreadableFile(_("This CSV file cannot be read.")) from None


def _csv_lines(stream: BinaryIO) -> Iterator[list[Cell]]:
    text = io.TextIOWrapper(
        io.BufferedReader(_Bounded(stream, MAX_FILE_BYTES)), encoding="utf-8-sig", newline=""
    )

    def lines() -> Iterator[list[Cell]]:
        first = text.readline()
        delimiter = max((",", ";", "\t"), key=first.count)
        yield from csv.reader(itertools.chain([first], text), delimiter=delimiter)

    return _decoded(lines())


def _count_elements(archive: zipfile.ZipFile, name: str) -> int:
    """How many cells (<c>) or shared strings (<si>) a part holds, by scanning its bytes.

    A plain scan of the inflated bytes, a chunk at a time, keeping a short overlap so a tag
    split between chunks is counted once: far cheaper than openpyxl building each cell."""
    count, carry = 0, b""
    with archive.open(name) as part:
        while chunk := part.read(64 * 1024):
            buffer = carry + chunk
            limit = len(buffer) - _TAG_OVERLAP
            count += sum(1 for tag in _COUNTED_TAG.finditer(buffer) if tag.start() < limit)
            carry = buffer[limit:]
    return count + len(_COUNTED_TAG.findall(carry))


def _check_zip(data: bytes) -> None:
    """Refuse a workbook that unpacks to more than MAX_UNCOMPRESSED_BYTES or holds more than
    MAX_CELLS cells or shared strings, before openpyxl parses any of it.

    The size check reads only the zip's directory: zipfile never inflates a member past its
    declared size, so the declared total bounds what parsing can unpack. openpyxl builds a
    whole row (and every shared string) at once, so the cells are counted beforehand."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > (
                MAX_UNCOMPRESSED_BYTES
            ):
                raise UnreadableFile(
                    _("This XLSX file unpacks to more than 10 MB; save only the batches sheet.")
                )
            for member in members:
                name = member.filename
                counted = name == "xl/sharedStrings.xml" or (
                    name.startswith("xl/worksheets/") and name.endswith(".xml")
                )
                if counted and _count_elements(archive, name) > MAX_CELLS:
                    raise UnreadableFile(
                        _("This XLSX file has more than %(max)d cells; save only the batches.")
                        % {"max": MAX_CELLS}
                    )
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile(_("This XLSX file cannot be opened.")) from None


def _xlsx_lines(stream: BinaryIO) -> Iterator[list[Cell]]:
    data = _Bounded(stream, MAX_FILE_BYTES).readall()
    _check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile(_("This XLSX file cannot be opened.")) from None
    sheet = book.worksheets[0]
    # Bounded columns and rows: a sheet claiming cell XFD1048576 is not padded out.
    rows = sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS, values_only=True)
    return (list(row) for row in rows)


def read_upload(*, name: str, stream: BinaryIO) -> Sheet:
    """The rows of an uploaded .csv or .xlsx file, read from `stream`. Raises UnreadableFile.

    Bounds: MAX_FILE_BYTES read (checked while reading), MAX_UNCOMPRESSED_BYTES unpacked
    from a workbook and MAX_CELLS cells in it, MAX_ROWS rows after the header (blank ones
    too), MAX_COLUMNS columns, cells cut to CELL_EXCERPT characters."""
    lowered = name.lower()
    if lowered.endswith(".csv") or lowered.endswith(".txt"):
        return _sheet(_csv_lines(stream))
    if lowered.endswith(".xlsx"):
        return _sheet(_xlsx_lines(stream))
    raise UnreadableFile(_("Upload a .csv or .xlsx file."))


def template_csv() -> bytes:
    """The CSV template: the bilingual header row, UTF-8 with a BOM for Excel.

    No example row: one left in by mistake would be imported as a real batch. The import
    page shows the example instead."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow([column.header for column in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """The XLSX template: the bilingual header row, and a second sheet explaining each column
    with an example (kept off the first sheet, which is imported)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Batches"
    sheet.append([column.header for column in COLUMNS])
    for letter, column in zip("ABCDEFG", COLUMNS, strict=True):
        sheet.column_dimensions[letter].width = max(16, len(column.header) + 2)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("Help")
    notes.append([_("Column"), _("Required"), _("What to write"), _("Example")])
    for column, example in zip(COLUMNS, EXAMPLE, strict=True):
        required = _("yes") if column.required else _("no")
        notes.append([column.header, required, str(column.help), example])
    for letter, width in zip("ABCD", (30, 10, 50, 16), strict=True):
        notes.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
