"""Refunds: staff give an order's money back in full or in part, and may put its units back
on the shelf; the shop refunds on its own when a paid order cannot be filled.

Two steps, so that Stripe is never called while a row is locked:
1. open: under the order and payment row locks, check the amount against what is still
   refundable (paid, less refunded, less refunds still pending) and write a pending Refund
   (no reference yet); commit.
2. complete: ask Stripe for the refund with an idempotency key made from the Refund row,
   then under the locks again record Stripe's refund id, the payment's refunded amount and
   status, the order's status (refunded once all its money went back) and, when staff asked
   for it, `returned` ledger movements for the order's sold units.
A refund Stripe did not answer stays pending and reconciliation completes it with the same
key, so the money never goes back twice. A refund Stripe refuses is deleted: nothing changed.
Payments of the embedded dummy gateway are refunded in our books only.
"""

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from shop import inventory, orders
from shop.models import (
    AllocationState,
    MovementKind,
    Order,
    OrderLineBatch,
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
    User,
)
from shop.money import quantize, to_minor_units
from shop.payments import GatewayUnavailable, PaymentDeclined, PaymentError
from shop.payments import stripe as gateway

logger = logging.getLogger(__name__)

# A Payment whose success we recorded (refunds keep it in this group).
SETTLED = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)


class RefundError(PaymentError):
    """Base of refunds that did not happen (or not yet)."""


class NoRefundablePayment(RefundError):
    """The order has no received payment with money left to give back."""


class InvalidRefundAmount(RefundError):
    """Zero, negative, or finer than the currency's minor unit (VND has none)."""


class RefundTooLarge(RefundError):
    def __init__(self, *, requested: Decimal, refundable: Decimal, currency: str):
        self.requested, self.refundable, self.currency = requested, refundable, currency
        super().__init__(f"{requested} {currency} asked, {refundable} {currency} refundable.")


class NothingToRestock(RefundError):
    """No sold units to put back, or a refund already put them back."""


class RefundPending(RefundError):
    """Stripe did not answer; the refund is recorded as pending and completed later."""

    def __init__(self, refund: Refund):
        self.refund = refund
        super().__init__(f"Refund {refund.pk} is pending: Stripe did not answer.")


class RefundRefused(RefundError):
    """Stripe refused the refund; nothing was written."""


def refunded_status(payment: Payment) -> str:
    if payment.refunded_amount >= payment.amount:
        return PaymentStatus.REFUNDED
    if payment.refunded_amount > 0:
        return PaymentStatus.PARTIALLY_REFUNDED
    return PaymentStatus.SUCCEEDED


def refundable(payment: Payment) -> Decimal:
    """What is left to give back on a received payment: paid, less refunded, less pending."""
    if payment.status not in SETTLED:
        return Decimal(0)
    pending = payment.refunds.filter(reference="").aggregate(total=Sum("amount"))["total"]
    return max(payment.amount - payment.refunded_amount - (pending or 0), Decimal(0))


def order_refundable(*, order_id: int) -> Decimal:
    """The most one refund of the order can give back now (its best-funded payment)."""
    payments = Payment.objects.filter(order_id=order_id, status__in=SETTLED)
    return max((refundable(p) for p in payments), default=Decimal(0))


def has_refund(*, order_id: int) -> bool:
    """Whether any money of the order was, or is being, given back."""
    return Refund.objects.filter(payment__order_id=order_id).exists()


def refund_order(
    *,
    order_id: int,
    amount: Decimal | None,
    restock: bool,
    reason: str,
    actor: User | None,
) -> Refund:
    """Staff refund `amount` (None: everything still refundable) of an order's payment.

    With `restock`, the order's sold units go back to their batches as `returned`
    movements once the refund went through. Raises NoRefundablePayment,
    InvalidRefundAmount, RefundTooLarge or NothingToRestock (nothing written),
    RefundRefused (Stripe said no; nothing written) or RefundPending (Stripe did not
    answer; the refund stays pending and is completed by reconciliation).
    """
    refund = _open(order_id=order_id, amount=amount, restock=restock, reason=reason, actor=actor)
    return complete_refund(refund_id=refund.pk)


def _open(
    *, order_id: int, amount: Decimal | None, restock: bool, reason: str, actor: User | None
) -> Refund:
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if amount is not None and (amount <= 0 or quantize(amount, order.currency) != amount):
            raise InvalidRefundAmount(f"{amount} {order.currency}")
        payments = list(
            Payment.objects.select_for_update()
            .filter(order=order, status__in=SETTLED)
            .order_by("pk")
        )
        left = [(p, refundable(p)) for p in payments]
        left = [(p, money) for p, money in left if money > 0]
        if not left:
            raise NoRefundablePayment(order.number)
        payment, most = max(left, key=lambda pair: pair[1])
        amount = most if amount is None else amount
        if amount > most:
            raise RefundTooLarge(requested=amount, refundable=most, currency=order.currency)
        if restock and not _restockable(order):
            raise NothingToRestock(order.number)
        return Refund.objects.create(
            payment=payment,
            amount=amount,
            reason=reason[:300],
            restocked=restock,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )


