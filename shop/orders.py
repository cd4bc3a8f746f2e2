"""An order's life after checkout: paid, packed, shipped, delivered, cancelled, expired.

Every move is checked against Order.can_move_to, made under the order's row lock and written
to the order's history with who made it. Stock follows the status: paying turns the
allocated units into sales (inventory.confirm_sale), cancelling or expiring an unpaid order
gives them back (inventory.release_allocations). Emails are queued on commit through
shop.notifications. Reads for the order pages sit at the end.
"""

import datetime
import math
import uuid

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from shop import inventory, notifications
from shop.models import (
    AllocationState,
    Order,
    OrderLine,
    OrderLineBatch,
    OrderStatus,
    OrderStatusChange,
    User,
)


class OrderError(Exception):
    """Base of refused order changes; nothing was written."""


class InvalidTransition(OrderError):
    def __init__(self, *, number: str, from_status: str, to_status: str):
        self.number, self.from_status, self.to_status = number, from_status, to_status
        super().__init__(f"Order {number} cannot go from {from_status} to {to_status}.")


class TrackingMissing(OrderError):
    """A shipped order needs its carrier and tracking number."""


def _move(
    *,
    order_id: int,
    to_status: str,
    actor: User | None,
    note: str,
    now: datetime.datetime,
    **changes,
) -> tuple[Order, bool]:
    """Lock the order and move it to `to_status`, writing the history row. Returns the order
    and False when it already had that status (a repeated request changes nothing)."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status == to_status:
        return order, False
    if not order.can_move_to(to_status):
        raise InvalidTransition(number=order.number, from_status=order.status, to_status=to_status)
    from_status = order.status
    Order.objects.filter(pk=order.pk).update(status=to_status, **changes)
    OrderStatusChange.objects.create(
        order=order,
        from_status=from_status,
        to_status=to_status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note[:300],
        created_at=now,
    )
    order.refresh_from_db()
    return order, True


def mark_paid(*, order_id: int, actor: User | None = None, note: str = "", now=None) -> Order:
    """Record that an unpaid order was paid.

    Writes `sold` ledger movements for its allocated units (inventory.confirm_sale, under
    the batch locks), a history row, and queues the order confirmation email on commit.
    Idempotent: an order already paid is returned unchanged. Raises InvalidTransition for a
    cancelled (e.g. expired) or refunded order.
    """
    now = now or timezone.now()
    with transaction.atomic():
        order, moved = _move(
            order_id=order_id,
            to_status=OrderStatus.PAID,
            actor=actor,
            note=note or "Payment received",
            now=now,
            paid_at=now,
        )
        if moved:
            inventory.confirm_sale(order_id=order.pk, actor=_user(actor))
            notifications.queue_order_confirmation(order_id=order.pk)
    return order


def cancel(*, order_id: int, actor: User | None = None, note: str = "", now=None) -> Order:
    """Cancel an unpaid or paid order and give its allocated (not yet sold) units back.

    Units of a paid order were sold already and stay sold: a refund with restock returns
    them. Raises InvalidTransition for an order already packed or later.
    """
    now = now or timezone.now()
    with transaction.atomic():
        order, moved = _move(
            order_id=order_id,
            to_status=OrderStatus.CANCELLED,
            actor=actor,
            note=note or "Cancelled",
            now=now,
        )
        if moved:
            inventory.release_allocations(order_id=order.pk)
    return order


# The history note of an order cancelled because it was not paid in time; a payment that
# lands after that may still revive it (mark_paid_after_expiry).
NOT_PAID_IN_TIME = "Not paid in time"


def expire_unpaid_orders(*, now: datetime.datetime | None = None) -> int:
    """Cancel each order still unpaid past its `expires_at` and give its stock back.

    One transaction per order, so one stuck row never holds the others back; the status is
    read again under the row lock, so a payment that landed meanwhile wins. Returns how many
    orders were cancelled.
    """
    now = now or timezone.now()
    expired = 0
    for order_id in Order.objects.unpaid_expired(now).values_list("pk", flat=True):
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            if order.status != OrderStatus.UNPAID or order.expires_at > now:
                continue
            _move(
                order_id=order_id,
                to_status=OrderStatus.CANCELLED,
                actor=None,
                note=NOT_PAID_IN_TIME,
                now=now,
            )
            inventory.release_allocations(order_id=order_id)
            expired += 1
    return expired


def mark_paid_after_expiry(*, order_id: int, note: str = "", now=None) -> bool:
    """A payment that landed after the unpaid order expired: take its units again and pay it.

    Only an order cancelled for not being paid in time qualifies. Under the order's row lock
    inventory.reallocate allocates its released units again (the same batches, else others
    of the same variants), then the order moves from cancelled to paid as in mark_paid
    (`sold` movements, a history row, the confirmation email queued on commit). Returns
    True when the order is paid (also when it already was), False when the stock is gone
    (nothing is written then). Raises InvalidTransition for any other order.
    """
    now = now or timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status == OrderStatus.PAID:
            return True
        last = order.history.order_by("-created_at", "-pk").first()
        if order.status != OrderStatus.CANCELLED or last is None or last.note != NOT_PAID_IN_TIME:
            raise InvalidTransition(
                number=order.number, from_status=order.status, to_status=OrderStatus.PAID
            )
        if not inventory.reallocate(order_id=order.pk, now=now):
            return False
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID, paid_at=now)
        OrderStatusChange.objects.create(
            order=order,
            from_status=OrderStatus.CANCELLED,
            to_status=OrderStatus.PAID,
            note=(note or "Payment received after the order expired")[:300],
            created_at=now,
        )
        inventory.confirm_sale(order_id=order.pk)
        notifications.queue_order_confirmation(order_id=order.pk)
    return True


def mark_refunded(*, order_id: int, actor: User | None = None, note: str = "", now=None) -> Order:
    """Record that a paid (packed, shipped or delivered) order's money went back in full.

    Stock is not touched here: shop.payments.refunds returns units when staff restock.
    Idempotent; raises InvalidTransition for an unpaid or cancelled order.
    """
    now = now or timezone.now()
    with transaction.atomic():
        order, _moved = _move(
            order_id=order_id,
            to_status=OrderStatus.REFUNDED,
            actor=actor,
            note=note or "Refunded",
            now=now,
        )
    return order


def mark_packed(*, order_id: int, actor: User | None = None, now=None) -> Order:
    """Record that a paid order was packed. Raises InvalidTransition otherwise."""
    now = now or timezone.now()
    with transaction.atomic():
        order, _moved = _move(
            order_id=order_id, to_status=OrderStatus.PACKED, actor=actor, note="Packed", now=now
        )
    return order


def mark_shipped(
    *, order_id: int, carrier: str, tracking_number: str, actor: User | None = None, now=None
) -> Order:
    """Record that a packed order left with `carrier` under `tracking_number`, and queue
    the shipped notice on commit. Raises TrackingMissing or InvalidTransition."""
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier or not tracking_number:
        raise TrackingMissing("A shipped order needs its carrier and tracking number.")
    now = now or timezone.now()
    with transaction.atomic():
        order, moved = _move(
            order_id=order_id,
            to_status=OrderStatus.SHIPPED,
            actor=actor,
            note=f"{carrier} {tracking_number}",
            now=now,
            carrier=carrier[:100],
            tracking_number=tracking_number[:100],
        )
        if moved:
            notifications.queue_shipped_notice(order_id=order.pk)
    return order


def mark_delivered(*, order_id: int, actor: User | None = None, now=None) -> Order:
    """Record that a shipped order arrived. Raises InvalidTransition otherwise."""
    now = now or timezone.now()
    with transaction.atomic():
        order, _moved = _move(
            order_id=order_id,
            to_status=OrderStatus.DELIVERED,
            actor=actor,
            note="Delivered",
            now=now,
        )
    return order


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


# Reads for the order pages


def _with_lines(orders: QuerySet[Order]) -> QuerySet[Order]:
    batches = OrderLineBatch.objects.exclude(state=AllocationState.RELEASED).select_related(
        "batch__village__province", "batch__variant", "component__product"
    )
    lines = OrderLine.objects.prefetch_related(Prefetch("batches", queryset=batches))
    return orders.select_related("shipping_address").prefetch_related(
        Prefetch("lines", queryset=lines), "history"
    )


def order_by_token(*, token: str) -> Order:
    """The order behind an unguessable token, with lines, batches and history.
    Raises Order.DoesNotExist for an unknown or malformed token."""
    try:
        parsed = uuid.UUID(str(token))
    except ValueError as exc:
        raise Order.DoesNotExist(token) from exc
    return _with_lines(Order.objects.filter(token=parsed)).get()


def minutes_to_pay(*, order: Order, now: datetime.datetime | None = None) -> int:
    """Whole minutes, rounded up, an unpaid order still keeps its items (0 once past)."""
    if order.expires_at is None:
        return 0
    seconds = (order.expires_at - (now or timezone.now())).total_seconds()
    return max(0, math.ceil(seconds / 60))


def orders_of(*, user: User) -> QuerySet[Order]:
    """A signed-in shopper's orders, newest first."""
    return Order.objects.filter(user=user).prefetch_related("lines").order_by("-created_at")
