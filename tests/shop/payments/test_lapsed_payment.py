"""Stripe's money for an order past its unpaid deadline whose units another shopper took
meanwhile (beat never expired it): the order is cancelled and refunded, never oversold."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from shop import inventory
from shop.models import Batch, Order, OrderStatus
from tests.factories import CartFactory
from tests.shop.payments.stripe_data import post_event, start, succeeded_event

pytestmark = pytest.mark.django_db


def test_a_late_payment_for_units_taken_since_is_refunded(
    client, fake_stripe, order, honey_batch, django_capture_on_commit_callbacks
):
    # given the order's deadline passed (beat did not run) and another shopper holds 9 jars
    payment = start(order)
    Order.objects.filter(pk=order.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    inventory.hold(cart=CartFactory(), variant=honey_batch.variant, quantity=9)

    # when Stripe says the order's intent succeeded
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, fake_stripe, succeeded_event(fake_stripe, payment))

    # then the order is cancelled, the money refunded and the apology sent; no jar sold
    assert (response.status_code, response.content) == (
        200,
        b"order cancelled, payment refunded",
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert Batch.objects.get(pk=honey_batch.pk).on_hand == 10
    assert len(fake_stripe.calls("POST", "/v1/refunds")) == 1
    assert [m.subject for m in mail.outbox] == [
        f"We are sorry: order {order.number} could not be completed"
    ]
