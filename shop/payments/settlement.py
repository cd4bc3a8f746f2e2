"""What Stripe's answers mean for our orders: the one place that applies them.

Webhook events (shop.payments.webhooks) and reconciliation (shop.payments.reconciliation)
both hand a PaymentIntent or a charge here, inside their own transaction, and carry out the
returned Settlement (refunds, cancelling an intent) only after that transaction committed:
Stripe is never called while an order, payment or batch row is locked.

Locks follow the shop's order: for a success, the order's batches first
(shop.fulfilment.payment.lock_stock_of), then the order (FOR NO KEY UPDATE), then the
Payment row; the other answers lock the order, then the Payment.

The rules, for the attempt's Payment row and its order:
- succeeded: the first time we hear of it the Payment becomes succeeded (the money is
  there). An amount or currency other than the order's total flags the order for review
  and does not pay it. Otherwise an unpaid order is paid (shop.fulfilment.payment.pay_order),
  unless it
  can no longer be filled: units on a recalled or expired batch, or units released and not
  to be had again. Then the order is cancelled, the payment refunded in full and the
  apology email queued ("sold out while paying"). An order cancelled for not being paid in
  time is paid if its units can be allocated again, else refunded the same way; so is an
  order a recall cancelled. Money for an order cancelled by staff or already paid is
  refunded and the order flagged for review: money is never kept without an order.
- payment_failed: a pending attempt becomes failed; the order stays unpaid and its intent
  open, so the shopper can try again. Never undoes a success.
- canceled: an open attempt becomes cancelled.
- charge refunded: the Payment's refunded amount and status follow Stripe's figure (never
  down); an order whose money all went back moves to refunded.
Every rule is idempotent, so events may come twice and in any order.
"""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shop import inventory, notifications, orders
from shop.fulfilment import payment as paying
from shop.fulfilment import transitions
from shop.identifiers import parse_id
from shop.message_codes import coded
from shop.models import (
    AllocationState,
    BatchStatus,
    Order,
    OrderLineBatch,
    OrderStatus,
    Payment,
    PaymentStatus,
)
from shop.money import exponent, quantize, to_minor_units
from shop.payments import PaymentError, refunds
from shop.payments import stripe as gateway

logger = logging.getLogger(__name__)

SETTLED = refunds.SETTLED
SOLD_OUT_REASON = "Sold out while paying"
RECALLED_REASON = "A batch of the order was recalled while paying"
UNWANTED_REASON = "Payment for an order that is no longer waiting for it"


@dataclass
class Settlement:
    """What applying an answer did, and what to ask Stripe once it committed."""

    outcome: str
    order_id: int | None = None
    refund_ids: list[int] = field(default_factory=list)
    cancel_intent: str = ""
    paid: bool = False


def apply_intent(*, intent: dict[str, Any], now: datetime.datetime | None = None) -> Settlement:
    """Apply a PaymentIntent as Stripe shows it now (reconciliation). Run it inside a
    transaction; carry out the result after the commit."""
    status = intent.get("status")
    if status == "succeeded":
        return succeeded(intent=intent, now=now)
    if status == "canceled":
        return canceled(intent=intent, now=now)
    if status == "requires_payment_method" and intent.get("last_payment_error"):
        return failed(intent=intent, now=now)
    return _still_open(intent=intent)


