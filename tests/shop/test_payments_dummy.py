from decimal import Decimal

import pytest

from shop import payments
from shop.models import Batch, Order, OrderStatus, Payment, PaymentStatus
from shop.payments import dummy
from tests.factories import BatchFactory
from tests.shop.checkout_data import honey, placed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order():
    jar = honey()
    BatchFactory(variant=jar, lot_code="HONEY1", quantity_received=10)
    return placed_order((jar, 2))


def test_the_embedded_default_uses_the_dummy_gateway(settings):
    settings.STRIPE_SECRET_KEY = ""
    assert payments.get_gateway().name == "dummy"


def test_stripe_keys_without_the_stripe_gateway_say_it_is_unavailable(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    try:
        gateway = payments.get_gateway()
    except payments.GatewayUnavailable:
        return
    assert gateway.name == "stripe"


def test_start_payment_opens_one_pending_payment_for_the_orders_total(order):
    gateway = dummy.DummyGateway()
    first = gateway.start_payment(order=order)
    again = gateway.start_payment(order=order)

    assert again.payment.pk == first.payment.pk
    assert (first.payment.amount, first.payment.currency, first.payment.status) == (
        Decimal("37.80"),
        "USD",
        PaymentStatus.PENDING,
    )
    assert first.redirect_url == f"/pay/dummy/{first.payment.reference}/"
    assert Payment.objects.count() == 1


def test_paying_marks_the_payment_and_the_order_paid(order):
    start = dummy.DummyGateway().start_payment(order=order)

    payment = dummy.complete(reference=start.payment.reference, approve=True)

    order.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert order.status == OrderStatus.PAID
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 8


def test_pressing_pay_twice_changes_nothing_the_second_time(order):
    start = dummy.DummyGateway().start_payment(order=order)
    dummy.complete(reference=start.payment.reference, approve=True)
    dummy.complete(reference=start.payment.reference, approve=True)
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 8
    assert order.history.count() == 2


def test_declining_fails_the_payment_and_leaves_the_order_unpaid(order):
    start = dummy.DummyGateway().start_payment(order=order)

    with pytest.raises(payments.PaymentDeclined):
        dummy.complete(reference=start.payment.reference, approve=False)

    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    assert Payment.objects.get().status == PaymentStatus.FAILED
    # the shopper may try again: a new attempt opens
    retry = dummy.DummyGateway().start_payment(order=order)
    assert retry.payment.pk != start.payment.pk


def test_a_cancelled_order_cannot_be_paid(order):
    start = dummy.DummyGateway().start_payment(order=order)
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.CANCELLED)

    with pytest.raises(payments.OrderNotPayable):
        dummy.complete(reference=start.payment.reference, approve=True)
    with pytest.raises(payments.OrderNotPayable):
        dummy.DummyGateway().start_payment(order=order)

    assert Payment.objects.get().status == PaymentStatus.PENDING
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 10
