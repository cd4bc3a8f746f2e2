"""Checkout's gift card fields (issue 16 part 1): "Sign the card as" and "The receiver
reads" kept on the cart, and the Gift row place_order creates with the order."""

from dataclasses import replace

import pytest
from django.utils import translation

from shop import carts, checkout
from shop.checkout_forms import CheckoutDetailsForm
from shop.models import Cart, Order
from shop.models.gifts import Gift
from tests.factories import BatchFactory
from tests.shop.checkout_data import GERMANY, cart_with, honey, shipping_zones
from tests.shop.gift_data import GIFT_DETAILS
from tests.shop.graphql.api import data_of

pytestmark = pytest.mark.django_db


def _cart():
    jar = honey()
    BatchFactory(variant=jar, lot_code="HONEY1", quantity_received=10)
    return cart_with((jar, 1), language="de")


def _place(cart, language="de") -> Order:
    methods = shipping_zones()
    return checkout.place_order(
        cart=cart, shipping_method_id=methods["Europe"][0].pk, currency="EUR", language=language
    )


def test_the_gift_fields_are_kept_on_the_cart_and_read_back():
    cart = _cart()

    checkout.save_details(cart=cart, details=GIFT_DETAILS)

    cart = Cart.objects.get(pk=cart.pk)
    assert (cart.gift_signature, cart.gift_language) == ("Oma Jane", "vi")
    saved = checkout.details_of(cart)
    assert (saved.gift_signature, saved.gift_language) == ("Oma Jane", "vi")


def test_not_a_gift_forgets_the_card():
    cart = _cart()
    checkout.save_details(cart=cart, details=GIFT_DETAILS)

    checkout.save_details(cart=cart, details=replace(GIFT_DETAILS, is_gift=False))

    cart = Cart.objects.get(pk=cart.pk)
    assert (cart.gift_message, cart.gift_signature, cart.gift_language) == ("", "", "")


def test_placing_a_gift_order_creates_its_gift_in_the_same_transaction():
    cart = _cart()
    checkout.save_details(cart=cart, details=GIFT_DETAILS)

    order = _place(cart)

    gift = Gift.objects.get(order=order)
    assert gift.message == "Chúc mừng năm mới, Anna! Thương nhiều."
    assert (gift.signature, gift.language, gift.revoked_at) == ("Oma Jane", "vi", None)
    assert len(gift.token) >= 43
    assert order.number not in gift.token


def test_a_gift_without_a_chosen_language_reads_in_the_buyers():
    cart = _cart()
    checkout.save_details(cart=cart, details=replace(GIFT_DETAILS, gift_language=""))

    gift = Gift.objects.get(order=_place(cart, language="de"))

    assert gift.language == "de"


def test_an_order_that_is_no_gift_has_no_gift_row():
    cart = _cart()
    checkout.save_details(cart=cart, details=replace(GERMANY, is_gift=False))

    order = _place(cart)

    assert not Gift.objects.filter(order=order).exists()


def test_a_language_the_shop_does_not_speak_is_refused_and_nothing_written():
    cart = _cart()

    with pytest.raises(checkout.InvalidDetails) as refused:
        checkout.save_details(cart=cart, details=replace(GIFT_DETAILS, gift_language="xx"))

    assert set(refused.value.errors) == {"gift_language"}
    assert Cart.objects.get(pk=cart.pk).shipping_address_id is None


def test_the_form_offers_the_shops_languages_and_starts_at_the_buyers(settings):
    with translation.override("de"):
        form = CheckoutDetailsForm()
        choices = [code for code, _name in form.fields["gift_language"].choices]
        html = str(form["gift_language"])
    assert choices == [code for code, _name in settings.LANGUAGES]
    assert '<option value="de" selected>' in html


def test_the_details_page_posts_the_card_fields(client):
    cart = _cart()
    session = client.session
    session[carts.SESSION_KEY] = str(cart.token)
    session.save()
    data = {
        "email": "jane@example.de",
        "buyer_name": "Jane Doe",
        "full_name": "Anna Schmidt",
        "line1": "Hauptstraße 5",
        "city": "Berlin",
        "postal_code": "10115",
        "country": "DE",
        "is_gift": "on",
        "gift_message": "Alles Gute!",
        "gift_signature": "Oma Jane",
        "gift_language": "ja",
    }
    response = client.post("/checkout/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    cart = Cart.objects.get(pk=cart.pk)
    assert (cart.gift_signature, cart.gift_language) == ("Oma Jane", "ja")


def test_the_api_sets_the_card_fields(client):
    cart = _cart()
    checkout.save_details(cart=cart, details=replace(GERMANY, is_gift=False))
    document = (
        "mutation($token: ID!) { checkoutGiftOptionsUpdate(token: $token, isGift: true,"
        ' giftMessage: "Hi", giftSignature: "Oma", giftLanguage: "ja") { errors { field code } } }'
    )

    data = data_of(client, document, {"token": str(cart.token)})

    assert data["checkoutGiftOptionsUpdate"]["errors"] == []
    cart = Cart.objects.get(pk=cart.pk)
    assert (cart.gift_signature, cart.gift_language) == ("Oma", "ja")
