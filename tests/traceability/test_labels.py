import datetime
import io
import re
import unicodedata

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.utils import translation
from reportlab.pdfbase.ttfonts import TTFontFile

from shop.models import Batch, BatchStatus
from tests.factories import (
    BatchFactory,
    CooperativeFactory,
    ProductFactory,
    StaffFactory,
    UserFactory,
)
from traceability import fonts, labels, labelsheet, qr

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://ocop.example"


@pytest.fixture
def staff():
    return StaffFactory()


def batch_of(cooperative, **kwargs):
    product = kwargs.pop("product", None) or ProductFactory(cooperative=cooperative)
    return BatchFactory(variant__product=product, **kwargs)


def pages_text(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def build(staff, items, per_sheet=21, language="en"):
    return labels.build_label_sheet(
        items=items, per_sheet=per_sheet, language=language, requested_by_id=staff.pk
    )


@pytest.mark.parametrize(("per_sheet", "pages"), [(8, 3), (14, 2), (21, 1), (24, 1), (40, 1)])
def test_one_page_per_sheet_of_labels(staff, per_sheet, pages):
    first, second = batch_of(staff.cooperative), batch_of(staff.cooperative)

    pdf = build(staff, [(first.pk, 15), (second.pk, 6)], per_sheet=per_sheet)

    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == pages


def test_each_batch_gets_as_many_labels_as_asked_in_order(staff):
    first = batch_of(staff.cooperative, lot_code="FIRST01")
    second = batch_of(staff.cooperative, lot_code="SECOND02")

    pdf = build(staff, [(first.pk, 10), (second.pk, 3)], per_sheet=8)

    text = pages_text(pdf)
    assert [page.count("(10) FIRST01") for page in text] == [8, 2]
    assert [page.count("(10) SECOND02") for page in text] == [0, 3]


def test_label_shows_name_lot_best_before_gtin_and_stars_in_english(staff):
    product = ProductFactory(
        cooperative=staff.cooperative, name_en="Phu Quoc fish sauce", ocop_stars=4
    )
    batch = batch_of(
        staff.cooperative,
        product=product,
        lot_code="PQ2025",
        harvest_date=datetime.date(2025, 3, 1),
        packing_date=datetime.date(2025, 3, 10),
        best_before=datetime.date(2027, 11, 24),
    )

    (text,) = pages_text(build(staff, [(batch.pk, 1)]))

    assert "Phu Quoc fish sauce" in text
    assert "500 ml bottle" in text
    assert "Lot: PQ2025" in text
    assert re.search(r"Best before:? 24 Nov 2027", text)
    assert f"(01) {batch.variant.gtin} (10) PQ2025" in text
    assert "OCOP" in text


def test_vietnamese_name_and_date_round_trip_with_diacritics(staff):
    product = ProductFactory(cooperative=staff.cooperative, name_vi="Nước mắm Phú Quốc")
    batch = batch_of(
        staff.cooperative,
        product=product,
        harvest_date=datetime.date(2025, 3, 1),
        packing_date=datetime.date(2025, 3, 10),
        best_before=datetime.date(2027, 11, 24),
    )

    (text,) = pages_text(build(staff, [(batch.pk, 2)], language="vi"))

    assert text.count("Nước mắm Phú Quốc") == 2
    assert "Chai 500 ml" in text
    assert f"Lô: {batch.lot_code}" in text
    assert re.search(r"Hạn sử dụng:? 24/11/2027", text)


def test_vietnamese_refusals_are_translated(staff):
    with translation.override("vi"), pytest.raises(labels.InvalidLabelRequest) as refused:
        build(staff, [(1, 1001)], language="vi")

    assert str(refused.value) == "Mỗi lô hàng in từ 1 đến 1000 nhãn."


def test_a_decomposed_name_is_printed_precomposed(staff):
    name = unicodedata.normalize("NFD", "Trà Shan tuyết Hà Giang")
    product = ProductFactory(cooperative=staff.cooperative, name_vi=name)
    batch = batch_of(staff.cooperative, product=product)

    (text,) = pages_text(build(staff, [(batch.pk, 1)], language="vi"))

    assert "Trà Shan tuyết Hà Giang" in unicodedata.normalize("NFC", text)
    assert "\u0300" not in text


def test_a_lapsed_ocop_certificate_prints_no_stars(staff, today):
    product = ProductFactory(
        cooperative=staff.cooperative,
        ocop_certified_on=today - datetime.timedelta(days=1200),
        ocop_valid_until=today - datetime.timedelta(days=1),
    )
    batch = batch_of(staff.cooperative, product=product)

    (text,) = pages_text(build(staff, [(batch.pk, 1)]))

    assert "OCOP" not in text


def test_every_qr_code_on_the_sheet_scans_to_its_batch_link(staff):
    first, second = batch_of(staff.cooperative), batch_of(staff.cooperative)

    pdf = build(staff, [(first.pk, 30), (second.pk, 10)], per_sheet=40)

    page = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil()
    scanned = sorted(result.text for result in zxingcpp.read_barcodes(page))
    expected = [qr.qr_text(gtin=b.variant.gtin, lot=b.lot_code) for b in (first, second)]
    assert scanned == sorted([expected[0]] * 30 + [expected[1]] * 10)


def test_superuser_prints_any_cooperatives_batches():
    admin = UserFactory(is_staff=True, is_superuser=True)
    batch = batch_of(CooperativeFactory(), lot_code="ANY001")

    (text,) = pages_text(build(admin, [(batch.pk, 1)]))

    assert "Lot: ANY001" in text


def test_a_batch_named_twice_is_printed_once_with_both_counts():
    request = labels.validate_request(items=[(7, 3), (9, 1), (7, 2)], per_sheet=8, language="en")

    assert request.items == ((7, 5), (9, 1))
    assert (request.total, request.pages) == (6, 1)


@pytest.mark.parametrize(
    ("items", "per_sheet", "language"),
    [
        ([], 21, "en"),
        ([(1, 0)], 21, "en"),
        ([(1, 1001)], 21, "en"),
        ([(1, 600), (1, 401)], 21, "en"),
        ([(n, 1000) for n in range(1, 7)], 21, "en"),
        ([(1, True)], 21, "en"),
        ([("1", 2)], 21, "en"),
        ([(0, 2)], 21, "en"),
        ([(1, 2, 3)], 21, "en"),
        ([1], 21, "en"),
        ([(1, 2)], 10, "en"),
        ([(1, 2)], 21, "fr"),
    ],
)
def test_malformed_requests_are_refused_before_reading_anything(
    items, per_sheet, language, django_assert_num_queries
):
    with django_assert_num_queries(0), pytest.raises(labels.InvalidLabelRequest):
        labels.build_label_sheet(
            items=items, per_sheet=per_sheet, language=language, requested_by_id=1
        )


def test_more_than_the_synchronous_limit_is_refused_for_a_background_job(staff):
    batch = batch_of(staff.cooperative)

    with pytest.raises(labels.InvalidLabelRequest, match="background"):
        build(staff, [(batch.pk, labels.SYNC_MAX_LABELS + 1)])

    request = labels.validate_request(items=[(batch.pk, 201)], per_sheet=21, language="en")
    assert request.builds_in_background is True


def test_another_cooperatives_batch_is_not_found(staff):
    own, foreign = batch_of(staff.cooperative), batch_of(CooperativeFactory())

    with pytest.raises(labels.InvalidLabelRequest, match=f"Batch {foreign.pk} was not found"):
        build(staff, [(own.pk, 1), (foreign.pk, 1)])


def test_an_unknown_batch_is_not_found(staff):
    with pytest.raises(labels.InvalidLabelRequest, match="was not found"):
        build(staff, [(987654, 1)])


def test_a_recalled_batch_gets_no_labels(staff):
    batch = batch_of(staff.cooperative, lot_code="BAD001")
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RECALLED)

    with pytest.raises(labels.InvalidLabelRequest, match="BAD001 is recalled"):
        build(staff, [(batch.pk, 1)])


