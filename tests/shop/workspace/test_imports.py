"""Importing batches from CSV or XLSX: every row checked first, each row's problems
reported, all or nothing; Vietnamese letters survive the round trip."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from shop.models import Batch, StockMovement
from shop.workspace import imports, spreadsheets
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db

HEADER = "sku,lot_code,harvest_date,packing_date,best_before,quantity,village"


def csv_file(*lines, bom=False, header=HEADER, name="batches.csv"):
    text = "\r\n".join([header, *lines]) + "\r\n"
    data = text.encode("utf-8-sig" if bom else "utf-8")
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx_file(rows, name="batches.xlsx"):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=spreadsheets.XLSX_TYPE)


def upload(client, file):
    return client.post("/coop/import/", {"file": file})


@pytest.fixture
def dates(today):
    harvest = today - datetime.timedelta(days=10)
    return {
        "harvest": harvest.strftime("%d/%m/%Y"),
        "packing": (harvest + datetime.timedelta(days=2)).isoformat(),
        "best": (today + datetime.timedelta(days=365)).strftime("%d/%m/%Y"),
    }


def test_a_valid_csv_receives_every_batch_through_the_ledger(
    staff_client, staff, variant, coop, dates, today
):
    file = csv_file(
        f"NM-500,NM-A,{dates['harvest']},{dates['packing']},{dates['best']},120,Hàm Ninh",
        f"nm-500,NM-B,{dates['harvest']},,{dates['best']},30,",
    )

    response = upload(staff_client, file)

    assert response.status_code == 302
    assert response["Location"] == "/coop/batches/"
    batches = list(Batch.objects.order_by("lot_code"))
    assert [(b.lot_code, b.on_hand, b.village.name) for b in batches] == [
        ("NM-A", 120, "Hàm Ninh"),
        ("NM-B", 30, "Hàm Ninh"),
    ]
    assert batches[0].harvest_date == today - datetime.timedelta(days=10)
    assert batches[0].packing_date == today - datetime.timedelta(days=8)
    assert batches[1].packing_date == batches[1].harvest_date
    assert list(StockMovement.objects.order_by("pk").values_list("kind", "quantity", "actor")) == [
        ("received", 120, staff.pk),
        ("received", 30, staff.pk),
    ]


def test_one_bad_row_imports_nothing_and_the_report_names_each_rows_problems(
    staff_client, variant, batch, other_variant, dates
):
    file = csv_file(
        f"NM-500,NM-OK,{dates['harvest']},,{dates['best']},10,",  # fine
        f"NOPE-1,NM-X,{dates['harvest']},,{dates['best']},10,",  # unknown SKU
        f"TEA-100,NM-Y,{dates['harvest']},,{dates['best']},10,",  # another cooperative's
        f"NM-500,NM-Z,31/02/2025,,{dates['best']},10,",  # no such date
        f"NM-500,NMPQ-1,{dates['harvest']},,{dates['best']},10,",  # lot already in stock
        f"NM-500,NM-OK,{dates['harvest']},,{dates['best']},10,",  # lot twice in the file
        f"NM-500,NM-Q,{dates['harvest']},,{dates['best']},1.5,",  # not a whole number
        f"NM-500,NM-V,{dates['harvest']},,{dates['best']},10,Làng Không Có",  # unknown village
        f"NM-500,NM-D,{dates['harvest']},,01/01/2020,10,",  # best-before passed, before packing
    )

    response = upload(staff_client, file)

    assert response.status_code == 400
    report = response.context["report"]
    problems = {row.number: row.errors for row in report.rows}
    assert problems[2] == []
    assert problems[3] == ["SKU: “NOPE-1” không phải sản phẩm của bạn."]
    assert problems[4] == ["SKU: “TEA-100” không phải sản phẩm của bạn."]
    assert len(problems[5]) == 1 and "31/02/2025" in problems[5][0]
    assert len(problems[6]) == 1 and "NMPQ-1" in problems[6][0]
    assert len(problems[7]) == 1 and "NM-OK" in problems[7][0]
    assert len(problems[8]) == 1 and "1.5" in problems[8][0]
    assert len(problems[9]) == 1 and "Làng Không Có" in problems[9][0]
    assert len(problems[10]) == 2
    assert Batch.objects.count() == 1  # the batch that was there before
    assert StockMovement.objects.count() == 1
    html = response.content.decode()
    assert "8 dòng có lỗi. Chưa nhập lô nào." in html


def test_an_error_found_while_writing_rolls_back_every_batch(
    staff_client, variant, dates, monkeypatch
):
    from shop import inventory

    real = inventory.receive_batch
    calls = []

    def second_fails(**kwargs):
        calls.append(kwargs["lot_code"])
        if len(calls) == 2:
            raise inventory.InvalidMovement("refused")
        return real(**kwargs)

    monkeypatch.setattr(inventory, "receive_batch", second_fails)
    file = csv_file(
        f"NM-500,NM-1,{dates['harvest']},,{dates['best']},10,",
        f"NM-500,NM-2,{dates['harvest']},,{dates['best']},10,",
    )

    response = upload(staff_client, file)

    assert response.status_code == 400
    assert response.context["report"].rows[1].errors == ["refused"]
    assert Batch.objects.count() == 0
    assert StockMovement.objects.count() == 0


@pytest.mark.parametrize("bom", [True, False], ids=["with-bom", "without-bom"])
def test_vietnamese_village_names_survive_utf8_csv_with_or_without_a_bom(
    staff_client, variant, coop, dates, bom
):
    VillageFactory(name="Làng Đông Hồ", province=coop.province)
    file = csv_file(f"NM-500,NM-VN,{dates['harvest']},,{dates['best']},5,Làng Đông Hồ", bom=bom)

    response = upload(staff_client, file)

    assert response.status_code == 302
    assert Batch.objects.get().village.name == "Làng Đông Hồ"


def test_a_csv_that_is_not_utf8_is_refused_with_a_hint(staff_client, variant, dates):
    data = f"{HEADER}\r\nNM-500,NM-1,{dates['harvest']},,{dates['best']},5,Hàm Ninh\r\n"
    file = SimpleUploadedFile("b.csv", data.encode("cp1258", errors="replace"))

    response = upload(staff_client, file)

    assert response.status_code == 400
    assert "UTF-8" in str(response.context["form"].errors["file"])
    assert Batch.objects.count() == 0


def test_semicolons_and_bilingual_headers_from_the_template_are_understood(
    staff_client, variant, dates
):
    header = ";".join(column.header for column in spreadsheets.COLUMNS)
    file = csv_file(f"NM-500;;{dates['harvest']};;{dates['best']};7;", header=header)

    response = upload(staff_client, file)

    assert response.status_code == 302
    batch = Batch.objects.get()
    assert batch.on_hand == 7
    assert batch.lot_code.startswith("NMPQ-")


def test_an_xlsx_with_date_cells_and_number_cells_is_imported(staff_client, variant, today):
    harvest = datetime.datetime.combine(today - datetime.timedelta(days=3), datetime.time())
    best = datetime.datetime.combine(today + datetime.timedelta(days=300), datetime.time())
    file = xlsx_file(
        [
            [column.header for column in spreadsheets.COLUMNS],
            ["NM-500", "XL-1", harvest, None, best, 12, "Hàm Ninh"],
            [None, None, None, None, None, None, None],
            ["NM-500", "XL-2", harvest, harvest, best, 8.0, None],
        ]
    )

    response = upload(staff_client, file)

    assert response.status_code == 302
    assert list(Batch.objects.order_by("lot_code").values_list("lot_code", "on_hand")) == [
        ("XL-1", 12),
        ("XL-2", 8),
    ]


@pytest.mark.parametrize(
    "file, message",
    [
        (SimpleUploadedFile("b.pdf", b"%PDF"), "Hãy gửi tệp .csv hoặc .xlsx."),
        (SimpleUploadedFile("b.xlsx", b"not a zip"), "Không mở được tệp XLSX này."),
        (SimpleUploadedFile("b.csv", b"sku,quantity\r\nNM-500,3\r\n"), "Thiếu các cột"),
        (SimpleUploadedFile("b.csv", HEADER.encode() + b"\r\n"), "Tệp không có lô nào"),
        (SimpleUploadedFile("b.csv", b""), "Tệp trống"),
    ],
    ids=["pdf", "broken-xlsx", "missing-columns", "header-only", "empty"],
)
def test_files_that_cannot_be_read_are_refused_with_a_clear_message(
    staff_client, variant, file, message
):
    response = upload(staff_client, file)

    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert message in response.content.decode()
    assert Batch.objects.count() == 0


def test_more_than_a_thousand_rows_are_refused(variant, dates):
    lines = [f"NM-500,L{n},{dates['harvest']},,{dates['best']},1," for n in range(1001)]
    data = "\r\n".join([HEADER, *lines]).encode()

    with pytest.raises(spreadsheets.UnreadableFile):
        spreadsheets.read_upload(name="big.csv", stream=io.BytesIO(data))


def test_the_csv_template_has_bilingual_headers_and_a_bom(staff_client):
    response = staff_client.get("/coop/import/template.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="ocop-batches.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = response.content.decode("utf-8-sig").strip()
    assert header == (
        "Mã SKU / sku,Mã lô / lot_code,Ngày thu hoạch / harvest_date,"
        "Ngày đóng gói / packing_date,Hạn sử dụng / best_before,Số lượng / quantity,Làng / village"
    )


def test_the_xlsx_template_opens_with_the_same_headers_and_a_help_sheet(staff_client):
    response = staff_client.get("/coop/import/template.xlsx")

    book = load_workbook(io.BytesIO(response.content))
    assert response["Content-Type"] == spreadsheets.XLSX_TYPE
    assert [cell.value for cell in book["Batches"][1]] == [c.header for c in spreadsheets.COLUMNS]
    assert book["Batches"].max_row == 1
    assert book["Help"]["A2"].value == "Mã SKU / sku"


def test_a_template_filled_in_and_sent_back_round_trips(staff_client, variant, coop, dates):
    VillageFactory(name="Làng Đông Hồ", province=coop.province)
    template = staff_client.get("/coop/import/template.csv").content.decode("utf-8-sig")
    filled = template + f"NM-500,TRIP-1,{dates['harvest']},,{dates['best']},9,Làng Đông Hồ\r\n"

    response = upload(staff_client, SimpleUploadedFile("mine.csv", filled.encode("utf-8-sig")))

    assert response.status_code == 302
    assert Batch.objects.get().village.name == "Làng Đông Hồ"


def test_an_unknown_template_format_is_404(staff_client):
    assert staff_client.get("/coop/import/template.ods").status_code == 404


def test_the_service_refuses_without_writing_when_a_row_is_bad(staff, variant, coop, dates):
    sheet = spreadsheets.Sheet(
        rows=[
            (
                2,
                {
                    "sku": "NM-500",
                    "harvest_date": dates["harvest"],
                    "best_before": dates["best"],
                    "quantity": "3",
                },
            ),
            (
                3,
                {
                    "sku": "NM-500",
                    "harvest_date": "",
                    "best_before": dates["best"],
                    "quantity": "0",
                },
            ),
        ]
    )

    with pytest.raises(imports.ImportRejected) as rejected:
        imports.import_batches(cooperative_id=coop.pk, sheet=sheet, actor=staff)

    assert [row.number for row in rejected.value.report.error_rows] == [3]
    assert len(rejected.value.report.rows[1].errors) == 2
    assert Batch.objects.count() == 0


def test_the_error_page_quotes_a_long_cell_only_as_a_short_excerpt(staff_client, variant, dates):
    long_sku = "S" * 30_000
    file = csv_file(f"{long_sku},NM-A,{dates['harvest']},,{dates['best']},1,")

    response = upload(staff_client, file)

    assert response.status_code == 400
    page = response.content.decode()
    assert "S" * 80 + "…" in page
    assert "S" * 81 not in page
    assert len(page) < 30_000
    assert Batch.objects.count() == 0
