"""The gift card (issue 16 part 1): an A6 PDF in the receiver's language with the message,
the signature and a QR code of the gift page, in each shipment's packing documents."""

import io

import pypdf
import pytest
from django.urls import reverse
from reportlab.lib.pagesizes import A6

from shop.fulfilment import gift_card
from shop.models import Batch, Shipment
from shop.models.gifts import Gift
from tests.factories import StaffFactory, UserFactory
from tests.shop.gift_data import gift_order

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _box_cooperative():
    return Batch.objects.get(lot_code="BOX1").variant.product.cooperative


def test_the_card_is_one_a6_page_with_the_message_and_signature_and_nothing_of_the_order():
    order, gift = gift_order(extra=1)

    content = gift_card.render(gift=gift, address="https://shop.example/gift/abc/")

    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (round(A6[0]), round(A6[1]))
    text = pdf_text(content)
    assert "Chúc mừng năm mới, Anna! Thương nhiều." in text.replace("\n", " ")
    assert "Oma Jane" in text
    for secret in (order.number, str(order.total), "Hauptstraße", "anna@example.de", "USD"):
        assert secret not in text


def test_the_qr_code_holds_the_gift_pages_absolute_address(monkeypatch, settings):
    settings.SITE_URL = "https://shop.example"
    settings.SITE_URL_FROM_REQUEST = False
    _order, gift = gift_order(extra=0)
    seen = []
    make = gift_card.segno.make_qr
    monkeypatch.setattr(
        gift_card.segno,
        "make_qr",
        lambda content, **kw: seen.append(content) or make(content, **kw),
    )

    gift_card.render(gift=gift)

    assert seen == [f"https://shop.example/gift/{gift.token}/"]


def test_a_japanese_card_keeps_japanese_and_latin_text():
    gift = Gift(
        message="お誕生日おめでとう！ Alles Gute, Anna.", signature="おばあちゃん", language="ja"
    )

    text = pdf_text(gift_card.render(gift=gift, address="https://shop.example/gift/t/"))

    flat = text.replace("\n", "")
    assert "お誕生日おめでとう！" in flat
    assert "Alles Gute, Anna." in text
    assert "おばあちゃん" in text


def test_a_long_message_wraps_and_stays_on_the_page():
    gift = Gift(message="Lorem ipsum dolor sit amet " * 11, signature="A", language="vi")

    text = pdf_text(gift_card.render(gift=gift, address="https://shop.example/gift/x/"))

    assert " ".join(text.split()).count("Lorem ipsum") == 11


def test_staff_print_the_card_from_the_order_page_and_packing_slip(client):
    order, gift = gift_order(extra=0)
    client.force_login(StaffFactory(cooperative=_box_cooperative()))
    link = reverse("coop:gift_card", args=[order.number])

    page = client.get(reverse("coop:order", args=[order.number])).content.decode()
    slip = client.get(reverse("coop:packing_slip", args=[order.number])).content.decode()
    response = client.get(link)

    assert f'href="{link}"' in page and f'href="{link}"' in slip
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert order.number not in response["Content-Disposition"]
    assert "Oma Jane" in pdf_text(response.content)


def test_another_cooperatives_staff_get_404(client):
    order, _gift = gift_order(extra=0)
    client.force_login(StaffFactory())

    assert client.get(reverse("coop:gift_card", args=[order.number])).status_code == 404
    assert client.get(reverse("admin:shop_order_gift_card", args=[order.pk])).status_code == 404


def test_an_order_that_is_no_gift_has_no_card(client):
    order, gift = gift_order(extra=0)
    Gift.objects.filter(pk=gift.pk).delete()
    client.force_login(StaffFactory(cooperative=_box_cooperative()))

    assert client.get(reverse("coop:gift_card", args=[order.number])).status_code == 404


def test_the_admin_order_page_links_the_card(client):
    order, _gift = gift_order(extra=0)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    link = reverse("admin:shop_order_gift_card", args=[order.pk])

    page = client.get(reverse("admin:shop_order_change", args=[order.pk])).content.decode()
    pdf = client.get(link)

    assert link in page
    assert pdf.status_code == 200
    assert "Oma Jane" in pdf_text(pdf.content)
    assert Shipment.objects.filter(order=order).exists()
