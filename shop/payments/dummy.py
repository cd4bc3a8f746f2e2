"""The dummy gateway: a page of ours with "Pay" and "Decline" buttons stands in for a bank.

It lets the embedded shop and the tests take an order from unpaid to paid with no outside
service, through the same seam Stripe uses: a Payment row per attempt, and
shop.orders.mark_paid once the money is "there".
"""

import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shop import orders
from shop.models import Order, OrderStatus, Payment, PaymentStatus
from shop.payments import OrderNotPayable, PaymentDeclined, PaymentError, PaymentStart

NAME = "dummy"


class DummyGateway:
    name = NAME

    def start_payment(self, *, order: Order) -> PaymentStart:
        """Open a pending dummy payment for the order's total, or reuse the pending one.
        Raises OrderNotPayable when the order is not unpaid or its time to pay ran out."""
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
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


def complete(*, reference: str, approve: bool) -> Payment:
    """The shopper pressed "Pay" (approve) or "Decline" on the dummy payment page.

    Paying marks the payment succeeded and the order paid (shop.orders.mark_paid: stock
    sold, history written, confirmation email queued), in one transaction under the payment
    and order row locks. Pressing "Pay" twice changes nothing the second time. Declining
    marks the payment failed and raises PaymentDeclined. Raises OrderNotPayable when the
    order was cancelled or its time ran out, PaymentError for a failed payment, and
    Payment.DoesNotExist for an unknown reference; nothing is written then.
    """
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .select_related("order")
            .get(gateway=NAME, reference=reference)
        )
        if payment.status == PaymentStatus.SUCCEEDED:
            return payment
        if payment.status != PaymentStatus.PENDING:
            raise PaymentError(f"Payment {reference} is {payment.status}.")
        order = payment.order
        if order.status != OrderStatus.UNPAID or _expired(order):
            raise OrderNotPayable(order.number)
        status = PaymentStatus.SUCCEEDED if approve else PaymentStatus.FAILED
        Payment.objects.filter(pk=payment.pk).update(status=status, updated_at=timezone.now())
        if approve:
            orders.mark_paid(order_id=order.pk, note=f"Dummy payment {reference}")
    payment.refresh_from_db()
    if not approve:
        raise PaymentDeclined(reference)
    return payment
