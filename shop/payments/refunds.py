"""Refunds: staff give an order's money back in full or in part, and may put its units back
on the shelf; the shop refunds on its own when a paid order cannot be filled.

Two steps, so that Stripe is never called while a row is locked:
1. open: under the order and payment row locks, check the amount against what is still
   refundable (paid, less refunded, less refunds still pending) and write a pending Refund
   (no reference yet); commit.
2. complete: ask Stripe for the refund with an idempotency key made from the Refund row,
   then under the locks again record Stripe's refund id, the payment's refunded amount and
   status, the order's status (refunded once all its money went back) and, when staff asked
   for it, the restock of the refunded units that never shipped.
A refund names its lines and units (RefundLine rows; `lines=None` names every unit not
refunded yet). Restock returns exactly those units of those lines, and only units whose
shipment has not left: their SOLD allocations become RETURNED (split as needed) with
`returned` ledger movements; a shipment left with nothing to send is cancelled. Shipped
units come back only through a recorded return (shop.fulfilment.returns).
Cancelling a paid order (`cancel_order`) is a full refund with restock of every unit,
refused once anything shipped; the order ends cancelled.

Locks: batches (primary-key order) → order (FOR NO KEY UPDATE) → payment → refund, the
shop's one order; the batch ids are read first without a lock.
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

from shop import orders
from shop.fulfilment import payment as paying
from shop.fulfilment import restock as shelf
from shop.fulfilment import transitions
from shop.inventory.locks import lock_batches
from shop.message_codes import coded
from shop.models import (
    AllocationState,
    Order,
    OrderLine,
    OrderLineBatch,
    OrderStatus,
    Payment,
    PaymentStatus,
    Refund,
    RefundLine,
    Shipment,
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
    """None of the refunded units can go back: none sold, all shipped, or already back."""


class InvalidRefundLines(RefundError):
    """A named line is not the order's, or more units than are left to refund."""


class OrderAlreadyShipped(RefundError):
    """Part of the order left already: it cannot be cancelled (refund the lines instead,
    and record the return of what comes back)."""


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
    lines: dict[int, int] | None = None,
    restock: bool,
    reason: str,
    actor: User | None,
) -> Refund:
    """Staff refund `amount` (None: everything still refundable) of an order's payment,
    for the named `lines` ({order line id: units}; None: every unit not refunded yet).

    Writes a Refund and its RefundLine rows. With `restock`, once the refund went through,
    the named units that never shipped go back to their batches (see the module
    docstring). Raises NoRefundablePayment, InvalidRefundAmount, RefundTooLarge,
    InvalidRefundLines or NothingToRestock (nothing written), RefundRefused (Stripe said
    no; nothing written) or RefundPending (Stripe did not answer; the refund stays pending
    and is completed by reconciliation).
    """
    refund = _open(
        order_id=order_id, amount=amount, lines=lines, restock=restock, reason=reason, actor=actor
    )
    return complete_refund(refund_id=refund.pk)


def cancel_order(*, order_id: int, reason: str, actor: User | None) -> Order:
    """Cancel an order. An unpaid one gives its allocated units back (shop.orders.cancel);
    a paid one is refunded in full, every sold unit goes back to its batch, every shipment
    is cancelled and the order ends cancelled (paid → cancelled in the transition table).
    Refused with OrderAlreadyShipped once any shipment left (nothing written). Raises
    RefundRefused (nothing written) or RefundPending as refund_order; a pending refund
    completed later by reconciliation restocks the units and leaves the order refunded.
    """
    order = Order.objects.get(pk=order_id)
    if order.status in (OrderStatus.UNPAID, OrderStatus.CANCELLED):
        return orders.cancel(order_id=order_id, actor=actor, note=reason)
    if Shipment.objects.filter(order_id=order_id).left().exists() or not (
        transitions.order_may_move(order.status, OrderStatus.CANCELLED)
    ):
        raise OrderAlreadyShipped(order.number)
    refund = _open(
        order_id=order_id, amount=None, lines=None, restock=True, reason=reason, actor=actor
    )
    complete_refund(refund_id=refund.pk, cancel=True)
    return Order.objects.get(pk=order_id)


def _refunded_units(line_ids) -> dict[int, int]:
    units: dict[int, int] = {}
    for line_id, quantity in RefundLine.objects.filter(line_id__in=line_ids).values_list(
        "line_id", "quantity"
    ):
        units[line_id] = units.get(line_id, 0) + quantity
    return units


