import io
import unicodedata
from decimal import Decimal

import pypdf
import pytest

from shop.fulfilment import customs, customs_pdf
from shop.models import Address, Shipment
from tests.factories import BatchFactory
from tests.shop.checkout_data import gift_set, honey
from tests.shop.fulfilment.shipment_data import paid_order, two_cooperatives

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def page_size_mm(pdf: bytes) -> tuple[int, int]:
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)


@pytest.mark.parametrize(
    ("value", "currency", "grams", "form"),
    [
        # 300 SDR = 409.704 USD = 351.528 EUR = 10,770,000 VND (customs.SDR_RATES).
        ("409.70", "USD", 2000, "CN22"),
        ("409.71", "USD", 2000, "CN23"),
        ("409.70", "USD", 2001, "CN23"),
        ("351.52", "EUR", 500, "CN22"),
        ("351.53", "EUR", 500, "CN23"),
        ("10770000", "VND", 500, "CN22"),
        ("10770001", "VND", 500, "CN23"),
    ],
)
def test_cn22_up_to_300_sdr_and_2_kg_else_cn23(value, currency, grams, form):
    assert (
        customs.form_for(value=Decimal(value), currency=currency, gross_weight_grams=grams) == form
    )


def boxed_order(boxes: int, *, language: str = "en"):
    """An order of `boxes` Tết boxes (a jar of honey and two tins of tea each) to Germany,
    paid; returns the order and the box cooperative's shipment."""
    jar = honey()
    jar.net_weight_grams = 250
    jar.save()
    jar.product.hs_code = "040900"
    jar.product.customs_description = "Natural honey, wildflower"
    jar.product.save()
    BatchFactory(variant=jar, lot_code="HONEY-7", quantity_received=10)
    box, tea = gift_set(honey_variant=jar, box_lot="BOX-TET-1")
    tea.net_weight_grams = 100
    tea.save()
    tea.product.hs_code = "090210"
    tea.product.customs_description = "Green tea, dried leaves"
    tea.product.save()
    order = paid_order((box, boxes), language=language)
    return order, Shipment.objects.get(order=order, cooperative=box.product.cooperative)


def test_a_gift_box_is_declared_as_its_components_with_their_lots_and_shares():
    order, shipment = boxed_order(2)

    paper = customs.declaration(shipment_id=shipment.pk)

    # 2 boxes × 79.00 = 158.00; tea 2 × 12.50 and honey 10.90 of 35.90 a box (components
    # in the recipe's order; the last takes the rounding's remainder).
    assert paper.form == "CN23"  # 2 × 2.2 kg
    assert paper.category == "Gift"
    assert [
        (i.description, i.hs_code, i.quantity, i.net_weight_grams, i.value, i.lots, i.box_lots)
        for i in paper.items
    ] == [
        (
            "Green tea, dried leaves",
            "090210",
            4,
            400,
            Decimal("110.03"),
            ("TEA1",),
            ("BOX-TET-1",),
        ),
        (
            "Natural honey, wildflower",
            "040900",
            2,
            500,
            Decimal("47.97"),
            ("HONEY-7",),
            ("BOX-TET-1",),
        ),
    ]
    assert paper.total_value == Decimal("158.00")
    assert paper.gross_weight_grams == 4400
    assert paper.postal_charges == order.shipping_total
    assert paper.addressee.name == "Anna Schmidt"


def test_the_cn23_pdf_reads_back_with_hs_codes_values_and_lots():
    order, shipment = boxed_order(2)

    pdf = customs_pdf.render(customs.declaration(shipment_id=shipment.pk))

    text = pdf_text(pdf)
    assert page_size_mm(pdf) == (210, 297)
    assert "CUSTOMS DECLARATION CN 23" in text
    assert f"Order {order.number}" in text
    assert "[X] Gift" in text
    assert "2 0.500 47.97 USD 040900 VN" in text
    assert "4 0.400 110.03 USD 090210 VN" in text
    assert "Lots: HONEY-7" in text
    assert "Lots: TEA1" in text
    assert text.count("In gift box lots: BOX-TET-1") == 2
    assert "Total value: 158.00 USD" in text
    assert "Total gross weight: 4.400 kg · net weight: 0.900 kg" in text


def test_a_light_cheap_parcel_gets_a_cn22_on_a6_with_vietnamese_names_intact():
    (coop_a, box, _), (coop_b, sauce, _) = two_cooperatives()
    coop_b.address = "Tổ 3, ấp Suối Đá, xã Dương Tơ"
    coop_b.save()
    order = paid_order((sauce, 1), language="vi")
    shipment = Shipment.objects.get(order=order, cooperative=coop_b)

    paper = customs.declaration(shipment_id=shipment.pk)
    pdf = customs_pdf.render(paper)

    assert paper.form == "CN22"
    assert page_size_mm(pdf) == (105, 148)
    text = pdf_text(pdf)
    assert "CUSTOMS DECLARATION CN 22" in text
    assert "HTX Nước mắm Phú Quốc" in text
    assert "Tổ 3, ấp Suối Đá, xã Dương Tơ" in text
    assert "Nước mắm Phú Quốc" in text


def test_a_parcel_within_vietnam_needs_no_declaration():
    (_, _, _), (coop_b, sauce, _) = two_cooperatives()
    order = paid_order((sauce, 1))
    Address.objects.filter(pk=order.shipping_address_id).update(country="VN")
    shipment = Shipment.objects.get(order=order, cooperative=coop_b)

    with pytest.raises(customs.DomesticShipment):
        customs.declaration(shipment_id=shipment.pk)


def test_a_net_weight_above_the_gross_weight_is_refused():
    from django.core.exceptions import ValidationError

    from tests.factories import VariantFactory

    variant = VariantFactory(weight_grams=380)
    variant.net_weight_grams = 381
    with pytest.raises(ValidationError) as refused:
        variant.full_clean()
    assert refused.value.message_dict["net_weight_grams"] == [
        "The net weight (contents only) cannot be more than the weight with the packaging (380 g)."
    ]
    variant.net_weight_grams = 380
    variant.full_clean()


def test_a_declaration_costs_six_queries_however_many_boxes():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _order, shipment = boxed_order(3)

    with CaptureQueriesContext(connection) as queries:
        customs.declaration(shipment_id=shipment.pk)

    assert len(queries) == 6
