"""The giver's side of a gift (issue 16 parts 5 and 6): the order page shows the gift page's
link, switches it off (POST, CSRF, the order's own link as the key) and sends the same
gift again in two steps; the receiver's "Buy these for yourself"."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shop import carts, gifts
from shop.models import Batch, Cart, CartLine
from shop.models.gifts import Gift
from tests.factories import BatchFactory
from tests.shop.gift_data import gift_order

pytestmark = pytest.mark.django_db


def _order_url(order) -> str:
    return reverse("shop:order", args=[order.token])


def test_the_order_page_links_the_gift_page_and_offers_to_switch_it_off(client):
    order, gift = gift_order(extra=0)

    html = client.get(_order_url(order)).content.decode()

    assert f'href="/gift/{gift.token}/"' in html
    assert reverse("shop:order_gift_revoke", args=[order.token]) in html
    assert reverse("shop:order_gift_again", args=[order.token]) in html


def test_the_giver_switches_the_link_off(client):
    order, gift = gift_order(extra=0)
    assert client.get(f"/gift/{gift.token}/").status_code == 200

    response = client.post(reverse("shop:order_gift_revoke", args=[order.token]))

    assert response.status_code == 302
    assert Gift.objects.get(pk=gift.pk).revoked_at is not None
    assert client.get(f"/gift/{gift.token}/").status_code == 410
    page = client.get(_order_url(order)).content.decode()
    assert f'href="/gift/{gift.token}/"' not in page


def test_revoking_needs_the_csrf_token_and_a_post():
    order, gift = gift_order(extra=0)
    strict = Client(enforce_csrf_checks=True)
    url = reverse("shop:order_gift_revoke", args=[order.token])

    assert strict.post(url).status_code == 403
    assert strict.get(url).status_code == 405
    assert Gift.objects.get(pk=gift.pk).revoked_at is None


def test_a_made_up_order_link_cannot_revoke_anything(client):
    _order, gift = gift_order(extra=0)

    for token in ("00000000-0000-0000-0000-000000000000", "nonsense"):
        response = client.post(reverse("shop:order_gift_revoke", args=[token]))
        assert response.status_code == 404
    assert Gift.objects.get(pk=gift.pk).revoked_at is None


def test_revoking_twice_keeps_the_first_time():
    _order, gift = gift_order(extra=0)
    first = timezone.now() - datetime.timedelta(days=2)

    gifts.revoke(gift=gift, now=first)
    gifts.revoke(gift=gift)

    assert Gift.objects.get(pk=gift.pk).revoked_at == first


def test_link_state_expires_a_year_after_the_last_delivery():
    gift = Gift(revoked_at=None)
    delivered = timezone.now() - datetime.timedelta(days=10)
    year = datetime.timedelta(days=365)

    assert gifts.link_state(gift=gift, delivered_at=None) == gifts.LinkState.OPEN
    assert gifts.link_state(gift=gift, delivered_at=delivered) == gifts.LinkState.OPEN
    later = delivered + year + datetime.timedelta(minutes=1)
    assert gifts.link_state(gift=gift, delivered_at=delivered, now=later) == "expired"
    gift.revoked_at = timezone.now()
    assert gifts.link_state(gift=gift, delivered_at=None) == gifts.LinkState.REVOKED


def _cart_of(client) -> Cart:
    return Cart.objects.get(token=client.session[carts.SESSION_KEY])


def test_buy_these_for_yourself_fills_the_receivers_cart_from_the_lot_on_sale_now(client):
    _order, gift = gift_order(extra=1)
    # LOT0 sold out since; a newer lot of the same product is on sale.
    lot0 = Batch.objects.get(lot_code="LOT0")
    BatchFactory(variant=lot0.variant, lot_code="LOT0-NEW", quantity_received=5)
    Batch.objects.filter(pk=lot0.pk).update(status="recalled")
    client.cookies["django_language"] = "en"

    response = client.post(f"/gift/{gift.token}/buy/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("shop:cart")
    lines = dict(
        CartLine.objects.filter(cart=_cart_of(client)).values_list("variant_id", "quantity")
    )
    assert lines == {lot0.variant_id: 1, Batch.objects.get(lot_code="BOX1").variant_id: 1}
    html = response.content.decode()
    assert "LOT0-NEW" in html and "not the lot that was in the gift" in html


def test_a_sold_out_product_is_said_plainly_and_the_rest_is_added(client):
    _order, gift = gift_order(extra=1)
    Batch.objects.filter(lot_code="LOT0").update(status="recalled")
    client.cookies["django_language"] = "en"

    html = client.post(f"/gift/{gift.token}/buy/", follow=True).content.decode()

    assert "Product 0 is sold out for now." in html
    assert CartLine.objects.filter(cart=_cart_of(client)).count() == 1


def test_a_revoked_gift_buys_nothing(client):
    _order, gift = gift_order(extra=0)
    gifts.revoke(gift=gift)

    assert client.post(f"/gift/{gift.token}/buy/").status_code == 410
    assert client.post("/gift/unknown/buy/").status_code == 404


def test_send_this_gift_again_fills_the_cart_and_opens_checkout_with_the_card(client):
    order, gift = gift_order(extra=1)

    response = client.post(reverse("shop:order_gift_again", args=[order.token]))

    assert response.status_code == 302 and response["Location"] == reverse("shop:checkout")
    cart = _cart_of(client)
    assert cart.pk != order.cart_id
    assert (cart.is_gift, cart.gift_message, cart.gift_signature, cart.gift_language) == (
        True,
        gift.message,
        "Oma Jane",
        "vi",
    )
    assert CartLine.objects.filter(cart=cart).count() == 2
    form = client.get(reverse("shop:checkout")).content.decode()
    assert re.search(r'<input[^>]*name="is_gift"[^>]*checked', form)
    assert gift.message in form
    assert 'value="Oma Jane"' in form
    assert 'name="full_name"' in form and "Anna Schmidt" not in form


def _token_from(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("secure", [False, True])
def test_the_gift_pages_forms_post_with_origin_null_and_their_csrf_token(secure):
    # no-referrer: the browser posts the page's forms with `Origin: null` and no Referer.
    _order, gift = gift_order(extra=0)
    browser = Client(enforce_csrf_checks=True)
    token = _token_from(browser.get(f"/gift/{gift.token}/", secure=secure).content.decode())

    posted = browser.post(
        f"/gift/{gift.token}/buy/",
        {"csrfmiddlewaretoken": token},
        HTTP_ORIGIN="null",
        secure=secure,
    )

    assert posted.status_code == 302
    assert CartLine.objects.filter(cart__status=Cart.Status.OPEN).count() == 1


def test_without_the_token_or_from_another_site_the_forms_are_refused():
    _order, gift = gift_order(extra=0)
    browser = Client(enforce_csrf_checks=True)
    token = _token_from(browser.get(f"/gift/{gift.token}/").content.decode())
    url = f"/gift/{gift.token}/buy/"

    assert browser.post(url, HTTP_ORIGIN="null").status_code == 403
    evil = {"csrfmiddlewaretoken": token}
    assert browser.post(url, evil, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert not CartLine.objects.filter(cart__status=Cart.Status.OPEN).exists()
