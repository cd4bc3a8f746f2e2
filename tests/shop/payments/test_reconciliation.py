"""Reconciliation asks Stripe about attempts whose webhook never came, so a paid order never
stays unpaid, and tidies intents left open on cancelled orders."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from shop import orders
from shop.models import Batch, Order, OrderStatus, Payment, PaymentStatus, Refund
from shop.payments import reconciliation, refunds
from tests.shop.payments.stripe_data import start
from worker.celery import app
from worker.tasks import payments as payment_tasks

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(minutes=31)


@pytest.fixture
def payment(fake_stripe, order):
    return start(order)


def reconcile(**kwargs):
    return reconciliation.reconcile_payments(now=timezone.now() + LATER, **kwargs)


def test_a_paid_order_whose_webhook_was_lost_is_marked_paid(
    fake_stripe, order, payment, django_capture_on_commit_callbacks
):
    # given the customer paid, but Stripe's webhook never reached the shop
    fake_stripe.succeed(payment.reference)

    # when reconciliation runs after PAYMENT_RECONCILE_AFTER_MINUTES (30)
    with django_capture_on_commit_callbacks(execute=True):
        report = reconcile()

    # then the order is paid, its jars sold and the confirmation sent
    assert (report.checked, report.paid, report.unreachable) == (1, 1, 0)
    assert fake_stripe.calls("GET", f"/v1/payment_intents/{payment.reference}") == [{}]
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 8
    assert len(mail.outbox) == 1


def test_a_second_run_changes_nothing_more(fake_stripe, order, payment):
    fake_stripe.succeed(payment.reference)
    reconcile()
    history = order.history.count()

    report = reconcile()

    assert report.checked == 0
    assert order.history.count() == history


def test_recent_attempts_are_not_asked_about(fake_stripe, order, payment):
    fake_stripe.succeed(payment.reference)

    report = reconciliation.reconcile_payments(now=timezone.now())

    assert report.checked == 0
    assert fake_stripe.calls("GET", "/v1/payment_intents") == []
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID


def test_an_attempt_still_waiting_for_the_shopper_stays_open(fake_stripe, order, payment):
    report = reconcile()

    assert report.checked == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    assert Payment.objects.get().status == PaymentStatus.PENDING
    assert fake_stripe.intents[payment.reference]["status"] == "requires_payment_method"


def test_a_declined_card_marks_the_attempt_failed(fake_stripe, order, payment):
    fake_stripe.intents[payment.reference]["last_payment_error"] = {"code": "card_declined"}

    reconcile()

    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    assert Payment.objects.get().status == PaymentStatus.FAILED


def test_when_stripe_does_not_answer_the_next_run_tries_again(fake_stripe, order, payment):
    fake_stripe.succeed(payment.reference)
    fake_stripe.fail_next(500, times=3)

    first = reconcile()

    assert (first.checked, first.unreachable) == (0, 1)
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    second = reconcile()
    assert (second.checked, second.paid) == (1, 1)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_an_intent_left_open_on_an_expired_order_is_cancelled_at_stripe(
    fake_stripe, order, payment
):
    orders.expire_unpaid_orders(now=timezone.now() + datetime.timedelta(hours=2))

    reconcile()

    assert fake_stripe.intents[payment.reference]["status"] == "canceled"
    assert Payment.objects.get().status == PaymentStatus.CANCELLED
    assert reconcile().checked == 0


def test_a_payment_that_came_after_expiry_is_found_and_the_order_paid(
    fake_stripe, order, payment, django_capture_on_commit_callbacks
):
    orders.expire_unpaid_orders(now=timezone.now() + datetime.timedelta(hours=2))
    fake_stripe.succeed(payment.reference)

    with django_capture_on_commit_callbacks(execute=True):
        report = reconciliation.reconcile_payments(now=timezone.now() + datetime.timedelta(hours=3))

    assert report.paid == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert [h.to_status for h in order.history.all()] == ["unpaid", "cancelled", "paid"]
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 8


def test_a_refund_stripe_did_not_answer_is_completed(fake_stripe, order, payment):
    # given a paid order whose refund met a Stripe outage
    fake_stripe.succeed(payment.reference)
    reconcile()
    fake_stripe.fail_next(503, times=3)
    with pytest.raises(refunds.RefundPending):
        refunds.refund_order(
            order_id=order.pk, amount=Decimal("5.00"), restock=False, reason="", actor=None
        )

    # when reconciliation runs later
    report = reconcile()

    # then the refund went through, once
    assert (report.refunds_completed, report.refunds_pending) == (1, 0)
    assert [r["amount"] for r in fake_stripe.refunds.values()] == [500]
    assert Refund.objects.get().reference.startswith("re_")
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("5.00")


def test_without_stripe_keys_nothing_is_asked(settings, fake_stripe, order, payment):
    settings.STRIPE_SECRET_KEY = ""

    report = reconcile()

    assert report == reconciliation.Reconciliation()
    assert fake_stripe.calls("GET", "/v1/payment_intents") == []


def test_beat_runs_the_reconciliation_task(fake_stripe, order, payment):
    entry = app.conf.beat_schedule["reconcile-stripe-payments"]
    assert entry["task"] == "worker.tasks.payments.reconcile_stripe_payments"
    assert entry["task"] in app.tasks
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - LATER)
    fake_stripe.succeed(payment.reference)

    counts = payment_tasks.reconcile_stripe_payments.delay().get()

    assert counts == {
        "checked": 1,
        "paid": 1,
        "unreachable": 0,
        "refunds_completed": 0,
        "refunds_pending": 0,
    }
    assert Order.objects.get().status == OrderStatus.PAID
