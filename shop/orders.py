"""An order's life before its goods move: paid, cancelled while unpaid, expired.

These are the pre-payment rows of the one transition table (shop.fulfilment.transitions):
unpaid → paid (`mark_paid`, wrapped by shop.fulfilment.payment.pay_order, which every
payment path calls), unpaid → cancelled (`cancel`, `expire_unpaid_orders`) and cancelled
→ paid for a payment that arrived after expiry (`mark_paid_after_expiry`). Everything after
payment (shipments, the derived status, refunds, cancelling a paid order) lives in
shop.fulfilment and shop.payments.refunds.

Locks: the order row is locked with select_for_update(no_key=True), so rows that merely
reference the order (shipments, refunds, recall notices) never wait on it. Callers that
also touch stock lock the batches first (shop.fulfilment.payment), as every workflow does:
cart → batches → order → shipment → payment. Stock follows the status: paying turns the
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

from shop import inventory, message_codes, notifications
from shop.message_codes import Coded, coded
from shop.models import (
    AllocationState,
    Order,
    OrderLine,
    OrderLineBatch,
    OrderStatus,
    OrderStatusChange,
    Shipment,
    User,
)

# The moves made here; the same rows of shop.fulfilment.transitions.ORDER_TRANSITIONS
# (a test checks they agree).
PRE_PAYMENT_MOVES = {
    (OrderStatus.UNPAID, OrderStatus.PAID),
    (OrderStatus.UNPAID, OrderStatus.CANCELLED),
    (OrderStatus.CANCELLED, OrderStatus.PAID),
}

GONE_BACK = (AllocationState.RELEASED, AllocationState.RETURNED)


class OrderError(Exception):
    """Base of refused order changes; nothing was written."""


class InvalidTransition(OrderError):
    def __init__(self, *, number: str, from_status: str, to_status: str):
        self.number, self.from_status, self.to_status = number, from_status, to_status
        super().__init__(f"Order {number} cannot go from {from_status} to {to_status}.")


def lock_order(*, order_id: int) -> Order:
    """Lock the order row (FOR NO KEY UPDATE, see the module docstring) and return it."""
    return Order.objects.select_for_update(no_key=True).get(pk=order_id)


def write_move(
    *,
    order: Order,
    to_status: str,
    actor: User | None,
    note: str | Coded,
    now: datetime.datetime,
    **changes,
) -> Order:
    """Write an order's move and its history row. The caller holds the order's lock and
    checked the move against the transition table; returns the order as now stored. A
    coded note (shop.message_codes) is stored as its code, typed text as it is."""
    from_status = order.status
    Order.objects.filter(pk=order.pk).update(status=to_status, **changes)
    OrderStatusChange.objects.create(
        order=order,
        from_status=from_status,
        to_status=to_status,
        actor=_user(actor),
        created_at=now,
        **message_codes.fields(note, "note"),
    )
    order.refresh_from_db()
    return order


def _move(
    *,
    order_id: int,
    to_status: str,
    actor: User | None,
    note: str | Coded,
    now: datetime.datetime,
    **changes,
) -> tuple[Order, bool]:
    """Lock the order and move it to `to_status` (a pre-payment move only), writing the
    history row. Returns the order and False when it already had that status."""
    order = lock_order(order_id=order_id)
    if order.status == to_status:
        return order, False
    # Cancelled → paid is only for a late payment (mark_paid_after_expiry), never here.
    if order.status != OrderStatus.UNPAID or (order.status, to_status) not in PRE_PAYMENT_MOVES:
        raise InvalidTransition(number=order.number, from_status=order.status, to_status=to_status)
    return write_move(
        order=order, to_status=to_status, actor=actor, note=note, now=now, **changes
    ), True


def mark_paid(
    *, order_id: int, actor: User | None = None, note: str | Coded = "", now=None
) -> Order:
    """Record that an unpaid order was paid: the order half of
    shop.fulfilment.payment.pay_order, which payment paths call (it locks the batches
    first, refuses withdrawn lots and opens the shipments).

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
            note=note or coded("payment_received"),
            now=now,
            paid_at=now,
        )
        if moved:
            inventory.confirm_sale(order_id=order.pk, actor=_user(actor))
            notifications.queue_order_confirmation(order_id=order.pk)
    return order


def cancel(*, order_id: int, actor: User | None = None, note: str | Coded = "", now=None) -> Order:
    """Cancel an unpaid order and give its allocated units back (no ledger change).

    A paid order is cancelled only with its money and units: shop.payments.refunds.
    cancel_order. Raises InvalidTransition for any order but an unpaid one (a cancelled
    one is returned unchanged).
    """
    now = now or timezone.now()
    with transaction.atomic():
        order, moved = _move(
            order_id=order_id,
            to_status=OrderStatus.CANCELLED,
            actor=actor,
            note=note or coded("cancelled"),
            now=now,
        )
        if moved:
            inventory.release_allocations(order_id=order.pk)
    return order


# The history note of an order cancelled because it was not paid in time; a payment that
# lands after that may still revive it (mark_paid_after_expiry).
NOT_PAID_IN_TIME = coded("not_paid_in_time")
# What rows written before the codes say instead.
_NOT_PAID_IN_TIME_TEXT = "Not paid in time"


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
            order = lock_order(order_id=order_id)
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


def mark_paid_after_expiry(*, order_id: int, note: str | Coded = "", now=None) -> bool:
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
        order = lock_order(order_id=order_id)
        if order.status == OrderStatus.PAID:
            return True
        last = order.history.order_by("-created_at", "-pk").first()
        expired = last is not None and (
            last.note_code == NOT_PAID_IN_TIME.code or last.note == _NOT_PAID_IN_TIME_TEXT
        )
        if order.status != OrderStatus.CANCELLED or not expired:
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
            created_at=now,
            **message_codes.fields(note or coded("payment_received_late"), "note"),
        )
        inventory.confirm_sale(order_id=order.pk)
        notifications.queue_order_confirmation(order_id=order.pk)
    return True


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None


# Reads for the order pages

# What a line needs to show its names in the reader's language (OrderLine.shown_*_name).
LINE_NAMES = ("variant__product",)


def _with_lines(orders: QuerySet[Order]) -> QuerySet[Order]:
    # Units released or returned (a refund restock, a recall withdrawal) are not packed.
    batches = OrderLineBatch.objects.exclude(state__in=GONE_BACK).select_related(
        "batch__village__province", "batch__variant", "component__product"
    )
    lines = OrderLine.objects.select_related(*LINE_NAMES).prefetch_related(
        Prefetch("batches", queryset=batches)
    )
    # A parcel's moves (its status timeline on the order page): one query for all parcels.
    parcels = Shipment.objects.select_related("cooperative").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related(*LINE_NAMES)), "history"
    )
    return orders.select_related("shipping_address", "shipping_method").prefetch_related(
        Prefetch("lines", queryset=lines), Prefetch("shipments", queryset=parcels), "history"
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
    return (
        Order.objects.filter(user=user)
        .select_related("shipping_method")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.select_related(*LINE_NAMES)))
        .order_by("-created_at")
    )
