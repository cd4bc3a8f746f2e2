"""A shopper whose cart held units of a lot recalled since is told it was recalled (not that
the hold ran out), and can hold the same product again from another lot."""

import pytest
from django.urls import reverse

from shop import carts
from shop.models import StockHold
from tests.factories import BatchFactory
from tests.traceability.recall_data import LOT, REASON, honey_batch, staff_of
from traceability import recalls

pytestmark = pytest.mark.django_db


def test_the_cart_says_the_held_lot_was_recalled_and_holds_another_lot_again(client):
    # Given a cart holding 2 jars of lot HN2503, and a later lot of the same jar
    batch = honey_batch()
    client.post(reverse("shop:cart_add"), {"variant": batch.variant.pk, "quantity": 2})
    assert list(StockHold.objects.values_list("batch__lot_code", "quantity")) == [(LOT, 2)]
    BatchFactory(variant=batch.variant, lot_code="HN2504")

    # When the lot is recalled
    recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))

    # Then the cart says so, and not that the time ran out
    page = client.get(reverse("shop:cart")).content.decode()
    assert (
        f"The lot of Longan honey we held for you ({LOT}) was recalled for safety, so it is no "
        "longer held for you." in page
    )
    assert "Lot recalled" in page
    assert "has run out" not in page
    # and one click holds the jars again from the other lot
    response = client.post(reverse("shop:cart_hold_again"))
    assert response.status_code == 302
    assert list(StockHold.objects.values_list("batch__lot_code", "quantity")) == [("HN2504", 2)]
    page = client.get(reverse("shop:cart")).content.decode()
    assert "recalled" not in page


def test_the_summary_lists_recalled_rows_apart_from_expired_ones():
    from tests.factories import CartFactory

    batch = honey_batch()
    cart = CartFactory()
    carts.add(cart=cart, variant_id=batch.variant.pk, quantity=1)

    recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))

    summary = carts.summary(cart=cart, currency="USD")
    assert [row.recalled_lots for row in summary.recalled_rows] == [(LOT,)]
    assert summary.expired_rows == []
    assert [row.is_held for row in summary.rows] == [False]


def test_placing_the_order_after_the_recall_says_the_lot_was_recalled(client):
    # Given a cart holding 2 jars of the lot, with the buyer's details filled in
    from shop.models import Order
    from tests.shop.checkout_data import shipping_zones
    from tests.shop.test_checkout_views import GERMANY_FORM

    batch = honey_batch()
    methods = shipping_zones()
    client.post(reverse("shop:cart_add"), {"variant": batch.variant.pk, "quantity": 2})
    client.post(reverse("shop:checkout"), GERMANY_FORM)
    recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))

    # When they place the order
    response = client.post(
        reverse("shop:checkout_review"), {"shipping_method": methods["Europe"][0].pk}
    )

    # Then they are told the lot was recalled, not that the hold ran out; no order
    html = response.content.decode()
    assert response.status_code == 409
    assert "A lot held for your cart was recalled for safety." in html
    assert "has run out" not in html
    assert not Order.objects.exists()
