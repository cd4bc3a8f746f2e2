"""Recorded returns: shipped units of an order line that came back to the cooperative.

The only way shipped units go back on a batch's ledger (a refund restocks only units that
never left). Locks: the batch (primary-key order), then the order (FOR NO KEY UPDATE).
"""

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from shop import inventory, orders
from shop.fulfilment import restock
from shop.inventory.locks import lock_batches
from shop.message_codes import coded
from shop.models import AllocationState, MovementKind, OrderLine, OrderLineBatch, User
from shop.models.fulfilment import LineReturn, ShipmentStatus


class ReturnError(Exception):
    """Base of refused returns; nothing was written."""


class NotShipped(ReturnError):
    """The line's units never left: a refund with restock puts them back instead."""


class TooManyReturned(ReturnError):
    def __init__(self, *, line_id: int, requested: int, returnable: int):
        self.line_id, self.requested, self.returnable = line_id, requested, returnable
        super().__init__(f"Line {line_id}: {requested} returned, {returnable} can come back.")


def record_return(
    *,
    line_id: int,
    quantity: int,
    batch_id: int | None = None,
    reason: str,
    actor: User | None,
    now: datetime.datetime | None = None,
) -> LineReturn:
    """Record that `quantity` shipped units of a line came back (to `batch_id`, else the
    lots the line was sold from, latest lot first).

    Writes a LineReturn per batch, turns that many SOLD allocation units RETURNED (a row
    split when part stays sold) and writes `returned` ledger movements. Raises NotShipped
    when the line's shipment has not left, TooManyReturned when more units come back than
    were sold from the line (or the batch); nothing is written then. Returns the last
    LineReturn written.
    """
    now = now or timezone.now()
    line = OrderLine.objects.select_related("shipment").get(pk=line_id)
    sold = OrderLineBatch.objects.filter(line_id=line_id, state=AllocationState.SOLD)
    if batch_id is not None:
        sold = sold.filter(batch_id=batch_id)
    with transaction.atomic():
        lock_batches(sold.values_list("batch_id", flat=True))
        orders.lock_order(order_id=line.order_id)
        shipment = line.shipment
        if shipment is None or shipment.status not in (
            ShipmentStatus.SHIPPED,
            ShipmentStatus.DELIVERED,
        ):
            raise NotShipped(f"Line {line_id} has not shipped.")
        returnable = sold.aggregate(total=Sum("quantity"))["total"] or 0
        if type(quantity) is not int or quantity < 1 or quantity > returnable:
            raise TooManyReturned(line_id=line_id, requested=quantity, returnable=returnable)
        back: dict[int, int] = {}
        left = quantity
        for allocation in sold.order_by("-batch_id", "-pk"):
            taken = min(left, allocation.quantity)
            restock.return_units(allocation, taken)
            back[allocation.batch_id] = back.get(allocation.batch_id, 0) + taken
            left -= taken
            if left == 0:
                break
        record = None
        for returned_batch_id in sorted(back):
            inventory.record_movement(
                batch_id=returned_batch_id,
                kind=MovementKind.RETURNED,
                quantity=back[returned_batch_id],
                reason=coded("returned_line", line=line_id),
                actor=actor,
            )
            record = LineReturn.objects.create(
                line_id=line_id,
                batch_id=returned_batch_id,
                quantity=back[returned_batch_id],
                reason=reason[:300],
                actor=actor if actor is not None and actor.is_authenticated else None,
                created_at=now,
            )
    return record
