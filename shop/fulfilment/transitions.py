"""Every move an order or a shipment may make, with what it does: the one state machine.

Each service that changes a status asks `order_may_move` / `shipment_may_move` first and
names the transition it carries out, so the table is the only place a move is allowed.
The effects are written here as words for readers and for the test that walks the table
(tests/shop/fulfilment/test_transitions.py); the code that carries them out is named.

After payment an order's status is not set by hand: it follows its shipments
(`derived_order_status`): paid while nothing left, partly shipped when some shipments left
and others wait, shipped when every live shipment left, delivered when every one arrived.
Cancelled shipments do not count; an order whose shipments were all cancelled goes the
cancel or refund way (shop.payments.refunds.cancel_order / refund_order).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from shop.models import OrderStatus
from shop.models.fulfilment import ShipmentStatus


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    by: str
    effects: str


OS, SS = OrderStatus, ShipmentStatus
_PAID_LIKE = (OS.PAID, OS.PACKED, OS.PARTLY_SHIPPED, OS.SHIPPED, OS.DELIVERED)

ORDER_TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        OS.UNPAID,
        OS.PAID,
        "shop.fulfilment.payment.pay_order",
        "allocated units sold (`sold` movements); one shipment per cooperative; "
        "confirmation email queued",
    ),
    Transition(
        OS.UNPAID,
        OS.CANCELLED,
        "shop.orders.cancel / expire_unpaid_orders",
        "allocated units released (no ledger change)",
    ),
    Transition(
        OS.CANCELLED,
        OS.PAID,
        "shop.fulfilment.payment.pay_order_after_expiry",
        "released units allocated again and sold; shipments opened; confirmation queued",
    ),
    Transition(
        OS.PAID,
        OS.CANCELLED,
        "shop.payments.refunds.cancel_order",
        "money refunded in full; every sold unit returned (`returned` movements); "
        "every shipment cancelled; refused once anything shipped",
    ),
    Transition(OS.PAID, OS.PARTLY_SHIPPED, "shop.fulfilment.shipments.mark_shipped", "derived"),
    Transition(OS.PAID, OS.SHIPPED, "shop.fulfilment.shipments.mark_shipped", "derived"),
    Transition(
        OS.PARTLY_SHIPPED,
        OS.SHIPPED,
        "shop.fulfilment.shipments.mark_shipped / cancel_shipment",
        "derived: the last live shipment left (or the waiting ones were cancelled)",
    ),
    Transition(
        OS.PARTLY_SHIPPED,
        OS.DELIVERED,
        "shop.fulfilment.shipments.cancel_shipment",
        "derived: the shipments still waiting were cancelled, the others arrived",
    ),
    Transition(OS.SHIPPED, OS.DELIVERED, "shop.fulfilment.shipments.mark_delivered", "derived"),
    # Orders packed before shipments existed (status `packed`) move on like paid ones.
    Transition(OS.PACKED, OS.PARTLY_SHIPPED, "shop.fulfilment.shipments.mark_shipped", "derived"),
    Transition(OS.PACKED, OS.SHIPPED, "shop.fulfilment.shipments.mark_shipped", "derived"),
    *(
        Transition(
            source,
            OS.REFUNDED,
            "shop.payments.refunds (money all back)",
            "status only; units come back by restock (unshipped) or recorded returns",
        )
        for source in _PAID_LIKE
    ),
)

SHIPMENT_TRANSITIONS: tuple[Transition, ...] = (
    Transition("", SS.TO_PACK, "shop.fulfilment.shipments.open_shipments", "lines assigned"),
    Transition(SS.TO_PACK, SS.PACKED, "shop.fulfilment.shipments.mark_packed", "packed_at set"),
    Transition(
        SS.PACKED,
        SS.SHIPPED,
        "shop.fulfilment.shipments.mark_shipped",
        "carrier and tracking recorded; shipped email of this shipment queued; order derived",
    ),
    Transition(
        SS.SHIPPED, SS.DELIVERED, "shop.fulfilment.shipments.mark_delivered", "order derived"
    ),
    Transition(SS.TO_PACK, SS.ON_HOLD, "shop.fulfilment.shipments.hold", "leaves packing list"),
    Transition(SS.PACKED, SS.ON_HOLD, "shop.fulfilment.shipments.hold", "leaves shipping list"),
    Transition(SS.ON_HOLD, SS.TO_PACK, "shop.fulfilment.shipments.release", "back to pack"),
    Transition(SS.ON_HOLD, SS.PACKED, "shop.fulfilment.shipments.release", "back to ship"),
    *(
        Transition(
            source,
            SS.CANCELLED,
            "shop.fulfilment.shipments.cancel_shipment",
            "nothing left to send (refund restock or cancel); order derived",
        )
        for source in (SS.TO_PACK, SS.PACKED, SS.ON_HOLD)
    ),
)

_ORDER_MOVES = {(t.source, t.target) for t in ORDER_TRANSITIONS}
_SHIPMENT_MOVES = {(t.source, t.target) for t in SHIPMENT_TRANSITIONS}


def order_may_move(source: str, target: str) -> bool:
    return (str(source), str(target)) in _ORDER_MOVES


def shipment_may_move(source: str, target: str) -> bool:
    return (str(source), str(target)) in _SHIPMENT_MOVES


def order_targets(source: str) -> set[str]:
    return {t.target for t in ORDER_TRANSITIONS if t.source == source}


def derived_order_status(shipment_statuses: Iterable[str]) -> str | None:
    """The status a paid order has given its shipments' statuses; None when every shipment
    was cancelled (or there is none): then the cancel or refund path decides."""
    live = [s for s in shipment_statuses if s != SS.CANCELLED]
    if not live:
        return None
    left = [s for s in live if s in (SS.SHIPPED, SS.DELIVERED)]
    if len(left) < len(live):
        return OS.PARTLY_SHIPPED if left else OS.PAID
    if all(s == SS.DELIVERED for s in live):
        return OS.DELIVERED
    return OS.SHIPPED


# Statuses an order takes from its shipments (after payment, before any refund).
SHIPMENT_DRIVEN = frozenset({OS.PAID, OS.PACKED, OS.PARTLY_SHIPPED, OS.SHIPPED, OS.DELIVERED})