def _locked(
    intent_id: str, metadata: dict, *, lock_stock: bool = False
) -> tuple[Payment, Order] | None:
    """The attempt behind an intent and its order, locked order first (after the order's
    batches with `lock_stock`). An attempt whose answer from Stripe was lost is found by
    the payment id in the intent's metadata."""
    payment = Payment.objects.filter(gateway=gateway.NAME, reference=intent_id).first()
    if payment is None:
        payment_id = parse_id((metadata or {}).get("payment_id", ""))
        if payment_id is None:
            return None
        payment = Payment.objects.filter(gateway=gateway.NAME, pk=payment_id).first()
        if payment is None or payment.reference not in ("", intent_id):
            return None
    if lock_stock:
        paying.lock_stock_of(order_id=payment.order_id)
    order = orders.lock_order(order_id=payment.order_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if not payment.reference:
        payment.reference = intent_id
        Payment.objects.filter(pk=payment.pk).update(reference=intent_id)
    return payment, order


def _set_status(payment: Payment, status: str, now: datetime.datetime) -> None:
    payment.status = status
    Payment.objects.filter(pk=payment.pk).update(status=status, updated_at=now)


def _flag(order: Order, note: str) -> None:
    """Ask staff to look at the order; the note says why."""
    order.review_note = f"{order.review_note}\n{note}".strip()
    order.needs_review = True
    Order.objects.filter(pk=order.pk).update(needs_review=True, review_note=order.review_note)


def from_minor_units(amount: int, currency: str) -> Decimal:
    return quantize(Decimal(amount).scaleb(-exponent(currency)), currency)


def succeeded(*, intent: dict[str, Any], now: datetime.datetime | None = None) -> Settlement:
    """The intent's money is there (see the module docstring for the rules)."""
    now = now or timezone.now()
    found = _locked(intent["id"], intent.get("metadata"), lock_stock=True)
    if found is None:
        return Settlement(f"unknown payment intent {intent['id']}")
    payment, order = found
    if payment.status in SETTLED:
        return Settlement(f"payment already {payment.status}", order.pk)
    _set_status(payment, refunds.refunded_status(payment), now)

    expected = (to_minor_units(order.total, order.currency), order.currency.lower())
    received = (int(intent.get("amount_received") or 0), str(intent.get("currency", "")).lower())
    if received != expected:
        _flag(
            order,
            f"Stripe payment {intent['id']} received {received[0]} {received[1].upper()} "
            f"but the order is {expected[0]} {expected[1].upper()} (minor units): not marked "
            "paid.",
        )
        return Settlement("amount or currency mismatch: order flagged for review", order.pk)
    if payment.status == PaymentStatus.REFUNDED:
        _flag(order, f"Stripe payment {intent['id']} was refunded before it was recorded.")
        return Settlement("refunded before it was recorded: order flagged for review", order.pk)

    note = coded("payment_stripe", reference=intent["id"])
    if order.status == OrderStatus.UNPAID:
        if _can_be_filled(order, now):
            try:
                paying.pay_order(order_id=order.pk, note=note, now=now)
            except paying.LotWithdrawn:
                orders.cancel(order_id=order.pk, note=coded("recalled_while_paying"), now=now)
                return _refund(payment, order, RECALLED_REASON, apology=True)
            except paying.SoldOut:
                # Past its deadline, its units went to another shopper (with_available).
                orders.cancel(order_id=order.pk, note=coded("sold_out_while_paying"), now=now)
                return _refund(payment, order, SOLD_OUT_REASON, apology=True)
            return Settlement("order paid", order.pk, paid=True)
        orders.cancel(order_id=order.pk, note=coded("sold_out_while_paying"), now=now)
        return _refund(payment, order, SOLD_OUT_REASON, apology=True)
    if order.status == OrderStatus.CANCELLED:
        try:
            paid = paying.pay_order_after_expiry(order_id=order.pk, note=note, now=now)
        except orders.InvalidTransition:
            # Cancelled by a recall (the buyer was told; the apology says the money is back)
            # or by staff (someone should look).
            if _took_a_recalled_batch(order):
                return _refund(payment, order, RECALLED_REASON, apology=True)
            return _refund(payment, order, UNWANTED_REASON, apology=False)
        if paid:
            return Settlement("order paid after it had expired", order.pk, paid=True)
        return _refund(payment, order, SOLD_OUT_REASON, apology=True)
    return _refund(payment, order, UNWANTED_REASON, apology=False)


def _can_be_filled(order: Order, now: datetime.datetime) -> bool:
    """Every unit still allocated on a batch that may be sold, or allocated again."""
    if not inventory.reallocate(order_id=order.pk, now=now):
        return False
    unsellable = OrderLineBatch.objects.filter(
        Q(batch__status__in=[BatchStatus.RECALLED, BatchStatus.EXPIRED])
        | Q(batch__best_before__lt=timezone.localdate(now)),
        line__order=order,
        state=AllocationState.ALLOCATED,
    )
    return not unsellable.exists()


def _took_a_recalled_batch(order: Order) -> bool:
    return OrderLineBatch.objects.filter(
        line__order=order, batch__status=BatchStatus.RECALLED
    ).exists()


def _refund(payment: Payment, order: Order, reason: str, *, apology: bool) -> Settlement:
    refund = refunds.open_automatic_refund(payment=payment, reason=reason)
    if apology:
        notifications.queue_apology(order_id=order.pk)
    else:
        _flag(order, f"{reason}: Stripe payment {payment.reference} is refunded in full.")
    outcome = "order cancelled, payment refunded" if apology else "payment refunded"
    return Settlement(outcome, order.pk, refund_ids=[refund.pk] if refund else [])


def failed(*, intent: dict[str, Any], now: datetime.datetime | None = None) -> Settlement:
    """A card was declined: the order stays unpaid and the intent open for another try."""
    found = _locked(intent["id"], intent.get("metadata"))
    if found is None:
        return Settlement(f"unknown payment intent {intent['id']}")
    payment, order = found
    if payment.status != PaymentStatus.PENDING:
        return Settlement(f"payment already {payment.status}", order.pk)
    _set_status(payment, PaymentStatus.FAILED, now or timezone.now())
    return Settlement("payment failed, order still unpaid", order.pk)


def canceled(*, intent: dict[str, Any], now: datetime.datetime | None = None) -> Settlement:
    found = _locked(intent["id"], intent.get("metadata"))
    if found is None:
        return Settlement(f"unknown payment intent {intent['id']}")
    payment, order = found
    if payment.status not in gateway.OPEN_STATUSES:
        return Settlement(f"payment already {payment.status}", order.pk)
    _set_status(payment, PaymentStatus.CANCELLED, now or timezone.now())
    return Settlement("payment cancelled", order.pk)


def _still_open(*, intent: dict[str, Any]) -> Settlement:
    """Nobody paid yet. An intent left open for an order that no longer waits for payment
    is cancelled at Stripe, so it can never take money."""
    found = _locked(intent["id"], intent.get("metadata"))
    if found is None:
        return Settlement(f"unknown payment intent {intent['id']}")
    payment, order = found
    if order.status != OrderStatus.UNPAID and payment.status in gateway.OPEN_STATUSES:
        return Settlement("intent left open", order.pk, cancel_intent=payment.reference)
    return Settlement(f"intent {intent.get('status')}", order.pk)


def charge_refunded(*, charge: dict[str, Any], now: datetime.datetime | None = None) -> Settlement:
    """Stripe says how much of the charge went back; the figures only ever go up."""
    now = now or timezone.now()
    found = _locked(str(charge.get("payment_intent") or ""), charge.get("metadata"))
    if found is None:
        return Settlement(f"unknown charge {charge.get('id')}")
    payment, order = found
    refunded = from_minor_units(int(charge.get("amount_refunded") or 0), payment.currency)
    if refunded <= payment.refunded_amount:
        return Settlement("refund already recorded", order.pk)
    payment.refunded_amount = refunded
    Payment.objects.filter(pk=payment.pk).update(refunded_amount=refunded, updated_at=now)
    if payment.status in SETTLED:
        _set_status(payment, refunds.refunded_status(payment), now)
        if payment.status == PaymentStatus.REFUNDED and transitions.order_may_move(
            order.status, OrderStatus.REFUNDED
        ):
            paying.mark_refunded(
                order_id=order.pk, note=coded("refunded_at_stripe", reference=charge.get("id"))
            )
    return Settlement(f"refunded {refunded} {payment.currency}", order.pk)


def carry_out(result: Settlement) -> None:
    """Ask Stripe for what a committed settlement decided. A refund Stripe does not answer
    stays pending for reconciliation; nothing here raises for Stripe's trouble."""
    for refund_id in result.refund_ids:
        try:
            refunds.complete_refund(refund_id=refund_id)
        except refunds.RefundError as exc:
            logger.warning("Refund %s not completed: %s", refund_id, exc)
    if result.cancel_intent:
        try:
            intent = gateway.cancel_intent(reference=result.cancel_intent)
        except PaymentError as exc:
            # Paid meanwhile, or Stripe away: the next reconciliation sees it again.
            logger.info("Intent %s not cancelled: %s", result.cancel_intent, exc)
            return
        with transaction.atomic():
            canceled(intent=intent)
