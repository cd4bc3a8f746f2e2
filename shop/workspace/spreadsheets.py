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
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from shop.search import fold

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
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


def _sheet(lines: Iterator[list[Cell]]) -> Sheet:
    try:
        headers = next(lines)
    except StopIteration:
        raise UnreadableFile(_("The file is empty.")) from None
    keys = [_column_key(header) for header in headers]
    missing = [c.header for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        raise UnreadableFile(
            _("These columns are missing: %(columns)s. Start from the template.")
            % {"columns": ", ".join(missing)}
        )
    rows = []
    for number, cells in enumerate(lines, start=2):
        if not any(str(cell).strip() for cell in cells if cell is not None):
            continue  # blank lines between batches are harmless
        if len(rows) == MAX_ROWS:
            raise UnreadableFile(_("At most %(max)d batches per file.") % {"max": MAX_ROWS})
        row = {key: cell for key, cell in zip(keys, cells, strict=False) if key}
        rows.append((number, row))
    if not rows:
        raise UnreadableFile(_("The file has no batches under its header."))
    return Sheet(rows)


def _csv_lines(data: bytes) -> Iterator[list[Cell]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(
            _("Save the CSV file as UTF-8 (Excel: “CSV UTF-8”) so Vietnamese letters survive.")
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    return iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_lines(data: bytes) -> Iterator[list[Cell]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile(_("This XLSX file cannot be opened.")) from None
    sheet = book.worksheets[0]
    return (list(row) for row in sheet.iter_rows(values_only=True))


def read_upload(*, name: str, data: bytes) -> Sheet:
    """The rows of an uploaded .csv or .xlsx file. Raises UnreadableFile."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(_("The file is larger than 2 MB."))
    lowered = name.lower()
    if lowered.endswith(".csv") or lowered.endswith(".txt"):
        return _sheet(_csv_lines(data))
    if lowered.endswith(".xlsx"):
        return _sheet(_xlsx_lines(data))
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
