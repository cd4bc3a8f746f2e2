"""Addresses per country from Google's address data (shop.addresses): written on the parcel
as the destination's post writes them, on the order page, in the email and on the customs
form; checked at checkout with one clear message per field."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from shop import checkout, notifications
from shop.fulfilment import customs, customs_pdf
from shop.models import Address, Shipment
from shop.payments import dummy
from tests.factories import BatchFactory, CurrencyRateFactory
from tests.shop.checkout_data import cart_with, honey, shipping_zones
from tests.shop.test_cart_reassurance import ADDRESS, add
from tests.shop.test_currencies import TOKYO

TOKYO_ADDRESS = {
    "full_name": "佐藤 遥",
    "line1": "千代田1-1",
    "city": "千代田区",
    "region": "東京都",
    "postal_code": "100-0001",
    "country": "JP",
}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            TOKYO_ADDRESS,
            ["〒100-0001", "東京都", "千代田区", "千代田1-1", "佐藤 遥", "Japan"],
        ),
        (
            {
                "full_name": "Haruka Sato",
                "line1": "Chiyoda 1-1",
                "city": "Chiyoda-ku",
                "region": "Tokyo",
                "postal_code": "100-0001",
                "country": "JP",
            },
            ["Haruka Sato", "Chiyoda 1-1", "Chiyoda-ku, Tokyo", "100-0001", "Japan"],
        ),
        (
            {
                "full_name": "Anna Schmidt",
                "line1": "Hauptstraße 5",
                "city": "München",
                "postal_code": "80331",
                "country": "DE",
            },
            ["Anna Schmidt", "Hauptstraße 5", "80331 München", "Germany"],
        ),
        (
            {
                "full_name": "John Doe",
                "company": "ACME",
                "line1": "1 Main St",
                "line2": "Apt 2",
                "city": "New York",
                "region": "NY",
                "postal_code": "10001",
                "country": "US",
            },
            ["John Doe", "ACME", "1 Main St", "Apt 2", "New York, NY 10001",
             "United States of America"],
        ),
        (
            {"full_name": "김민준", "line1": "테헤란로 1", "city": "강남구",
             "region": "서울특별시", "postal_code": "06236", "country": "KR"},
            ["서울특별시 강남구", "테헤란로 1", "김민준", "06236", "South Korea"],
        ),
        (
            {"full_name": "Nguyễn Văn An", "line1": "12 Tràng Tiền", "city": "Hà Nội",
             "country": "VN"},
            ["Nguyễn Văn An", "12 Tràng Tiền", "Hà Nội", "Vietnam"],
        ),
    ],
)  # fmt: skip
def test_an_address_is_written_as_its_countrys_post_writes_it(values, expected):
    assert Address(**values).as_lines() == expected


def test_a_customs_form_gets_the_address_without_the_name():
    assert Address(**TOKYO_ADDRESS).as_lines(name=False) == [
        "〒100-0001",
        "東京都",
        "千代田区",
        "千代田1-1",
        "Japan",
    ]


@pytest.mark.django_db
def test_a_japanese_checkout_says_what_is_wrong_field_by_field(client):
    jar = honey()
    BatchFactory(variant=jar)
    add(client, jar.pk, 1)
    response = client.post(
        reverse("shop:checkout"),
        {**ADDRESS, **TOKYO_ADDRESS, "postal_code": "1000", "region": "Gotham"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["postal_code"] == [
        "This is not a postal code used in Japan. For example: 154-0023"
    ]
    assert form.errors["region"] == [
        "This is not a state, province or prefecture of Japan as its post writes it "
        "(for example: Hokkaido)."
    ]
    assert set(form.errors) == {"postal_code", "region"}


@pytest.mark.django_db
def test_a_yen_order_to_tokyo_is_confirmed_and_declared_in_whole_yen_in_japans_order():
    # given 1 USD = 150 JPY and an order of two jars (10.90 USD -> 1,640 yen) to Tokyo
    CurrencyRateFactory(rate=Decimal("150"))
    methods = shipping_zones()
    jar = honey()
    BatchFactory(variant=jar, quantity_received=5)
    cart = cart_with((jar, 2), currency="JPY", language="en")
    checkout.save_details(cart=cart, details=TOKYO)
    order = checkout.place_order(
        cart=cart,
        shipping_method_id=methods["Rest of the world"][0].pk,
        currency="JPY",
        language="en",
    )
    # when it is paid
    payment = dummy.DummyGateway().start_payment(order=order).payment
    dummy.complete(reference=payment.reference, approve=True)
    order.refresh_from_db()

    # then 2 × 1,640 + 24 USD shipping (3,600) = 6,880 yen
    assert (order.subtotal, order.shipping_total, order.total) == (3280, 3600, 6880)
    # and the confirmation writes the address as Japan's post does, in whole yen
    mail.outbox.clear()
    assert notifications.send_order_email(order_id=order.pk, kind=notifications.ORDER_CONFIRMATION)
    [message] = mail.outbox
    text = message.body
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index("〒100-0001")
    assert lines[start : start + 6] == [
        "〒100-0001",
        "東京都",
        "千代田区",
        "千代田1-1",
        "佐藤 遥",
        "Japan",
    ]
    assert "¥6,880" in text and "¥6,880.00" not in text
    # and the customs paper has the address without the name and the value in whole yen
    paper = customs.declaration(shipment_id=Shipment.objects.get(order=order).pk)
    assert paper.addressee.name == "佐藤 遥"
    assert paper.addressee.lines[:2] == ("〒100-0001", "東京都")
    assert paper.total_value == Decimal(3280)
    # 3,280 yen / (1.36568 USD × 150) = 16.01 SDR
    assert paper.total_value_sdr == Decimal("16.01")
    assert customs_pdf._amount(paper.total_value, "JPY") == "3,280 JPY"
