"""The dummy gateway: a page of ours with "Pay" and "Decline" buttons stands in for a bank.

It lets the embedded shop and the tests take an order from unpaid to paid with no outside
service, through the same seam Stripe uses: a Payment row per attempt, and
shop.fulfilment.payment.pay_order once the money is "there".

Locks, in the shop's order: the order's batches (shop.fulfilment.payment.lock_stock_of),
then the order (FOR NO KEY UPDATE), then the Payment row. A recall holding a batch lock
therefore never waits on a payment holding the order.
"""

import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shop import orders
from shop.fulfilment import payment as paying
from shop.message_codes import coded
from shop.models import Order, OrderStatus, Payment, PaymentStatus
from shop.payments import (
    ItemWithdrawn,
    OrderNotPayable,
    PaymentDeclined,
    PaymentError,
    PaymentStart,
)

NAME = "dummy"


class DummyGateway:
    name = NAME

    def start_payment(self, *, order: Order) -> PaymentStart:
        """Open a pending dummy payment for the order's total, or reuse the pending one.
        Raises OrderNotPayable when the order is not unpaid or its time to pay ran out."""
        with transaction.atomic():
            locked = orders.lock_order(order_id=order.pk)
            if locked.status != OrderStatus.UNPAID or _expired(locked):
                raise OrderNotPayable(locked.number)
            payment = Payment.objects.filter(
                order=locked, gateway=NAME, status=PaymentStatus.PENDING
            ).first()
            if payment is None:
                payment = Payment.objects.create(
                    order=locked,
                    gateway=NAME,
                    reference=f"dummy_{secrets.token_hex(12)}",
                    amount=locked.total,
                    currency=locked.currency,
                )
        return PaymentStart(
            payment=payment, redirect_url=reverse("shop:dummy_pay", args=[payment.reference])
        )


def _expired(order: Order) -> bool:
    return order.expires_at is not None and order.expires_at <= timezone.now()


def pending_payment(*, reference: str) -> Payment:
    """The dummy payment behind a reference, with its order. Raises Payment.DoesNotExist."""
    return Payment.objects.select_related("order").get(gateway=NAME, reference=reference)


# The history note of an order a withdrawn lot stopped at payment.
LOT_WITHDRAWN_NOTE = coded("lot_withdrawn_while_paying")


def complete(*, reference: str, approve: bool) -> Payment:
    """The shopper pressed "Pay" (approve) or "Decline" on the dummy payment page.

    Paying marks the payment succeeded and the order paid (shop.fulfilment.payment.
    pay_order: stock sold, shipments opened, history written, confirmation email queued),
    in one transaction under the batch, order and payment locks (that order). Pressing
    "Pay" twice changes nothing the second time. When a lot of the order was recalled or
    went past best-before meanwhile, the order is cancelled, its units released, the
    payment cancelled (no money taken) and ItemWithdrawn raised. Declining marks the
    payment failed and raises PaymentDeclined. Raises OrderNotPayable when the order was
    cancelled or its time ran out, PaymentError for a failed payment, and
    Payment.DoesNotExist for an unknown reference; nothing is written then.
    """
    order_id = Payment.objects.values_list("order_id", flat=True).get(
        gateway=NAME, reference=reference
    )
    withdrawn = None
    with transaction.atomic():
        paying.lock_stock_of(order_id=order_id)
        order = orders.lock_order(order_id=order_id)
        payment = Payment.objects.select_for_update().get(gateway=NAME, reference=reference)
        if payment.status == PaymentStatus.SUCCEEDED:
            return payment
        if payment.status != PaymentStatus.PENDING:
            raise PaymentError(f"Payment {reference} is {payment.status}.")
        if order.status != OrderStatus.UNPAID or _expired(order):
            raise OrderNotPayable(order.number)
        status = PaymentStatus.SUCCEEDED if approve else PaymentStatus.FAILED
        if approve:
            try:
                paying.pay_order(
                    order_id=order.pk, note=coded("payment_dummy", reference=reference)
                )
            except paying.LotWithdrawn as exc:
                withdrawn = exc
                status = PaymentStatus.CANCELLED
                orders.cancel(order_id=order.pk, note=LOT_WITHDRAWN_NOTE)
        Payment.objects.filter(pk=payment.pk).update(status=status, updated_at=timezone.now())
    payment.refresh_from_db()
    if withdrawn is not None:
        raise ItemWithdrawn(order.number, lot_codes=withdrawn.lot_codes)
    if not approve:
        raise PaymentDeclined(reference)
    return payment