def _restockable(order: Order) -> bool:
    sold = OrderLineBatch.objects.filter(line__order=order, state=AllocationState.SOLD)
    already = Refund.objects.filter(payment__order=order, restocked=True)
    return sold.exists() and not already.exists()


def open_automatic_refund(*, payment: Payment, reason: str) -> Refund | None:
    """A pending refund of everything still refundable on a payment, for the shop's own
    decisions (sold out while paying, money for a cancelled order). Runs inside the
    caller's transaction, which holds the order and payment locks; the caller completes it
    after the commit. None when nothing is left to refund."""
    money = refundable(payment)
    if money <= 0:
        return None
    return Refund.objects.create(payment=payment, amount=money, reason=reason[:300])


def complete_refund(*, refund_id: int) -> Refund:
    """Send a pending refund to Stripe and record the answer (see the module docstring).
    Completing a refund twice changes nothing the second time. Raises RefundPending or
    RefundRefused."""
    refund = Refund.objects.select_related("payment__order").get(pk=refund_id)
    if refund.reference:
        return refund
    payment = refund.payment
    if payment.gateway != gateway.NAME:
        return _record(refund_id=refund.pk, reference=f"{payment.gateway}_re_{refund.pk}")
    try:
        answer = gateway.create_refund(
            payment=payment,
            amount_minor=to_minor_units(refund.amount, payment.currency),
            refund_id=refund.pk,
            metadata={"order_number": payment.order.number, "refund_id": str(refund.pk)},
        )
    except GatewayUnavailable as exc:
        raise RefundPending(refund) from exc
    except (gateway.StripeRefused, PaymentDeclined) as exc:
        _drop(refund_id=refund.pk, message=str(exc))
        raise RefundRefused(str(exc)) from exc
    return _record(refund_id=refund.pk, reference=answer["id"])


def _drop(*, refund_id: int, message: str) -> None:
    with transaction.atomic():
        refund = Refund.objects.select_related("payment").get(pk=refund_id)
        order = Order.objects.select_for_update().get(pk=refund.payment.order_id)
        deleted, _rows = Refund.objects.filter(pk=refund_id, reference="").delete()
        if deleted and refund.created_by_id is None:
            # Nobody is looking at a screen for the shop's own refunds: ask staff to.
            note = f"Stripe refused the refund of {refund.amount} {order.currency}: {message}"
            Order.objects.filter(pk=order.pk).update(
                needs_review=True, review_note=f"{order.review_note}\n{note}".strip()
            )


def _record(*, refund_id: int, reference: str) -> Refund:
    now = timezone.now()
    with transaction.atomic():
        payment_id, order_id = Refund.objects.filter(pk=refund_id).values_list(
            "payment_id", "payment__order_id"
        )[0]
        order = Order.objects.select_for_update().get(pk=order_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if refund.reference:
            return refund
        refund.reference = reference
        refund.save(update_fields=["reference"])
        confirmed = payment.refunds.exclude(reference="").aggregate(total=Sum("amount"))["total"]
        payment.refunded_amount = max(payment.refunded_amount, confirmed or Decimal(0))
        payment.status = refunded_status(payment)
        payment.updated_at = now
        payment.save(update_fields=["refunded_amount", "status", "updated_at"])
        if refund.restocked:
            _restock(order=order, refund=refund)
        money_left = Payment.objects.filter(
            order=order, status__in=[PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED]
        )
        if (
            payment.status == PaymentStatus.REFUNDED
            and order.can_move_to(OrderStatus.REFUNDED)
            and not money_left.exists()
        ):
            orders.mark_refunded(
                order_id=order.pk, actor=refund.created_by, note=f"Refund {reference}", now=now
            )
    return refund


def _restock(*, order: Order, refund: Refund) -> None:
    """The order's sold units back to their batches, one `returned` movement per batch,
    in batch order (the lock order of shop.inventory)."""
    units: dict[int, int] = {}
    for batch_id, quantity in OrderLineBatch.objects.filter(
        line__order=order, state=AllocationState.SOLD
    ).values_list("batch_id", "quantity"):
        units[batch_id] = units.get(batch_id, 0) + quantity
    for batch_id in sorted(units):
        inventory.record_movement(
            batch_id=batch_id,
            kind=MovementKind.RETURNED,
            quantity=units[batch_id],
            reason=f"Refund {refund.reference} of order {order.number}",
            actor=refund.created_by,
        )


def complete_pending_refunds(*, opened_before: datetime.datetime) -> tuple[int, int]:
    """Complete the refunds still pending that were opened before the given time (a
    refund opened just now may still be on its way). Returns (completed, still pending);
    refused ones are dropped and logged."""
    completed = pending = 0
    stale = Refund.objects.filter(reference="", created_at__lte=opened_before).order_by("pk")
    for refund_id in stale.values_list("pk", flat=True):
        try:
            complete_refund(refund_id=refund_id)
        except RefundPending:
            pending += 1
        except RefundRefused as exc:
            logger.warning("Pending refund %s refused by Stripe: %s", refund_id, exc)
        else:
            completed += 1
    return completed, pending
