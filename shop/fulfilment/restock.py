"""Refunded units back on the shelf: only units that never shipped.

Called by shop.payments.refunds while it holds the locks, in the shop's order: the
order's batches (primary-key order), then the order (FOR NO KEY UPDATE), then the payment.
Shipped units come back only through shop.fulfilment.returns.
"""

import datetime

from shop import inventory
from shop.fulfilment import shipments
from shop.message_codes import Coded
from shop.models import (
    AllocationState,
    MovementKind,
    Order,
    OrderLineBatch,
    RefundLine,
    ShipmentStatus,
    User,
)


def unshipped_sold(line_ids) -> dict[int, int]:
    """Sold units of each line whose shipment has not left (those a restock may return)."""
    units: dict[int, int] = {}
    rows = (
        OrderLineBatch.objects.filter(line_id__in=line_ids, state=AllocationState.SOLD)
        .exclude(line__shipment__status__in=[ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED])
        .values_list("line_id", "quantity")
    )
    for line_id, quantity in rows:
        units[line_id] = units.get(line_id, 0) + quantity
    return units


def restock_refund(
    *,
    order: Order,
    refund_id: int,
    reason: str | Coded,
    actor: User | None,
    now: datetime.datetime,
) -> int:
    """Put a refund's units that never shipped back on their batches: per refund line, up
    to its units, SOLD allocations become RETURNED (a row split when only part goes back)
    and RefundLine.restocked records how many; one `returned` movement per batch in batch
    order; each shipment left with nothing to send is cancelled (and the order's status
    derived again). The caller holds the batch and order locks. Returns the units back."""
    refund_lines = list(RefundLine.objects.filter(refund_id=refund_id).select_related("line"))
    room = unshipped_sold([rl.line_id for rl in refund_lines])
    back: dict[int, int] = {}
    touched: set[int] = set()
    for refund_line in refund_lines:
        units = min(refund_line.quantity, room.get(refund_line.line_id, 0))
        if units == 0:
            continue
        RefundLine.objects.filter(pk=refund_line.pk).update(restocked=units)
        touched.add(refund_line.line.shipment_id)
        for allocation in OrderLineBatch.objects.filter(
            line_id=refund_line.line_id, state=AllocationState.SOLD
        ).order_by("-batch_id", "-pk"):
            taken = min(units, allocation.quantity)
            return_units(allocation, taken)
            back[allocation.batch_id] = back.get(allocation.batch_id, 0) + taken
            units -= taken
            if units == 0:
                break
    for batch_id in sorted(back):
        inventory.record_movement(
            batch_id=batch_id,
            kind=MovementKind.RETURNED,
            quantity=back[batch_id],
            reason=reason,
            actor=actor,
        )
    for shipment_id in sorted(s for s in touched if s is not None):
        still = OrderLineBatch.objects.filter(
            line__shipment_id=shipment_id, state=AllocationState.SOLD
        )
        if not still.exists():
            shipments.cancel_shipment(shipment_id=shipment_id, actor=actor, note=reason, now=now)
    return sum(back.values())


def return_units(allocation: OrderLineBatch, units: int) -> None:
    """Mark `units` of a SOLD allocation RETURNED, splitting the row when some stay sold."""
    if units == allocation.quantity:
        OrderLineBatch.objects.filter(pk=allocation.pk).update(state=AllocationState.RETURNED)
        return
    OrderLineBatch.objects.filter(pk=allocation.pk).update(quantity=allocation.quantity - units)
    OrderLineBatch.objects.create(
        line_id=allocation.line_id,
        batch_id=allocation.batch_id,
        component_id=allocation.component_id,
        quantity=units,
        state=AllocationState.RETURNED,
    )
