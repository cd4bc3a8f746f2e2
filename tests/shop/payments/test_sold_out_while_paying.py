"""Sold out while paying: a payment arrives for an order that can no longer be filled (its
hold expired and the jars were bought by someone else, or its batch was recalled). The
money goes back automatically, the order is cancelled and the shopper gets an apology;
Stripe is never called while stock rows are locked."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from shop import orders
from shop.models import (
    AllocationState,
    Batch,
    BatchStatus,
    MovementKind,
    Order,
    OrderLineBatch,
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
    StockMovement,
)
from shop.payments import reconciliation
from tests.factories import BatchFactory
from tests.shop.checkout_data import honey, placed_order
from tests.shop.payments.stripe_data import post_event, start, succeeded_event

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(hours=2)


@pytest.fixture
def last_jars():
    """The last two jars of honey, in lot LAST2."""
    return BatchFactory(variant=honey(), lot_code="LAST2", quantity_received=2)


def expire_all():
    orders.expire_unpaid_orders(now=timezone.now() + LATER)


def test_a_payment_after_the_jars_were_sold_to_someone_else_is_refunded_with_an_apology(
    client, fake_stripe, last_jars, django_capture_on_commit_callbacks
):
    # given Jane's order of the last two jars, whose time to pay ran out while she paid
    jane = placed_order((last_jars.variant, 2))
    payment = start(jane)
    expire_all()
    # and another shopper who then bought the two jars
    other = placed_order((last_jars.variant, 2))
    # when Jane's payment succeeds at Stripe
    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, fake_stripe, succeeded_event(fake_stripe, payment))

    # then her money goes back in full, once, through Stripe
    assert (response.status_code, response.content) == (200, b"order cancelled, payment refunded")
    (stripe_refund,) = fake_stripe.refunds.values()
    assert (stripe_refund["payment_intent"], stripe_refund["amount"]) == (payment.reference, 3780)
    refund = Refund.objects.get()
    assert (refund.payment, refund.amount, refund.reference, refund.created_by) == (
        payment,
        Decimal("37.80"),
        stripe_refund["id"],
        None,
    )
    assert refund.reason == "Sold out while paying"
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (PaymentStatus.REFUNDED, Decimal("37.80"))
    # and her order stays cancelled, the other shopper keeps the jars
    jane.refresh_from_db()
    assert jane.status == OrderStatus.CANCELLED
    assert not OrderLineBatch.objects.filter(
        line__order=jane, state=AllocationState.ALLOCATED
    ).exists()
    assert OrderLineBatch.objects.get(line__order=other).state == AllocationState.ALLOCATED
    assert Batch.objects.get(lot_code="LAST2").on_hand == 2
    assert not StockMovement.objects.filter(kind=MovementKind.SOLD).exists()
    # and she gets an apology, not a confirmation
    (apology,) = mail.outbox
    assert apology.to == ["anna@example.de"]
    assert apology.subject == f"We are sorry: order {jane.number} could not be completed"
    assert "We have cancelled the order and refunded your payment of $37.80 in full." in (
        apology.body
    )
    assert "Tây Bắc wildflower honey" in apology.body
    assert "refunded your payment of $37.80" in apology.alternatives[0][0]


def test_the_return_page_tells_the_shopper_the_order_could_not_be_completed(
    client, fake_stripe, last_jars
):
    jane = placed_order((last_jars.variant, 2))
    payment = start(jane)
    expire_all()
    placed_order((last_jars.variant, 2))
    post_event(client, fake_stripe, succeeded_event(fake_stripe, payment))

    response = client.get(reverse("shop:stripe_return", args=[jane.token]), follow=True)

    html = response.content.decode()
    assert "could not be completed while you were paying" in html
    assert "Your payment is refunded in full" in html


def test_stripes_refund_event_that_follows_changes_nothing_more(client, fake_stripe, last_jars):
    jane = placed_order((last_jars.variant, 2))
    payment = start(jane)
    expire_all()
    placed_order((last_jars.variant, 2))
    post_event(client, fake_stripe, succeeded_event(fake_stripe, payment))

    refunded = fake_stripe.event("charge.refunded", fake_stripe.charge_for(payment.reference))
    response = post_event(client, fake_stripe, refunded)

    assert response.content == b"refund already recorded"
    assert Refund.objects.count() == 1
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("37.80")


def test_an_expired_order_whose_jars_are_still_there_is_paid(
    client, fake_stripe, order, django_capture_on_commit_callbacks
):
    payment = start(order)
    expire_all()

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, fake_stripe, succeeded_event(fake_stripe, payment))

    assert response.content == b"order paid after it had expired"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 8
    assert fake_stripe.refunds == {}
    assert [m.subject for m in mail.outbox] == [f"Order {order.number} confirmed. Thank you!"]


def test_a_batch_recalled_while_paying_cancels_and_refunds_the_order(
    client, fake_stripe, order, django_capture_on_commit_callbacks
):
    # given the batch the order took was recalled while the shopper paid
    payment = start(order)
    Batch.objects.filter(lot_code="HONEY1").update(status=BatchStatus.RECALLED)

    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, fake_stripe, succeeded_event(fake_stripe, payment))

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.history.last().shown_note == "Sold out while paying"
    assert [r["amount"] for r in fake_stripe.refunds.values()] == [3780]
    assert not OrderLineBatch.objects.filter(state=AllocationState.ALLOCATED).exists()
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 10
    assert [m.subject for m in mail.outbox] == [
        f"We are sorry: order {order.number} could not be completed"
    ]


def test_a_payment_for_an_order_a_recall_cancelled_is_refunded_with_an_apology(
    client, fake_stripe, order, django_capture_on_commit_callbacks
):
    # given a recall took the batch off sale and cancelled the unpaid order
    payment = start(order)
    Batch.objects.filter(lot_code="HONEY1").update(status=BatchStatus.RECALLED)
    orders.cancel(order_id=order.pk, note="Cancelled: a batch in this order was recalled")

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, fake_stripe, succeeded_event(fake_stripe, payment))

    assert response.content == b"order cancelled, payment refunded"
    assert [r["amount"] for r in fake_stripe.refunds.values()] == [3780]
    assert Refund.objects.get().reason == "A batch of the order was recalled while paying"
    order.refresh_from_db()
    assert (order.status, order.needs_review) == (OrderStatus.CANCELLED, False)
    assert [m.subject for m in mail.outbox] == [
        f"We are sorry: order {order.number} could not be completed"
    ]


def test_the_apology_speaks_the_shoppers_language(
    client, fake_stripe, honey_batch, django_capture_on_commit_callbacks
):
    order = placed_order((honey_batch.variant, 1), language="vi", currency="VND")
    payment = start(order)
    Batch.objects.filter(pk=honey_batch.pk).update(status=BatchStatus.RECALLED)

    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, fake_stripe, succeeded_event(fake_stripe, payment))

    (apology,) = mail.outbox
    assert apology.subject == f"Rất tiếc: đơn hàng {order.number} không thể hoàn tất"
    assert "hoàn lại toàn bộ số tiền 535.000\xa0₫" in apology.body
    assert [r["amount"] for r in fake_stripe.refunds.values()] == [535000]


def test_a_refund_stripe_does_not_take_now_is_completed_by_reconciliation(
    client, fake_stripe, order, django_capture_on_commit_callbacks
):
    payment = start(order)
    Batch.objects.filter(lot_code="HONEY1").update(status=BatchStatus.RECALLED)
    paid = succeeded_event(fake_stripe, payment)
    fake_stripe.fail_next(500, times=3)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, fake_stripe, paid)

    # the event is taken (the refund waits), the order cancelled and the shopper told
    assert response.status_code == 200
    assert fake_stripe.refunds == {}
    assert Refund.objects.get().reference == ""
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert len(mail.outbox) == 1
    # and the next reconciliation pays the money back, once
    report = reconciliation.reconcile_payments(now=timezone.now() + LATER)
    assert report.refunds_completed == 1
    assert [r["amount"] for r in fake_stripe.refunds.values()] == [3780]
    assert Payment.objects.get().status == PaymentStatus.REFUNDED


def test_a_payment_for_an_order_staff_cancelled_is_refunded_for_review(
    client, fake_stripe, order, django_capture_on_commit_callbacks
):
    # given staff cancelled the order while the shopper was paying it
    payment = start(order)
    orders.cancel(order_id=order.pk, note="Customer asked by phone")

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, fake_stripe, succeeded_event(fake_stripe, payment))

    # then the money goes back, staff are asked to look, and no apology is sent
    assert response.content == b"payment refunded"
    assert [r["payment_intent"] for r in fake_stripe.refunds.values()] == [payment.reference]
    order.refresh_from_db()
    assert (order.status, order.needs_review) == (OrderStatus.CANCELLED, True)
    assert order.review_note == (
        "Payment for an order that is no longer waiting for it: "
        f"Stripe payment {payment.reference} is refunded in full."
    )
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_stripe_is_called_only_after_the_stock_rows_are_unlocked(client, fake_stripe, settings):
    # given an unpaid order of a batch recalled while the shopper paid
    batch = BatchFactory(variant=honey(), lot_code="LOCKS", quantity_received=4)
    order = placed_order((batch.variant, 2))
    payment = start(order)
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RECALLED)
    seen = []

    def try_the_locks(method, path, params):
        # Runs in the fake's thread, on its own database connection.
        if (method, path) != ("POST", "/v1/refunds"):
            return
        try:
            with transaction.atomic():
                list(Batch.objects.select_for_update(nowait=True).filter(pk=batch.pk))
                list(Order.objects.select_for_update(nowait=True).filter(pk=order.pk))
                # SQLite has no row locks: a write shows whether a transaction is open.
                Batch.objects.filter(pk=batch.pk).update(on_hand=F("on_hand"))
            seen.append("free")
        except DatabaseError as exc:
            seen.append(f"locked: {exc}")
        finally:
            connection.close()

    fake_stripe.on_request = try_the_locks

    # when the payment's success arrives
    response = post_event(client, fake_stripe, succeeded_event(fake_stripe, payment))

    # then Stripe was asked for the refund while nothing was locked
    assert response.status_code == 200
    assert seen == ["free"]
    assert len(fake_stripe.refunds) == 1
