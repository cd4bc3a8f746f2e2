"""Stripe's webhooks at the shop's endpoint, signed with Stripe's real scheme: each event
counts once, in any order, and only with a valid signature and the order's exact amount."""

import time
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from shop.models import (
    Batch,
    MovementKind,
    Order,
    OrderStatus,
    Payment,
    PaymentStatus,
    StockMovement,
    WebhookEvent,
)
from shop.payments import stripe as gateway
from tests.shop.payments.stripe_data import post_event, start, succeeded_event
from tests.stripe_fake import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(fake_stripe, order):
    return start(order)


def snapshot(order: Order) -> tuple:
    order.refresh_from_db()
    payment = Payment.objects.get(order=order)
    return (
        order.status,
        order.needs_review,
        order.history.count(),
        payment.status,
        payment.refunded_amount,
        Batch.objects.get(lot_code="HONEY1").on_hand,
        WebhookEvent.objects.count(),
        len(mail.outbox),
    )


def test_a_signed_succeeded_event_marks_the_order_paid(
    client, fake_stripe, order, payment, django_capture_on_commit_callbacks
):
    # given the customer paid the intent at Stripe
    event = succeeded_event(fake_stripe, payment)

    # when Stripe tells the shop
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, fake_stripe, event)

    # then the order is paid, its two jars sold, and the confirmation is on its way
    assert (response.status_code, response.content) == (200, b"order paid")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 8
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["anna@example.de"], f"Order {order.number} confirmed. Thank you!")
    ]
    record = WebhookEvent.objects.get()
    assert (record.gateway, record.event_id, record.type, record.order_id, record.outcome) == (
        "stripe",
        event["id"],
        "payment_intent.succeeded",
        order.pk,
        "order paid",
    )


def test_replaying_the_same_event_changes_nothing(
    client, fake_stripe, order, payment, django_capture_on_commit_callbacks
):
    event = succeeded_event(fake_stripe, payment)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, fake_stripe, event)
    before = snapshot(order)

    with django_capture_on_commit_callbacks(execute=True):
        again = post_event(client, fake_stripe, event)

    assert (again.status_code, again.content) == (200, b"duplicate: already handled")
    assert snapshot(order) == before
    assert before[0] == OrderStatus.PAID and before[-1] == 1


def test_the_same_success_in_another_event_changes_nothing(
    client, fake_stripe, order, payment, django_capture_on_commit_callbacks
):
    first = succeeded_event(fake_stripe, payment)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, fake_stripe, first)
    before = snapshot(order)

    second = fake_stripe.event("payment_intent.succeeded", first["data"]["object"])
    response = post_event(client, fake_stripe, second)

    assert response.content == b"payment already succeeded"
    assert snapshot(order)[:-2] == before[:-2]
    assert WebhookEvent.objects.count() == 2


@pytest.mark.parametrize(
    "signing",
    [
        pytest.param({"secret": "whsec_not_ours"}, id="wrong secret"),
        pytest.param({"timestamp": int(time.time()) - 301}, id="stale"),
    ],
)
def test_a_badly_signed_event_is_refused_and_changes_nothing(
    client, fake_stripe, order, payment, signing
):
    event = succeeded_event(fake_stripe, payment)
    before = snapshot(order)

    response = post_event(client, fake_stripe, event, **signing)

    assert response.status_code == 400
    assert snapshot(order) == before
    assert before[0] == OrderStatus.UNPAID


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("t=notatime,v1=abc", id="garbage"),
        pytest.param("t=1700000000", id="no signature"),
    ],
)
def test_an_event_without_a_usable_signature_is_refused(
    client, fake_stripe, order, payment, header
):
    payload, _header = fake_stripe.signed(succeeded_event(fake_stripe, payment))
    extra = {} if header is None else {"HTTP_STRIPE_SIGNATURE": header}
    before = snapshot(order)

    response = client.post(
        reverse("shop:stripe_webhook"), data=payload, content_type="application/json", **extra
    )

    assert response.status_code == 400
    assert snapshot(order) == before


def test_a_tampered_body_is_refused(client, fake_stripe, order, payment):
    event = succeeded_event(fake_stripe, payment)
    payload, header = fake_stripe.signed(event)
    before = snapshot(order)

    response = client.post(
        reverse("shop:stripe_webhook"),
        data=payload.replace(b'"amount": 3780', b'"amount": 1'),
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )

    assert b'"amount": 3780' in payload
    assert response.status_code == 400
    assert snapshot(order) == before


def test_a_signed_body_that_is_not_an_event_is_refused(client, fake_stripe):
    payload = b'["not", "an", "event"]'
    header = sign(payload, fake_stripe.webhook_secret)

    response = client.post(
        reverse("shop:stripe_webhook"),
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )

    assert response.status_code == 400
    assert WebhookEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "received"),
    [
        pytest.param({"amount_received": 3680}, "3680 USD", id="amount"),
        pytest.param({"currency": "eur"}, "3780 EUR", id="currency"),
    ],
)
def test_an_amount_or_currency_other_than_the_orders_flags_it_for_review_unpaid(
    client, fake_stripe, order, payment, changes, received, django_capture_on_commit_callbacks
):
    event = succeeded_event(fake_stripe, payment, **changes)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, fake_stripe, event)

    assert response.status_code == 200
    order.refresh_from_db()
    assert (order.status, order.needs_review) == (OrderStatus.UNPAID, True)
    assert order.review_note == (
        f"Stripe payment {payment.reference} received {received} but the order is 3780 USD "
        "(minor units): not marked paid."
    )
    # the money is at Stripe, so the attempt succeeded, but nothing was sold or confirmed
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
    assert not StockMovement.objects.filter(kind=MovementKind.SOLD).exists()
    assert mail.outbox == []


