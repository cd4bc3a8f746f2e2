"""Staff refunds through Stripe, in full or in part, with or without putting the units back
in stock; refused refunds change nothing and a refund Stripe did not answer is paid once."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from shop.models import (
    Batch,
    MovementKind,
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
    StockMovement,
)
from shop.payments import dummy, refunds, settlement
from tests.factories import UserFactory
from tests.shop.checkout_data import placed_order
from tests.shop.payments.stripe_data import start

pytestmark = pytest.mark.django_db


def pay(fake, order) -> Payment:
    payment = start(order)
    with transaction.atomic():
        settlement.succeeded(intent=fake.succeed(payment.reference))
    payment.refresh_from_db()
    return payment


@pytest.fixture
def operator():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def paid(fake_stripe, order):
    """The order of two jars (37.80 USD) paid through Stripe: 8 jars left in HONEY1."""
    payment = pay(fake_stripe, order)
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 8
    return payment


def nothing_changed(fake, payment: Payment) -> tuple:
    payment.refresh_from_db()
    return (
        Refund.objects.count(),
        fake.refunds,
        payment.status,
        payment.refunded_amount,
        payment.order.status,
        Batch.objects.get(lot_code="HONEY1").on_hand,
    )


def test_a_full_refund_with_restock_returns_the_money_and_the_jars(
    fake_stripe, order, paid, operator
):
    # when staff refund everything and put the jars back
    refund = refunds.refund_order(
        order_id=order.pk, amount=None, restock=True, reason="Broken in transit", actor=operator
    )

    # then Stripe refunded 37.80 USD on the intent, once
    (stripe_refund,) = fake_stripe.refunds.values()
    assert (stripe_refund["amount"], stripe_refund["payment_intent"]) == (3780, paid.reference)
    assert fake_stripe.idempotency_keys[-1] == f"ocop-refund-{refund.pk}"
    assert (refund.reference, refund.amount, refund.restocked, refund.created_by) == (
        stripe_refund["id"],
        Decimal("37.80"),
        True,
        operator,
    )
    # and the payment and order say so
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("37.80"))
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert order.history.last().actor == operator
    # and both jars are back in HONEY1 through a "returned" movement
    batch = Batch.objects.get(lot_code="HONEY1")
    assert batch.on_hand == 10
    returned = StockMovement.objects.get(kind=MovementKind.RETURNED)
    assert (returned.batch, returned.quantity, returned.actor) == (batch, 2, operator)
    assert returned.shown_reason == f"Refund {stripe_refund['id']} of order {order.number}"


def test_partial_refunds_add_up_to_a_full_one(fake_stripe, order, paid, operator):
    first = refunds.refund_order(
        order_id=order.pk, amount=Decimal("10.00"), restock=False, reason="Late", actor=operator
    )

    paid.refresh_from_db()
    order.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (
        PaymentStatus.PARTIALLY_REFUNDED,
        Decimal("10.00"),
    )
    assert order.status == OrderStatus.PAID
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 8
    assert refunds.order_refundable(order_id=order.pk) == Decimal("27.80")

    second = refunds.refund_order(
        order_id=order.pk, amount=None, restock=False, reason="Lost", actor=operator
    )

    assert [r["amount"] for r in fake_stripe.refunds.values()] == [1000, 2780]
    assert (first.amount, second.amount) == (Decimal("10.00"), Decimal("27.80"))
    paid.refresh_from_db()
    order.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("37.80"))
    assert order.status == OrderStatus.REFUNDED


def test_a_partial_refund_with_restock_puts_the_jars_back_once(fake_stripe, order, paid, operator):
    refunds.refund_order(
        order_id=order.pk, amount=Decimal("20.00"), restock=True, reason="Returned", actor=operator
    )
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 10
    before = nothing_changed(fake_stripe, paid)

    with pytest.raises(refunds.NothingToRestock):
        refunds.refund_order(
            order_id=order.pk, amount=Decimal("5.00"), restock=True, reason="Again", actor=operator
        )

    assert nothing_changed(fake_stripe, paid) == before


def test_a_vnd_refund_is_sent_in_whole_dong(fake_stripe, honey_batch, operator):
    order = placed_order((honey_batch.variant, 2), currency="VND")
    payment = pay(fake_stripe, order)
    assert payment.amount == Decimal("680000")

    refunds.refund_order(
        order_id=order.pk, amount=Decimal("145000"), restock=False, reason="", actor=operator
    )

    assert [r["amount"] for r in fake_stripe.refunds.values()] == [145000]
    assert fake_stripe.intents[payment.reference]["amount"] == 680000


def test_more_than_is_refundable_is_refused_and_changes_nothing(fake_stripe, order, paid, operator):
    before = nothing_changed(fake_stripe, paid)

    with pytest.raises(refunds.RefundTooLarge) as too_large:
        refunds.refund_order(
            order_id=order.pk, amount=Decimal("37.81"), restock=True, reason="", actor=operator
        )

    assert (too_large.value.refundable, too_large.value.currency) == (Decimal("37.80"), "USD")
    assert nothing_changed(fake_stripe, paid) == before


@pytest.mark.parametrize("amount", ["0", "-1.00", "0.001", "10.005"])
def test_an_amount_that_cannot_be_paid_is_refused(fake_stripe, order, paid, operator, amount):
    before = nothing_changed(fake_stripe, paid)

    with pytest.raises(refunds.InvalidRefundAmount):
        refunds.refund_order(
            order_id=order.pk, amount=Decimal(amount), restock=False, reason="", actor=operator
        )

    assert nothing_changed(fake_stripe, paid) == before


def test_half_a_dong_is_refused(fake_stripe, honey_batch, operator):
    order = placed_order((honey_batch.variant, 1), currency="VND")
    pay(fake_stripe, order)

    with pytest.raises(refunds.InvalidRefundAmount):
        refunds.refund_order(
            order_id=order.pk, amount=Decimal("1000.50"), restock=False, reason="", actor=operator
        )

    assert Refund.objects.count() == 0


def test_an_unpaid_order_has_nothing_to_refund(fake_stripe, order, operator):
    start(order)

    with pytest.raises(refunds.NoRefundablePayment):
        refunds.refund_order(
            order_id=order.pk, amount=None, restock=False, reason="", actor=operator
        )

    assert Refund.objects.count() == 0
    assert fake_stripe.refunds == {}


def test_a_refund_stripe_did_not_answer_stays_pending_and_is_paid_once(
    fake_stripe, order, paid, operator
):
    # given Stripe refunds but its answers never arrive
    fake_stripe.fail_next("lost", times=3)

    # when staff refund with restock
    with pytest.raises(refunds.RefundPending) as pending:
        refunds.refund_order(
            order_id=order.pk, amount=None, restock=True, reason="", actor=operator
        )

    # then the refund waits as pending: the money and the jars are not counted yet
    refund = pending.value.refund
    assert Refund.objects.get().reference == ""
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.SUCCEEDED, 0)
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 8
    assert refunds.order_refundable(order_id=order.pk) == 0
    # when reconciliation completes pending refunds
    completed = refunds.complete_pending_refunds(
        opened_before=timezone.now() + datetime.timedelta(minutes=1)
    )

    # then Stripe answers for the same refund (same key): one refund, recorded once
    assert completed == (1, 0)
    (stripe_refund,) = fake_stripe.refunds.values()
    assert set(fake_stripe.idempotency_keys[-4:]) == {f"ocop-refund-{refund.pk}"}
    assert Refund.objects.get().reference == stripe_refund["id"]
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("37.80"))
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 10
    # and completing again changes nothing
    assert refunds.complete_refund(refund_id=refund.pk).reference == stripe_refund["id"]
    assert StockMovement.objects.filter(kind=MovementKind.RETURNED).count() == 1


def test_a_refund_stripe_refuses_is_dropped_and_changes_nothing(fake_stripe, order, paid, operator):
    # given the money was already refunded from Stripe's dashboard
    fake_stripe.refund_directly(paid.reference)
    before = nothing_changed(fake_stripe, paid)

    with pytest.raises(refunds.RefundRefused):
        refunds.refund_order(
            order_id=order.pk, amount=None, restock=True, reason="", actor=operator
        )

    assert nothing_changed(fake_stripe, paid) == before
    order.refresh_from_db()
    assert order.needs_review is False


def test_a_dummy_payment_is_refunded_in_the_books(settings, order, operator):
    settings.STRIPE_SECRET_KEY = ""
    start_ = dummy.DummyGateway().start_payment(order=order)
    dummy.complete(reference=start_.payment.reference, approve=True)

    refund = refunds.refund_order(
        order_id=order.pk, amount=None, restock=True, reason="", actor=operator
    )

    assert refund.reference == f"dummy_re_{refund.pk}"
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 10
