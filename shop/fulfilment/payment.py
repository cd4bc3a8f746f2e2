"""Paying an order, the one way every gateway does it: `pay_order`.

Lock order (the shop's, see docs/architecture.md): batches (primary-key order) → order
(FOR NO KEY UPDATE) → shipment → payment. The order's allocated batch ids are read first
without a lock, those batches are locked, then the order; a recall holds the same batch
locks while it cancels, holds or notifies, so a recall and a payment of the same lot queue
on the batch rows and never wait on each other in a cycle. Gateways (shop.payments) that
also lock their Payment row call `lock_stock_of` and lock the order before it.

Under the batch locks a sale of a lot that was recalled, expired or is past best-before is
refused with LotWithdrawn (nothing written): no payment path sells a withdrawn lot after
its recall committed.

An order still unpaid past its `expires_at` has kept nothing: its units count as available
from that moment (BatchQuerySet.with_available), whether or not beat expired it yet. Paying
it allocates its units again first (the same lots while they have them, else others of the
same variants, FEFO) and is refused with SoldOut when another shopper took them.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shop import inventory, orders
from shop.fulfilment import shipments, transitions
from shop.inventory.locks import lock_batches
from shop.message_codes import Coded, coded
from shop.models import (
    AllocationState,
    Batch,
    BatchStatus,
    Order,
    OrderLineBatch,
    OrderStatus,
    User,
)


class LotWithdrawn(orders.OrderError):
    """A lot the order was allocated is recalled or past its best-before: it cannot be
    sold. Nothing was written; the caller cancels the order (and refunds any money)."""

    def __init__(self, *, order_id: int, lot_codes: list[str]):
        self.order_id, self.lot_codes = order_id, lot_codes
        super().__init__(f"Order {order_id}: lots {', '.join(lot_codes)} were withdrawn.")


class SoldOut(orders.OrderError):
    """The order was not paid before its deadline and another shopper took its units since:
    it cannot be filled. Nothing was written; the caller cancels (and refunds any money)."""

    def __init__(self, *, order_id: int):
        self.order_id = order_id
        super().__init__(f"Order {order_id}: its units were sold after its deadline.")


def lock_stock_of(*, order_id: int, now: datetime.datetime | None = None) -> None:
    """Lock the batches an order's payment may touch, in primary-key order, without
    locking the order: its allocated batches, and for units released by expiry (or kept
    past the unpaid deadline) the on-sale batches of their variants (a late payment
    allocates them again). Call it first in a transaction that then locks the order (and
    its payment)."""
    allocations = OrderLineBatch.objects.filter(line__order_id=order_id)
    batch_ids = set(
        allocations.filter(state=AllocationState.ALLOCATED).values_list("batch_id", flat=True)
    )
    released = allocations.filter(state=AllocationState.RELEASED)
    if Order.objects.unpaid_expired(now or timezone.now()).filter(pk=order_id).exists():
        released = allocations.filter(
            state__in=[AllocationState.RELEASED, AllocationState.ALLOCATED]
        )
    if released.exists():
        variants = released.values_list("line__variant_id", flat=True)
        batch_ids |= set(released.values_list("batch_id", flat=True))
        batch_ids |= set(
            Batch.objects.on_sale().filter(variant_id__in=variants).values_list("pk", flat=True)
        )
    lock_batches(batch_ids)


def withdrawn_lots(*, order_id: int, now: datetime.datetime) -> list[str]:
    """Lot codes of the order's allocated units that may no longer be sold. Read it under
    the batch locks."""
    return sorted(
        set(
            OrderLineBatch.objects.filter(
                Q(batch__status__in=[BatchStatus.RECALLED, BatchStatus.EXPIRED])
                | Q(batch__best_before__lt=timezone.localdate(now)),
                line__order_id=order_id,
                state=AllocationState.ALLOCATED,
            ).values_list("batch__lot_code", flat=True)
        )
    )


def pay_order(
    *,
    order_id: int,
    actor: User | None = None,
    note: str | Coded = "",
    now: datetime.datetime | None = None,
) -> Order:
    """Record that an unpaid order was paid, and split it into shipments.

    Locks the allocated batches, then the order (see the module docstring), refuses a
    withdrawn lot with LotWithdrawn, then (shop.orders.mark_paid) writes the `sold`
    movements and the history row and queues the confirmation email on commit, and opens
    one shipment per cooperative (shipments.open_shipments). An order past its unpaid
    deadline first takes its units again (see the module docstring), or raises SoldOut.
    Idempotent: an order already paid (or further on) is returned unchanged. Raises
    orders.InvalidTransition for a cancelled or refunded order.
    """
    now = now or timezone.now()
    with transaction.atomic():
        lock_stock_of(order_id=order_id, now=now)
        order = orders.lock_order(order_id=order_id)
        if order.status in transitions.SHIPMENT_DRIVEN:
            return order
        if order.status == OrderStatus.UNPAID:
            # Allocations only change under the order's lock; lock any batch that moved
            # in between (none in practice: checkout allocates before the order exists).
            lock_stock_of(order_id=order_id, now=now)
            if order.expires_at is not None and order.expires_at <= now:
                # Its units have counted as available since the deadline: take them again.
                inventory.release_allocations(order_id=order_id)
                if not inventory.reallocate(order_id=order_id, now=now):
                    raise SoldOut(order_id=order_id)
            withdrawn = withdrawn_lots(order_id=order_id, now=now)
            if withdrawn:
                raise LotWithdrawn(order_id=order_id, lot_codes=withdrawn)
        order = orders.mark_paid(order_id=order_id, actor=actor, note=note, now=now)
        shipments.open_shipments(order=order, now=now)
    return order


def pay_order_after_expiry(
    *, order_id: int, note: str | Coded = "", now: datetime.datetime | None = None
) -> bool:
    """A payment that arrived after the unpaid order expired: allocate its units again and
    pay it (shop.orders.mark_paid_after_expiry), then open its shipments.

    Same locks as pay_order. Returns True when the order is paid (also when it already
    was), False when the stock is gone or withdrawn (nothing written then). Raises
    orders.InvalidTransition for an order not cancelled for lack of payment.
    """
    now = now or timezone.now()
    with transaction.atomic():
        lock_stock_of(order_id=order_id)
        order = orders.lock_order(order_id=order_id)
        if order.status in transitions.SHIPMENT_DRIVEN:
            return True
        with transaction.atomic():
            if not orders.mark_paid_after_expiry(order_id=order_id, note=note, now=now):
                return False
            if OrderLineBatch.objects.filter(
                Q(batch__status__in=[BatchStatus.RECALLED, BatchStatus.EXPIRED])
                | Q(batch__best_before__lt=timezone.localdate(now)),
                line__order_id=order_id,
                state=AllocationState.SOLD,
            ).exists():
                transaction.set_rollback(True)
                return False
        order.refresh_from_db()
        shipments.open_shipments(order=order, now=now)
    return True


def mark_refunded(
    *, order_id: int, actor: User | None = None, note: str | Coded = "", now=None
) -> Order:
    """Record that a paid order's money went back in full (the table's → refunded rows).
    Stock is not touched: refund restock and recorded returns move units. Idempotent;
    raises orders.InvalidTransition for an order not paid."""
    return _close(
        order_id, OrderStatus.REFUNDED, actor=actor, note=note or coded("refunded"), now=now
    )


def mark_cancelled_after_refund(
    *, order_id: int, actor: User | None = None, note: str | Coded = "", now=None
) -> Order:
    """A paid order cancelled with its money back and its units returned (refunds.
    cancel_order did both): paid → cancelled. Idempotent; raises orders.InvalidTransition
    otherwise."""
    note = note or coded("cancelled_and_refunded")
    return _close(order_id, OrderStatus.CANCELLED, actor=actor, note=note, now=now)


def _close(order_id: int, to_status: str, *, actor: User | None, note: str | Coded, now) -> Order:
    """Move the order to a final status under its lock, as the transition table allows."""
    now = now or timezone.now()
    with transaction.atomic():
        order = orders.lock_order(order_id=order_id)
        if order.status == to_status:
            return order
        if not transitions.order_may_move(order.status, to_status):
            raise orders.InvalidTransition(
                number=order.number, from_status=order.status, to_status=to_status
            )
        return orders.write_move(order=order, to_status=to_status, actor=actor, note=note, now=now)