@pytest.mark.parametrize(
    "user_kwargs",
    [{}, {"is_staff": True}, {"is_staff": False, "cooperative": None}],
)
def test_only_cooperative_staff_and_superusers_print(user_kwargs):
    cooperative = CooperativeFactory()
    user = UserFactory(**user_kwargs)
    batch = batch_of(cooperative)

    with pytest.raises(labels.LabelPermissionDenied):
        build(user, [(batch.pk, 1)])


def test_inactive_staff_cannot_print():
    staff = StaffFactory(is_active=False)
    batch = batch_of(staff.cooperative)

    with pytest.raises(labels.LabelPermissionDenied):
        build(staff, [(batch.pk, 1)])


@pytest.mark.parametrize("batches", [1, 6])
def test_two_queries_whatever_the_number_of_batches(staff, batches, django_assert_num_queries):
    items = [(batch_of(staff.cooperative).pk, 2) for _ in range(batches)]

    with django_assert_num_queries(2):
        build(staff, items)


def test_sheet_drawing_reports_each_finished_page():
    face = labelsheet.LabelFace(
        name="Gốm Bát Tràng",
        variant="Bình hoa",
        gtin="08930000000019",
        lot="B1",
        lot_caption="Lot",
        best_before_caption="Best before",
        best_before="1 Feb 2030",
        stars=5,
    )
    seen = []

    labelsheet.draw_sheets(
        faces=[(face, 30)],
        layout=labelsheet.LAYOUTS[14],
        title="t",
        on_page=lambda done, total: seen.append((done, total)),
    )

    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_layouts_fit_on_a4_with_margins():
    for per_sheet, layout in labelsheet.LAYOUTS.items():
        width = 2 * layout.left + layout.columns * layout.label_width
        width += (layout.columns - 1) * layout.column_gap
        height = 2 * layout.top + layout.rows * layout.label_height
        assert layout.columns * layout.rows == per_sheet
        assert width == pytest.approx(210, abs=0.1)
        assert height == pytest.approx(297, abs=0.1)


@pytest.mark.parametrize("path", [fonts.REGULAR_PATH, fonts.BOLD_PATH])
def test_label_fonts_have_every_vietnamese_letter(path):
    vowels = "aăâeêioôơuưy"
    bases = vowels + "bcdđghklmnpqrstvx"
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    letters = {unicodedata.normalize("NFC", v + tone) for v in vowels for tone in tones}
    letters |= set(bases)
    letters |= {letter.upper() for letter in letters}

    cmap = TTFontFile(str(path)).charToGlyph

    assert len(letters) == 2 * (12 * 6 + 17)
    assert sorted(letter for letter in letters if ord(letter) not in cmap) == []


def test_a_refusal_speaks_the_users_language_not_the_labels(staff):
    batch = batch_of(staff.cooperative, lot_code="BAD002")
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RECALLED)

    with translation.override("en"), pytest.raises(labels.InvalidLabelRequest) as refused:
        build(staff, [(batch.pk, 1)], language="vi")

    assert str(refused.value) == "Batch BAD002 is recalled: no labels are printed for it."
