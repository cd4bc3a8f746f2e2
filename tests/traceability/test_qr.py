import io
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image

from tests.factories import BatchFactory
from traceability import qr
from traceability.gs1 import InvalidGTIN
from traceability.links import digital_link_path

GTIN = "08930000000019"
SVG_NS = {"svg": "http://www.w3.org/2000/svg"}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://ocop.example"


def decode(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_qr_text_keeps_a_lower_case_scheme_and_host_that_every_reader_opens():
    text = qr.qr_text(gtin="8930000000019", lot="LOT-7/A")

    assert text == "https://ocop.example/01/08930000000019/10/LOT-7%2FA"


def test_qr_text_keeps_the_link_as_it_is_when_the_lot_has_lower_case_letters():
    text = qr.qr_text(gtin=GTIN, lot="lot7")

    assert text == "https://ocop.example/01/08930000000019/10/lot7"
    assert qr.make_qr(gtin=GTIN, lot="lot7").mode == "byte"


def test_symbol_is_a_small_qr_code_with_at_least_quartile_error_correction():
    symbol = qr.make_qr(gtin=GTIN, lot="LOT0001")

    assert symbol.is_micro is False
    assert symbol.version == 5
    assert symbol.error in {"Q", "H"}


def test_png_decodes_to_the_batch_digital_link():
    png = qr.render_png(gtin=GTIN, lot="LOT0001")

    (decoded,) = decode(png)
    parts = urlsplit(decoded)
    assert decoded == "https://ocop.example/01/08930000000019/10/LOT0001"
    assert (parts.scheme.lower(), parts.netloc.lower()) == ("https", "ocop.example")
    assert parts.path == digital_link_path(gtin=GTIN, lot="LOT0001")


def test_png_with_a_lower_case_lot_decodes_to_the_exact_link():
    png = qr.render_png(gtin=GTIN, lot="ab&c/1")

    assert decode(png) == ["https://ocop.example/01/08930000000019/10/ab%26c%2F1"]


def test_png_is_a_png_as_wide_as_the_symbol_with_room_for_text_beneath():
    symbol = qr.make_qr(gtin=GTIN, lot="LOT0001")

    png = qr.render_png(gtin=GTIN, lot="LOT0001", scale=10)

    image = Image.open(io.BytesIO(png))
    side = (symbol.symbol_size(scale=1, border=0)[0] + 2 * qr.QUIET_ZONE) * 10
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert image.width == side
    assert side + 50 < image.height < side + 120
    assert image.getextrema() == (0, 255)


def test_png_text_area_is_not_blank():
    png = qr.render_png(gtin=GTIN, lot="LOT0001", scale=10)

    image = Image.open(io.BytesIO(png))
    text_area = image.crop((0, image.width, image.width, image.height))
    assert text_area.getextrema()[0] < 100


def test_svg_shows_gtin_and_lot_beneath_and_names_the_link():
    svg = qr.render_svg(gtin="8930000000019", lot="A&B<1")

    root = ET.fromstring(svg)
    texts = [text.text for text in root.iterfind(".//svg:text", SVG_NS)]
    assert texts == ["(01) 08930000000019", "(10) A&B<1"]
    assert root.get("aria-label") == "https://ocop.example/01/08930000000019/10/A%26B%3C1"


def test_svg_path_draws_exactly_the_dark_modules_of_the_symbol():
    symbol = qr.make_qr(gtin=GTIN, lot="LOT0001")

    svg = qr.render_svg(gtin=GTIN, lot="LOT0001")

    path = ET.fromstring(svg).find("svg:path", SVG_NS).get("d")
    drawn = sum(int(length) for length in re.findall(r"h(\d+)v1", path))
    dark = sum(sum(1 for module in row if module) for row in symbol.matrix_iter(border=0))
    assert drawn == dark


def test_svg_is_sized_in_pixels_per_module():
    symbol = qr.make_qr(gtin=GTIN, lot="LOT0001")

    svg = qr.render_svg(gtin=GTIN, lot="LOT0001", scale=5)

    side = symbol.symbol_size(scale=1, border=qr.QUIET_ZONE)[0]
    assert ET.fromstring(svg).get("width") == str(side * 5)


def test_dark_runs_cover_each_row_of_the_matrix():
    symbol = qr.make_qr(gtin=GTIN, lot="LOT0001")
    rebuilt = [[0] * len(row) for row in symbol.matrix_iter(border=0)]

    for row, column, length in qr.dark_runs(symbol):
        for offset in range(length):
            rebuilt[row][column + offset] = 1

    assert rebuilt == [[int(bool(m)) for m in row] for row in symbol.matrix_iter(border=0)]


def test_a_wrong_check_digit_is_refused():
    with pytest.raises(InvalidGTIN):
        qr.render_svg(gtin="08930000000018", lot="LOT0001")


@pytest.mark.django_db
def test_batch_codes_encode_the_batch_variant_gtin_and_lot():
    batch = BatchFactory(lot_code="HN2025")

    svg = qr.batch_svg(batch=batch)
    png = qr.batch_png(batch=batch)

    assert b"(10) HN2025</text>" in svg
    assert decode(png) == [f"https://ocop.example/01/{batch.variant.gtin}/10/HN2025"]
