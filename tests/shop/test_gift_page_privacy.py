"""Issue 16, privacy: the gift page shows nothing the giver did not choose to share. No
price, amount, currency, address, buyer email, buyer name or order number in its HTML
(every language), its answers to "Buy these", or its cache keys; kept out of search engines
and referrers."""

import re

import pytest
from django.core.cache import cache
from django.utils import translation

from shop import gift_page
from shop.models import Order
from tests.shop.gift_data import GIFT_DETAILS, gift_order

pytestmark = pytest.mark.django_db


def _secrets(order: Order) -> list[str]:
    address = order.shipping_address
    values = [
        order.number,
        str(order.token),
        order.email,
        order.buyer_name,  # "Jane Doe": signed "Oma Jane", so the full name must not show
        address.full_name,
        address.line1,
        address.postal_code,
        address.city,
        str(order.total),
        str(order.subtotal),
        str(order.shipping_total),
    ]
    for line in order.lines.all():
        values += [str(line.unit_price), str(line.line_total), line.sku]
    return [value for value in values if value]


# Not inside a word: a random token ("…x6EURq…") is not a price.
MONEY = re.compile(
    r"(?<![A-Za-z0-9])(\$|€|₫|¥|₩|USD|EUR|VND|JPY|KRW)\s?\d"
    r"|(?<![A-Za-z0-9])\d[\d.,]*\s?(\$|€|₫|¥|₩|USD|EUR|VND|JPY|KRW)(?![A-Za-z0-9])"
)


@pytest.mark.parametrize("language", ["vi", "en", "de", "ja"])
def test_no_price_address_email_name_or_order_number_in_the_page(client, language):
    order, gift = gift_order(extra=2)

    response = client.get(f"/gift/{gift.token}/?lang={language}")

    html = response.content.decode()
    assert response.status_code == 200
    for secret in _secrets(order):
        assert secret not in html, secret
    assert not MONEY.search(html), MONEY.search(html)
    assert "Oma Jane" in html  # what the giver chose to sign


def test_the_page_is_not_indexed_and_sends_no_referrer(client):
    _order, gift = gift_order(extra=0)

    response = client.get(f"/gift/{gift.token}/")

    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex' in response.content.decode()


def test_gone_and_unknown_answers_carry_the_same_headers(client):
    response = client.get("/gift/unknown-token/")

    assert response.status_code == 404
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Referrer-Policy"] == "no-referrer"


def test_cache_keys_hold_neither_the_token_nor_anything_of_the_order(client):
    order, gift = gift_order(extra=1)
    before = set(_keys())

    client.get(f"/gift/{gift.token}/")
    client.get(f"/gift/{gift.token}/?lang=ja")

    new = set(_keys()) - before
    assert any(key.startswith("gift:page:") for key in new)
    for key in new:
        assert gift.token not in key
        for secret in _secrets(order):
            assert secret not in key, (secret, key)
    page_keys = [k for k in new if k.startswith("gift:page:")]
    for key in page_keys:
        assert order.number not in cache.get(key)


def _keys() -> list[str]:
    # The local-memory cache in tests (django's LocMemCache), or Redis under CI.
    backend = cache
    if hasattr(backend, "_cache"):
        return [k.split(":", 2)[-1] for k in backend._cache.keys()]
    client = backend.client.get_client()
    return [k.decode().split(":", 2)[-1] for k in client.keys("*gift:*")]


def test_a_signature_left_blank_signs_nothing(client):
    from dataclasses import replace

    order, gift = gift_order(extra=0, details=replace(GIFT_DETAILS, gift_signature=""))

    html = client.get(f"/gift/{gift.token}/").content.decode()

    assert "Jane" not in html
    assert 'class="gift-signature"' not in html


def test_the_selector_never_reads_the_orders_private_fields():
    order, gift = gift_order(extra=1)
    page = gift_page.gift_page(gift=gift_page.find(token=gift.token).gift)

    with translation.override("en"):
        seen = repr([(i.product.name, i.batch.lot_code) for i in page.items])
    assert order.number not in seen
