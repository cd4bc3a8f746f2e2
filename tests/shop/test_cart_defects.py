"""Smaller defects of the cart and checkout, each guarded here: a product unpublished while
in a cart (a clear message, no order, no 500), and messages worded in the language of the
request that shows them (the "hold ran out" message on Vietnamese pages)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

import shop.views.checkout  # noqa: F401  imported in English, as a server process does
from shop import carts, checkout
from shop.models import Cart, CartLine, Order, OrderLineBatch, Payment, Product, StockHold
from tests.factories import BatchFactory, CartFactory
from tests.shop.checkout_data import honey, shipping_zones
from tests.shop.graphql.test_checkout_api import COMPLETE, mutate, ready_checkout
from tests.shop.test_checkout_views import GERMANY_FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def methods():
    return shipping_zones()


@pytest.fixture
def jar():
    variant = honey()
    BatchFactory(variant=variant, lot_code="HONEY1", quantity_received=10)
    return variant


def add(client, variant, quantity=1):
    response = client.post(reverse("shop:cart_add"), {"variant": variant.pk, "quantity": quantity})
    assert response.status_code == 302


def unpublish(variant) -> None:
    Product.objects.filter(pk=variant.product_id).update(is_published=False)


def test_the_cart_says_an_unpublished_product_is_no_longer_sold(client, jar):
    add(client, jar, 2)
    unpublish(jar)

    page = client.get(reverse("shop:cart")).content.decode()

    assert "This item is no longer sold" in page
    assert "No longer sold" in page


def test_changing_the_quantity_of_an_unpublished_product_answers_a_message_not_a_500(client, jar):
    add(client, jar, 2)
    unpublish(jar)

    response = client.post(reverse("shop:cart_update"), {"variant": jar.pk, "quantity": 3})

    assert response.status_code == 409
    assert "is no longer sold" in response.content.decode()
    assert CartLine.objects.get().quantity == 2
    # and taking it out still works
    client.post(reverse("shop:cart_update"), {"variant": jar.pk, "quantity": 0})
    assert not CartLine.objects.exists()


def test_placing_an_order_with_an_unpublished_product_is_refused_and_writes_nothing(jar, methods):
    cart = CartFactory()
    carts.add(cart=cart, variant_id=jar.pk, quantity=1)
    unpublish(jar)

    with pytest.raises(checkout.ProductUnavailable) as refused:
        checkout.place_order(
            cart=cart, shipping_method_id=methods["Europe"][0].pk, currency="USD", language="en"
        )

    assert refused.value.variant_ids == [jar.pk]
    assert Order.objects.count() == 0
    assert Cart.objects.get(pk=cart.pk).status == Cart.Status.OPEN


def test_the_checkout_review_refuses_an_unpublished_product_with_a_message(client, jar, methods):
    add(client, jar, 1)
    client.post(reverse("shop:checkout"), GERMANY_FORM)
    unpublish(jar)

    response = client.post(
        reverse("shop:checkout_review"), {"shipping_method": methods["Europe"][0].pk}
    )

    assert response.status_code == 409
    assert "is no longer sold" in response.content.decode()
    assert (Order.objects.count(), Payment.objects.count(), OrderLineBatch.objects.count()) == (
        0,
        0,
        0,
    )


def test_holding_again_skips_an_unpublished_product(jar):
    cart = CartFactory()
    carts.add(cart=cart, variant_id=jar.pk, quantity=1)
    StockHold.objects.update(held_until=timezone.now() - datetime.timedelta(seconds=1))
    unpublish(jar)

    assert carts.hold_again(cart=cart) == []
    assert not StockHold.objects.live().exists()


def test_the_hold_ran_out_message_is_vietnamese_on_a_vietnamese_page(client, jar, methods):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    add(client, jar, 1)
    client.post(reverse("shop:checkout"), GERMANY_FORM)
    StockHold.objects.update(held_until=timezone.now() - datetime.timedelta(seconds=1))

    response = client.post(
        reverse("shop:checkout_review"), {"shipping_method": methods["Europe"][0].pk}
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "The time we could hold some of your items has run out" not in page
    assert "Đã hết thời gian giữ một số sản phẩm cho bạn" in page


def test_the_api_refuses_to_complete_a_checkout_with_an_unpublished_product(client):
    token, jar, _batch = ready_checkout(client)
    unpublish(jar)

    refused = mutate(client, COMPLETE, "checkoutComplete", {"token": token})

    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("lines", "PRODUCT_UNAVAILABLE")
    ]
    assert refused["order"] is None and refused["payment"] is None
    assert not Order.objects.exists() and not Payment.objects.exists()