def test_a_failed_payment_keeps_the_order_unpaid_and_the_shopper_may_retry(
    client, fake_stripe, order, payment
):
    intent = {
        **fake_stripe.intents[payment.reference],
        "last_payment_error": {"code": "card_declined", "type": "card_error"},
    }

    response = post_event(
        client, fake_stripe, fake_stripe.event("payment_intent.payment_failed", intent)
    )

    assert response.content == b"payment failed, order still unpaid"
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    assert Payment.objects.get().status == PaymentStatus.FAILED
    # the retry confirms the same intent
    assert start(order).pk == payment.pk
    assert len(fake_stripe.intents) == 1


def test_a_failure_arriving_after_the_success_does_not_unpay_the_order(
    client, fake_stripe, order, payment, django_capture_on_commit_callbacks
):
    paid = succeeded_event(fake_stripe, payment)
    failed = fake_stripe.event("payment_intent.payment_failed", paid["data"]["object"])
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, fake_stripe, paid)

    response = post_event(client, fake_stripe, failed)

    assert response.content == b"payment already succeeded"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED


def test_a_refund_arriving_before_the_success_is_kept_and_the_order_still_paid(
    client, fake_stripe, order, payment, django_capture_on_commit_callbacks
):
    # given Stripe's events come out of order: a partial refund first
    paid = succeeded_event(fake_stripe, payment)
    fake_stripe.refund_directly(payment.reference, amount=1000)
    refunded = fake_stripe.event("charge.refunded", fake_stripe.charge_for(payment.reference))

    first = post_event(client, fake_stripe, refunded)
    with django_capture_on_commit_callbacks(execute=True):
        second = post_event(client, fake_stripe, paid)

    assert (first.status_code, second.status_code) == (200, 200)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (
        PaymentStatus.PARTIALLY_REFUNDED,
        Decimal("10.00"),
    )


def test_a_payment_refunded_in_full_before_its_success_arrived_is_not_marked_paid(
    client, fake_stripe, order, payment
):
    paid = succeeded_event(fake_stripe, payment)
    fake_stripe.refund_directly(payment.reference)
    post_event(
        client,
        fake_stripe,
        fake_stripe.event("charge.refunded", fake_stripe.charge_for(payment.reference)),
    )

    post_event(client, fake_stripe, paid)

    order.refresh_from_db()
    assert (order.status, order.needs_review) == (OrderStatus.UNPAID, True)
    assert Payment.objects.get().status == PaymentStatus.REFUNDED


def test_refunds_at_stripe_are_recorded_and_never_go_down(
    client, fake_stripe, order, payment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, fake_stripe, succeeded_event(fake_stripe, payment))
    fake_stripe.refund_directly(payment.reference, amount=1000)
    partial = fake_stripe.event("charge.refunded", fake_stripe.charge_for(payment.reference))
    fake_stripe.refund_directly(payment.reference)
    full = fake_stripe.event("charge.refunded", fake_stripe.charge_for(payment.reference))

    post_event(client, fake_stripe, full)
    late = post_event(client, fake_stripe, partial)

    assert late.content == b"refund already recorded"
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("37.80"))
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED


def test_an_event_of_another_type_is_recorded_and_ignored(client, fake_stripe, order, payment):
    event = fake_stripe.event("customer.created", {"id": "cus_123", "object": "customer"})

    response = post_event(client, fake_stripe, event)

    assert (response.status_code, response.content) == (200, b"ignored")
    assert WebhookEvent.objects.get().type == "customer.created"


def test_an_event_about_an_intent_that_is_not_ours_is_acknowledged(client, fake_stripe, order):
    intent = {"id": "pi_elsewhere", "amount_received": 100, "currency": "usd", "metadata": {}}

    response = post_event(
        client, fake_stripe, fake_stripe.event("payment_intent.succeeded", intent)
    )

    assert (response.status_code, response.content) == (200, b"unknown payment intent pi_elsewhere")
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID


def test_a_success_whose_create_answer_was_lost_is_found_by_its_metadata(
    client, fake_stripe, order, django_capture_on_commit_callbacks
):
    # given the intent was created but its answer lost, and the customer paid it anyway
    fake_stripe.fail_next("lost", times=3)
    with pytest.raises(gateway.GatewayUnavailable):
        start(order)
    (intent_id,) = fake_stripe.intents
    intent = fake_stripe.succeed(intent_id)

    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, fake_stripe, fake_stripe.event("payment_intent.succeeded", intent))

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.get().reference == intent_id


def test_the_endpoint_takes_only_posts_and_needs_no_csrf_token(fake_stripe, order, payment):
    client = Client(enforce_csrf_checks=True)
    event = succeeded_event(fake_stripe, payment)

    assert client.get(reverse("shop:stripe_webhook")).status_code == 405
    assert post_event(client, fake_stripe, event).status_code == 200
