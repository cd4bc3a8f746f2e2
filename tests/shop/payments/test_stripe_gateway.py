"""The Stripe gateway against the fake Stripe server, through the real SDK: one intent per
attempt for the order's total in minor units, retries that never make a second intent, and
clear answers when Stripe times out or fails."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shop import payments
from shop.models import Order, OrderStatus, Payment, PaymentStatus
from shop.payments import settlement
from shop.payments.stripe import StripeGateway
from tests.factories import OrderFactory
from tests.shop.payments.stripe_data import start

pytestmark = pytest.mark.django_db

UNAVAILABLE = "The payment service did not answer in time."


def test_the_gateway_is_stripe_when_its_keys_are_set(fake_stripe):
    assert payments.get_gateway().name == "stripe"


@pytest.mark.parametrize(
    ("currency", "subtotal", "amount"),
    [("VND", "250000", 250000), ("USD", "12.50", 1250), ("EUR", "11.50", 1150)],
)
def test_the_intent_asks_for_the_order_total_in_minor_units(
    fake_stripe, currency, subtotal, amount
):
    # given an unpaid order of 250,000 VND, 12.50 USD or 11.50 EUR
    order = OrderFactory(currency=currency, subtotal=Decimal(subtotal), shipping_total=0)

    # when the shopper starts paying
    payment = start(order)

    # then Stripe got one intent for the total in minor units, in the order's currency
    (intent,) = fake_stripe.intents.values()
    assert (intent["amount"], intent["currency"]) == (amount, currency.lower())
    (params,) = fake_stripe.calls("POST", "/v1/payment_intents")
    assert params["automatic_payment_methods"] == {"enabled": "true"}
    assert params["metadata"] == {
        "order_number": order.number,
        "order_token": str(order.token),
        "payment_id": str(payment.pk),
    }
    assert fake_stripe.idempotency_keys == [f"ocop-order-{order.token}-attempt-{payment.pk}"]
    # and the attempt remembers the intent
    payment.refresh_from_db()
    assert (payment.reference, payment.client_secret) == (intent["id"], intent["client_secret"])
    assert (payment.amount, payment.currency, payment.status) == (
        Decimal(subtotal),
        currency,
        PaymentStatus.PENDING,
    )


def test_starting_again_reuses_the_open_intent(fake_stripe, order):
    first = StripeGateway().start_payment(order=order)
    again = StripeGateway().start_payment(order=order)

    assert again.payment.pk == first.payment.pk
    assert again.client_secret == first.client_secret != ""
    assert again.redirect_url == f"/pay/stripe/{order.token}/"
    assert len(fake_stripe.calls("POST", "/v1/payment_intents")) == 1


def test_after_a_declined_card_the_next_try_confirms_the_same_intent(fake_stripe, order):
    payment = start(order)
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.FAILED)

    again = start(order)

    assert again.pk == payment.pk
    assert len(fake_stripe.intents) == 1


def test_an_answer_lost_on_the_way_leaves_the_order_unpaid_and_the_retry_gets_the_same_intent(
    fake_stripe, order
):
    # given Stripe creates the intent but its answers never arrive (the SDK retries twice)
    fake_stripe.fail_next("lost", times=3)

    # when the shopper starts paying
    with pytest.raises(payments.GatewayUnavailable) as unavailable:
        start(order)

    # then they are told nothing was charged, and the order still waits for payment
    assert UNAVAILABLE in str(unavailable.value)
    assert "nothing was charged" in str(unavailable.value)
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    assert Payment.objects.get().reference == ""
    assert len(fake_stripe.intents) == 1

    # when they try again
    payment = start(order)

    # then the same intent comes back under the same key: there is still only one
    (intent_id,) = fake_stripe.intents
    assert payment.reference == intent_id
    assert len(fake_stripe.intents) == 1
    assert len(set(fake_stripe.idempotency_keys)) == 1
    assert len(fake_stripe.idempotency_keys) == 4
    assert Payment.objects.count() == 1


def test_a_retry_gets_the_client_secret_of_an_intent_a_webhook_named_first(fake_stripe, order):
    # given the create answer was lost and a webhook about the intent filled in its id
    fake_stripe.fail_next("lost", times=3)
    with pytest.raises(payments.GatewayUnavailable):
        start(order)
    (intent,) = fake_stripe.intents.values()
    with transaction.atomic():
        settlement.failed(intent={**intent, "last_payment_error": {"code": "card_declined"}})
    assert Payment.objects.get().reference == intent["id"]

    payment = start(order)

    assert (payment.reference, payment.client_secret) == (intent["id"], intent["client_secret"])


@pytest.mark.parametrize("fault", [500, 503, "timeout"])
def test_stripe_failing_leaves_the_order_unpaid_and_a_retry_works(fake_stripe, order, fault):
    fake_stripe.fail_next(fault, times=3)

    with pytest.raises(payments.GatewayUnavailable):
        start(order)

    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    assert fake_stripe.intents == {}
    payment = start(order)
    assert list(fake_stripe.intents) == [payment.reference]


def test_one_failed_request_is_retried_by_the_sdk_with_the_same_key(fake_stripe, order):
    fake_stripe.fail_next(500)

    payment = start(order)

    assert list(fake_stripe.intents) == [payment.reference]
    assert len(fake_stripe.idempotency_keys) == 2
    assert len(set(fake_stripe.idempotency_keys)) == 1


@pytest.mark.parametrize("status", [OrderStatus.PAID, OrderStatus.CANCELLED])
def test_an_order_no_longer_unpaid_is_not_payable(fake_stripe, order, status):
    Order.objects.filter(pk=order.pk).update(status=status)

    with pytest.raises(payments.OrderNotPayable):
        start(order)

    assert fake_stripe.requests == []
    assert Payment.objects.count() == 0


def test_an_order_past_its_time_to_pay_is_not_payable(fake_stripe, order):
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now())

    with pytest.raises(payments.OrderNotPayable):
        start(order)

    assert fake_stripe.requests == []


def test_placing_the_order_sends_the_shopper_to_the_card_page(fake_stripe, order, client):
    response = client.post(reverse("shop:order_pay", args=[order.token]))

    assert response.status_code == 302
    assert response.url == reverse("shop:stripe_pay", args=[order.token])


def test_the_card_page_mounts_stripes_payment_element(fake_stripe, order, client):
    payment = start(order)

    response = client.get(reverse("shop:stripe_pay", args=[order.token]))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert '<script src="https://js.stripe.com/v3/"></script>' in html
    assert 'data-publishable-key="pk_test_fake"' in html
    assert f'data-client-secret="{payment.client_secret}"' in html
    return_url = "http://testserver" + reverse("shop:stripe_return", args=[order.token])
    assert f'data-return-url="{return_url}"' in html
    assert "Pay $37.80" in html
    assert len(fake_stripe.intents) == 1


def test_the_card_page_speaks_vietnamese(fake_stripe, order, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    html = client.get(reverse("shop:stripe_pay", args=[order.token])).content.decode()

    assert "Thanh toán bằng thẻ" in html
    assert 'data-locale="vi"' in html


def test_the_shopper_gets_a_clear_message_when_stripe_times_out_at_checkout(
    fake_stripe, order, client
):
    # given Stripe does not answer
    fake_stripe.fail_next("timeout", times=3)

    # when the shopper goes to pay
    response = client.post(reverse("shop:order_pay", args=[order.token]), follow=True)

    # then the order page tells them nothing was charged and they can pay again
    html = response.content.decode()
    assert response.redirect_chain == [(reverse("shop:order", args=[order.token]), 302)]
    assert UNAVAILABLE in html
    assert "nothing was charged" in html
    assert "Pay now" in html
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID


def test_the_card_page_explains_an_outage_and_offers_to_try_again(fake_stripe, order, client):
    fake_stripe.fail_next(503, times=3)

    response = client.get(reverse("shop:stripe_pay", args=[order.token]))

    html = response.content.decode()
    assert response.status_code == 503
    assert UNAVAILABLE in html
    assert "you will never be charged twice" in html
    assert "Try again" in html
    assert "js.stripe.com" not in html
    # and the retry opens the page with the one intent
    assert client.get(reverse("shop:stripe_pay", args=[order.token])).status_code == 200
    assert len(fake_stripe.intents) == 1


def test_the_card_page_of_a_paid_order_goes_to_the_order(fake_stripe, order, client):
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)

    response = client.get(reverse("shop:stripe_pay", args=[order.token]))

    assert response.url == reverse("shop:order", args=[order.token])
    assert fake_stripe.requests == []


def test_an_unknown_order_token_is_a_404(fake_stripe, client):
    assert client.get(reverse("shop:stripe_pay", args=["not-a-token"])).status_code == 404
    assert client.get(reverse("shop:stripe_return", args=["not-a-token"])).status_code == 404
