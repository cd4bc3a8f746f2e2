"""Reading an import file is bounded: bytes read, bytes a workbook unpacks to, rows (blank
ones too), columns, and the length of any cell quoted back on the page."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from shop.workspace import spreadsheets

HEADER = "sku,lot_code,harvest_date,packing_date,best_before,quantity,village"


class LazyCSV(io.RawIOBase):
    """A CSV upload of `size` bytes, made up as it is read; counts the bytes handed out."""

    def __init__(self, size: int):
        self.size, self.served = size, 0
        # Wide rows: the byte limit, not the row limit, is what stops this file.
        self.line = b"NM-500,L1,05/03/2025,,05/03/2027,1," + b"x" * 4000 + b"\r\n"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.served == 0:
            chunk = (HEADER + "\r\n").encode()
        else:
            want = min(len(buffer), self.size - self.served)
            chunk = (self.line * (want // len(self.line) + 1))[:want]
        chunk = chunk[: len(buffer)]
        buffer[: len(chunk)] = chunk
        self.served += len(chunk)
        return len(chunk)


def xlsx_bomb(shared_strings_bytes: int) -> bytes:
    """A valid workbook whose sharedStrings part unpacks to `shared_strings_bytes`."""
    book = Workbook()
    book.active.append([c.header for c in spreadsheets.COLUMNS])
    book.active.append(["NM-500", "L1", "05/03/2025", None, "05/03/2027", 1, None])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for member in source.infolist():
            if member.filename != "xl/sharedStrings.xml":
                bomb.writestr(member, source.read(member))
        with bomb.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            strings.write(b"<si><t>")
            block = b"A" * 1024 * 1024
            for _ in range(shared_strings_bytes // len(block)):
                strings.write(block)
            strings.write(b"</t></si></sst>")
    return out.getvalue()


def test_an_xlsx_bomb_is_refused_from_its_zip_directory_before_any_parsing(monkeypatch):
    bomb = xlsx_bomb(150 * 1024 * 1024)
    assert len(bomb) < 400_000  # 150 MB of shared strings in a few hundred kB

    def must_not_parse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(spreadsheets, "load_workbook", must_not_parse)

    with pytest.raises(spreadsheets.UnreadableFile, match="more than 10 MB"):
        spreadsheets.read_upload(name="bomb.xlsx", stream=io.BytesIO(bomb))


def test_a_workbook_under_the_unpacked_limit_is_still_read():
    sheet = spreadsheets.read_upload(name="ok.xlsx", stream=io.BytesIO(xlsx_bomb(0)))

    assert [number for number, _ in sheet.rows] == [2]


def test_a_fifty_megabyte_csv_is_refused_after_reading_just_past_the_limit():
    upload = LazyCSV(50 * 1024 * 1024)

    with pytest.raises(spreadsheets.UnreadableFile, match="larger than 2 MB"):
        spreadsheets.read_upload(name="big.csv", stream=upload)

    assert upload.served == spreadsheets.MAX_FILE_BYTES + 1


def test_blank_rows_count_toward_the_row_limit_in_a_csv():
    text = HEADER + "\r\n" + ",,,,,,\r\n" * 1000 + "NM-500,L1,05/03/2025,,05/03/2027,1,\r\n"

    with pytest.raises(spreadsheets.UnreadableFile, match="1000"):
        spreadsheets.read_upload(name="b.csv", stream=io.BytesIO(text.encode()))


def test_a_workbook_with_a_cell_at_its_last_row_is_refused_at_the_row_limit(monkeypatch):
    book = Workbook()
    book.active.append([c.header for c in spreadsheets.COLUMNS])
    book.active["A1048576"] = "NM-500"
    book.active["XFD2"] = "far right"
    out = io.BytesIO()
    book.save(out)
    seen = []
    sheet_rows = spreadsheets._sheet

    def counting(lines):
        def counted():
            for line in lines:
                seen.append(len(line))
                yield line

        return sheet_rows(counted())

    monkeypatch.setattr(spreadsheets, "_sheet", counting)

    with pytest.raises(spreadsheets.UnreadableFile, match="1000"):
        spreadsheets.read_upload(name="far.xlsx", stream=io.BytesIO(out.getvalue()))

    assert len(seen) == spreadsheets.MAX_ROWS + 2  # the header and one row past the limit
    assert max(seen) == spreadsheets.MAX_COLUMNS


def test_a_long_cell_is_kept_only_as_a_short_excerpt():
    text = HEADER + "\r\n" + "S" * 30_000 + ",L1,05/03/2025,,05/03/2027,1,\r\n"

    sheet = spreadsheets.read_upload(name="b.csv", stream=io.BytesIO(text.encode()))

    (_, row) = sheet.rows[0]
    assert row["sku"] == "S" * 80 + "…"


def sheet_part(cells: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(b'<worksheet><sheetData><row r="1">')
            for _ in range(cells):
                part.write(b'<c t="n"><v>1</v></c>')
            part.write(b"</row></sheetData></worksheet>")
    return out.getvalue()


def test_cells_are_counted_exactly_across_read_chunks():
    with zipfile.ZipFile(io.BytesIO(sheet_part(12_345))) as archive:
        assert spreadsheets._count_elements(archive, "xl/worksheets/sheet1.xml") == 12_345


def test_a_row_of_too_many_cells_is_refused_before_openpyxl_builds_it(monkeypatch):
    book = Workbook()
    book.active.append(["sku"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as wide:
        for member in source.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                wide.writestr(member, source.read(member))
        wide.writestr(
            "xl/worksheets/sheet1.xml",
            zipfile.ZipFile(io.BytesIO(sheet_part(spreadsheets.MAX_CELLS + 1))).read(
                "xl/worksheets/sheet1.xml"
            ),
        )

    def must_not_parse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(spreadsheets, "load_workbook", must_not_parse)

    with pytest.raises(spreadsheets.UnreadableFile, match="more than 20000 cells"):
        spreadsheets.read_upload(name="wide.xlsx", stream=io.BytesIO(out.getvalue()))
