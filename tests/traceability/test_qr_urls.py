"""Public QR images of a lot: /trace/qr/<gtin>/<lot>.svg and .png hold its Digital Link
(the payload of traceability.qr), are cacheable, answer 404 for a lot the shop has not
published and a friendly 400 for a code that is not a GTIN or lot; the trace page links
to both."""

import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from tests.factories import BatchFactory
from traceability import qr
from traceability.links import digital_link, digital_link_path

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://ocop.example"


@pytest.fixture
def batch():
    return BatchFactory(lot_code="HN.25/7")


def qr_url(batch, kind: str) -> str:
    return reverse(
        "traceability:qr", kwargs={"gtin": batch.variant.gtin, "lot": batch.lot_code, "kind": kind}
    )


def decode(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_png_holds_the_lots_digital_link(client, batch):
    response = client.get(qr_url(batch, "png"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == qr.render_png(gtin=batch.variant.gtin, lot=batch.lot_code)
    assert decode(response.content) == [
        f"https://ocop.example/01/{batch.variant.gtin}/10/HN.25%2F7"
    ]


def test_the_svg_is_the_same_code_labelled_with_its_link(client, batch):
    response = client.get(qr_url(batch, "svg"))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == qr.render_svg(gtin=batch.variant.gtin, lot=batch.lot_code)
    link = digital_link(gtin=batch.variant.gtin, lot=batch.lot_code)
    assert f'aria-label="{link}"'.encode() in response.content
    assert response["Content-Disposition"] == (
        f'inline; filename="qr-{batch.variant.gtin}-HN_25_7.svg"'
    )


def test_the_url_is_under_trace_with_the_lot_percent_encoded(batch):
    assert qr_url(batch, "svg") == f"/trace/qr/{batch.variant.gtin}/HN.25/7.svg"
    assert qr_url(BatchFactory(lot_code="A%B"), "png").endswith("/A%25B.png")


def test_images_are_public_for_a_day_and_revalidated_by_etag(client, batch):
    first = client.get(qr_url(batch, "png"))

    again = client.get(qr_url(batch, "png"), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Cache-Control"] == "public, max-age=86400"
    assert again.status_code == 304
    assert again.content == b""


def test_a_gtin_13_finds_the_same_lot(client, batch):
    url = f"/trace/qr/{batch.variant.gtin.lstrip('0')}/HN.25/7.svg"

    response = client.get(url)

    assert response.status_code == 200


def test_an_unknown_lot_of_a_known_gtin_is_the_shops_404_page(client, batch):
    response = client.get(f"/trace/qr/{batch.variant.gtin}/NOSUCHLOT.svg")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]


def test_a_lot_of_an_unpublished_product_is_404(client, batch):
    product = batch.variant.product
    product.is_published = False
    product.save()

    assert client.get(qr_url(batch, "png")).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/trace/qr/08930000000018/LOT1.svg",  # wrong check digit
        "/trace/qr/not-a-gtin/LOT1.png",
        "/trace/qr/08930000000019/" + "L" * 21 + ".svg",  # longer than GS1 allows
        "/trace/qr/08930000000019/LOT%201.svg",  # a space is not in GS1's character set
    ],
)
def test_a_code_that_is_not_a_gtin_and_lot_is_a_friendly_400(client, path):
    response = client.get(path)

    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()


def test_only_safe_methods_answer(client, batch):
    assert client.head(qr_url(batch, "svg")).status_code == 200
    assert client.post(qr_url(batch, "svg")).status_code == 405


def test_the_trace_page_links_to_both_images(client, batch):
    html = client.get(digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)).content

    text = html.decode()
    assert f'href="{qr_url(batch, "svg")}"' in text
    assert f'href="{qr_url(batch, "png")}"' in text