def _wanted_lines(order: Order, lines: dict[int, int] | None) -> dict[int, int]:
    """The units each line gives back, checked against what is left to refund."""
    order_lines = dict(OrderLine.objects.filter(order=order).values_list("pk", "quantity"))
    done = _refunded_units(order_lines)
    if lines is None:
        return {
            pk: quantity - done.get(pk, 0)
            for pk, quantity in order_lines.items()
            if quantity > done.get(pk, 0)
        }
    for line_id, units in lines.items():
        if line_id not in order_lines or type(units) is not int or units < 1:
            raise InvalidRefundLines(f"line {line_id}: {units}")
        if units > order_lines[line_id] - done.get(line_id, 0):
            raise InvalidRefundLines(
                f"line {line_id}: {units} asked, {order_lines[line_id] - done.get(line_id, 0)} left"
            )
    return dict(lines)


def _open(
    *,
    order_id: int,
    amount: Decimal | None,
    lines: dict[int, int] | None,
    restock: bool,
    reason: str,
    actor: User | None,
) -> Refund:
    with transaction.atomic():
        order = orders.lock_order(order_id=order_id)
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
        wanted = _wanted_lines(order, lines)
        if restock and not shelf.unshipped_sold(wanted):
            raise NothingToRestock(order.number)
        refund = Refund.objects.create(
            payment=payment,
            amount=amount,
            reason=reason[:300],
            restocked=restock,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        RefundLine.objects.bulk_create(
            RefundLine(refund=refund, line_id=line_id, quantity=units)
            for line_id, units in sorted(wanted.items())
        )
        return refund


def open_automatic_refund(*, payment: Payment, reason: str) -> Refund | None:
    """A pending refund of everything still refundable on a payment, for the shop's own
    decisions (sold out while paying, money for a cancelled order). Runs inside the
    caller's transaction, which holds the order and payment locks; the caller completes it
    after the commit. None when nothing is left to refund."""
    money = refundable(payment)
    if money <= 0:
        return None
    return Refund.objects.create(payment=payment, amount=money, reason=reason[:300])


def complete_refund(*, refund_id: int, cancel: bool = False) -> Refund:
    """Send a pending refund to Stripe and record the answer (see the module docstring).
    With `cancel` (cancel_order) the paid order ends cancelled rather than refunded.
    Completing a refund twice changes nothing the second time. Raises RefundPending or
    RefundRefused."""
    refund = Refund.objects.select_related("payment__order").get(pk=refund_id)
    if refund.reference:
        return refund
    payment = refund.payment
    if payment.gateway != gateway.NAME:
        return _record(
            refund_id=refund.pk, reference=f"{payment.gateway}_re_{refund.pk}", cancel=cancel
        )
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
    return _record(refund_id=refund.pk, reference=answer["id"], cancel=cancel)


def _drop(*, refund_id: int, message: str) -> None:
    with transaction.atomic():
        refund = Refund.objects.select_related("payment").get(pk=refund_id)
        order = orders.lock_order(order_id=refund.payment.order_id)
        deleted, _rows = Refund.objects.filter(pk=refund_id, reference="").delete()
        if deleted and refund.created_by_id is None:
            # Nobody is looking at a screen for the shop's own refunds: ask staff to.
            note = f"Stripe refused the refund of {refund.amount} {order.currency}: {message}"
            Order.objects.filter(pk=order.pk).update(
                needs_review=True, review_note=f"{order.review_note}\n{note}".strip()
            )


def _record(*, refund_id: int, reference: str, cancel: bool = False) -> Refund:
    now = timezone.now()
    with transaction.atomic():
        payment_id, order_id = Refund.objects.filter(pk=refund_id).values_list(
            "payment_id", "payment__order_id"
        )[0]
        lock_batches(
            OrderLineBatch.objects.filter(
                line__order_id=order_id, state=AllocationState.SOLD
            ).values_list("batch_id", flat=True)
        )
        order = orders.lock_order(order_id=order_id)
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
            shelf.restock_refund(
                order=order,
                refund_id=refund.pk,
                reason=coded("refund_restock", reference=refund.reference, order=order.number),
                actor=refund.created_by,
                now=now,
            )
        order.refresh_from_db()
        money_left = Payment.objects.filter(
            order=order, status__in=[PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED]
        )
        # A cancel whose order moved on meanwhile (a parcel left) ends as a plain refund.
        if cancel and transitions.order_may_move(order.status, OrderStatus.CANCELLED):
            paying.mark_cancelled_after_refund(
                order_id=order.pk,
                actor=refund.created_by,
                note=coded("refund", reference=reference),
                now=now,
            )
        elif (
            payment.status == PaymentStatus.REFUNDED
            and transitions.order_may_move(order.status, OrderStatus.REFUNDED)
            and not money_left.exists()
        ):
            paying.mark_refunded(
                order_id=order.pk,
                actor=refund.created_by,
                note=coded("refund", reference=reference),
                now=now,
            )
    return refund


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
