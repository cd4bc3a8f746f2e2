"""Correctly signed Stripe events of unexpected shapes are recorded and answered 200 (ignored,
with an outcome) or 400, never 500, so Stripe does not retry them for days."""

import pytest

from shop.models import OrderStatus, Payment, PaymentStatus, WebhookEvent
from tests.shop.payments.stripe_data import post_event, start, succeeded_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(fake_stripe, order):
    return start(order)


@pytest.mark.parametrize(
    ("change", "outcome"),
    [
        ({"id": None}, b"ignored: object without an id"),
        ({"amount_received": "lots"}, b"ignored: amount_received is not int"),
        ({"metadata": ["payment_id", "1"]}, b"ignored: metadata is not dict"),
        ({"currency": 840}, b"ignored: currency is not str"),
    ],
)
def test_an_odd_succeeded_event_is_recorded_and_ignored(
    client, fake_stripe, order, payment, change, outcome
):
    # given a succeeded event whose object has an unexpected shape
    event = succeeded_event(fake_stripe, payment)
    event["data"]["object"].update(change)
    if change.get("id", "") is None:
        del event["data"]["object"]["id"]

    # when Stripe delivers it, correctly signed
    response = post_event(client, fake_stripe, event)

    # then it is answered 200 and recorded, and the order is untouched
    assert (response.status_code, response.content) == (200, outcome)
    record = WebhookEvent.objects.get()
    assert (record.event_id, record.outcome) == (event["id"], outcome.decode())
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    assert Payment.objects.get().status == PaymentStatus.PENDING

    # and a second delivery is a duplicate, not a retry of the same failure
    again = post_event(client, fake_stripe, event)
    assert (again.status_code, again.content) == (200, b"duplicate: already handled")


def test_an_odd_refund_event_is_recorded_and_ignored(client, fake_stripe, order, payment):
    # given a charge.refunded event whose refunded amount is a string
    event = fake_stripe.event(
        "charge.refunded",
        {"id": "ch_odd", "amount_refunded": "12", "payment_intent": payment.reference},
    )

    # when Stripe delivers it
    response = post_event(client, fake_stripe, event)

    # then it is recorded as ignored, answered 200
    assert (response.status_code, response.content) == (
        200,
        b"ignored: amount_refunded is not int",
    )
    assert WebhookEvent.objects.get().outcome == "ignored: amount_refunded is not int"


def test_an_event_without_data_is_a_400_and_writes_nothing(client, fake_stripe):
    # given a signed body that has no data at all
    event = fake_stripe.event("payment_intent.succeeded", {})
    del event["data"]

    # when it is delivered
    response = post_event(client, fake_stripe, event)

    # then it is refused as not an event; nothing is recorded
    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


def test_a_shape_the_checks_miss_is_still_recorded(client, fake_stripe, order, payment):
    # given an event whose metadata names a payment id of an unexpected type
    event = fake_stripe.event(
        "payment_intent.payment_failed",
        {"id": "pi_unknown", "metadata": {"payment_id": {"nested": 1}}},
    )

    # when it is delivered
    response = post_event(client, fake_stripe, event)

    # then it is answered 200 with an outcome, never a 500, and recorded
    assert response.status_code == 200
    assert WebhookEvent.objects.get().outcome == response.content.decode()
