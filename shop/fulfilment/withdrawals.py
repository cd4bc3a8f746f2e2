"""Withdrawing a recalled lot from the shipments that have not left yet.

A recall (traceability.recalls) calls `withdraw_lot` inside its own transaction. For every
shipment still with the cooperative (to pack, packed or on hold) whose lines took sold units
of the lot:
- the shipment goes on hold (reason code "recall"), so it leaves the packing list at once;
- the lot's units in it come back to the lot's ledger (the allocation becomes `returned`, a
  `returned` movement on the recalled lot), so they count as on hand to quarantine;
- the line is re-allocated from one other on-sale lot of the same variant that has all the
  units available (FEFO), with its `sold` movement there: outcome REPLACED, naming the lot;
  when no single lot can give them, outcome NEEDS_REFUND, and the caller refunds the line
  after its commit (Stripe is never called under these locks).
A shipment this call moved from "to pack" to on hold is released again when every withdrawn
line in it was replaced (the packer picks from the new lot). A shipment with a line to
refund stays on hold until the refund lands: whoever completes the refund lets it go
(traceability.recalls). A shipment that was packed stays on hold: its parcel holds units of
the recalled lot and must be opened and packed again before anyone releases it (release
sends a held shipment back to where it was). A shipment on hold already stays on hold.

Lock order, as every workflow: batches (the recalled lot and every on-sale lot of its
variant, one statement in primary-key order: shop.inventory.locks.lock_batches) → orders
(FOR NO KEY UPDATE, primary-key order) → shipments (shipments.hold). A payment of the same lot
(shop.fulfilment.payment.pay_order) takes the batch locks first too, so the two never wait on
each other in a cycle.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shop.fulfilment import shipments
from shop.inventory.ledger import write_movement
from shop.inventory.locks import lock_batches
from shop.message_codes import coded
from shop.models import (
    AllocationState,
    Batch,
    MovementKind,
    Order,
    OrderLineBatch,
    OrderStatus,
)
from shop.models.fulfilment import Shipment, ShipmentStatus

RECALL_HOLD = "recall"
REPLACED = "replaced"
NEEDS_REFUND = "needs_refund"
# Orders paid before shipments existed have no shipment; their goods have not left either.
_UNSHIPPED_ORDER = (OrderStatus.PAID, OrderStatus.PACKED)


@dataclass(frozen=True)
class LineOutcome:
    """What became of one order line's units of the withdrawn lot."""

    order_id: int
    line_id: int
    shipment_id: int | None
    units: int
    outcome: str  # REPLACED or NEEDS_REFUND
    replacement_batch_id: int | None = None
    replacement_lot: str = ""


def candidate_ids(*, batch_id: int) -> list[int]:
    """The lots a withdrawal of `batch_id` may re-allocate from (read without locks; the
    caller locks them with the recalled lot in one statement)."""
    variant_id = Batch.objects.filter(pk=batch_id).values_list("variant_id", flat=True).first()
    return list(
        Batch.objects.on_sale()
        .filter(variant_id=variant_id)
        .exclude(pk=batch_id)
        .values_list("pk", flat=True)
    )


def not_left() -> Q:
    """Allocations in shipments (or pre-shipment paid orders) whose goods have not left."""
    return Q(line__shipment__status__in=_statuses()) | Q(
        line__shipment__isnull=True, line__order__status__in=_UNSHIPPED_ORDER
    )


def _statuses() -> list[str]:
    return [ShipmentStatus.TO_PACK, ShipmentStatus.PACKED, ShipmentStatus.ON_HOLD]


def withdraw_lot(*, batch_id: int, now: datetime.datetime | None = None) -> list[LineOutcome]:
    """Take the lot's sold units back out of every shipment that has not left (see the
    module docstring). Must run inside the caller's transaction, which should already hold
    the batch lock; locks the lot with its replacement candidates (again, in one statement),
    the affected orders, then their shipments. Returns one outcome per line, by order.

    Side effects: allocations of the lot in those shipments become `returned` with a
    `returned` movement on the lot; replacement allocations are written `sold` with a
    `sold` movement on their lot; shipments go on hold (reason "recall") and, when they
    were waiting to be packed and every line of theirs was replaced, are released again.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("withdraw_lot runs inside the recall's transaction.")
    now = now or timezone.now()
    candidates = candidate_ids(batch_id=batch_id)
    lock_batches([batch_id, *candidates])
    order_ids = sorted(set(_taken(batch_id).values_list("line__order_id", flat=True)))
    if not order_ids:
        return []
    list(
        Order.objects.select_for_update(no_key=True)
        .filter(pk__in=order_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Read again under the order locks: a shipment may have left in between (shipment
    # moves take the order's lock), and no new sale of the lot can (it needs the batch's).
    taken = list(
        _taken(batch_id)
        .select_related("line__order", "line__shipment")
        .order_by("line__order_id", "line_id", "pk")
    )
    if not taken:
        return []
    to_pack = _hold_shipments({a.line.shipment_id for a in taken} - {None})
    sellable = list(Batch.objects.on_sale().filter(pk__in=candidates).with_available(now).fefo())
    outcomes = []
    for _line_id, group in groupby(taken, key=lambda a: a.line_id):
        outcomes.append(_withdraw_line(list(group), sellable, batch_id))
    for shipment_id in sorted(to_pack):
        mine = [o for o in outcomes if o.shipment_id == shipment_id]
        if all(o.outcome == REPLACED for o in mine):
            _release(shipment_id)
    return outcomes


def _taken(batch_id: int):
    return OrderLineBatch.objects.filter(
        not_left(), batch_id=batch_id, state=AllocationState.SOLD
    ).order_by()


def _withdraw_line(allocations, sellable: list[Batch], batch_id: int) -> LineOutcome:
    line = allocations[0].line
    units = sum(a.quantity for a in allocations)
    OrderLineBatch.objects.filter(pk__in=[a.pk for a in allocations]).update(
        state=AllocationState.RETURNED
    )
    write_movement(
        batch_id=batch_id,
        kind=MovementKind.RETURNED,
        quantity=units,
        reason=coded("recall_withdrawn", order=line.order.number),
        actor=None,
    )
    # One lot for the whole line, so the buyer is told one lot code.
    replacement = next((b for b in sellable if b.available >= units), None)
    if replacement is None:
        return LineOutcome(line.order_id, line.pk, line.shipment_id, units, NEEDS_REFUND)
    replacement.available -= units
    OrderLineBatch.objects.create(
        line=line, batch=replacement, quantity=units, state=AllocationState.SOLD
    )
    write_movement(
        batch_id=replacement.pk,
        kind=MovementKind.SOLD,
        quantity=-units,
        reason=coded("sold_in_order", order=line.order.number),
        actor=None,
    )
    return LineOutcome(
        line.order_id,
        line.pk,
        line.shipment_id,
        units,
        REPLACED,
        replacement_batch_id=replacement.pk,
        replacement_lot=replacement.lot_code,
    )


def _hold_shipments(shipment_ids: set[int]) -> set[int]:
    """Put the shipments on hold in primary-key order; returns those this call held from
    "to pack" (the only ones it may release again). Their orders are locked already, and
    every shipment move takes the order's lock first, so the status read here holds."""
    to_pack = set()
    for shipment_id in sorted(shipment_ids):
        status = Shipment.objects.filter(pk=shipment_id).values_list("status", flat=True).get()
        if status == ShipmentStatus.ON_HOLD:
            continue
        shipments.hold(shipment_id=shipment_id, reason_code=RECALL_HOLD)
        if status == ShipmentStatus.TO_PACK:
            to_pack.add(shipment_id)
    return to_pack


def _release(shipment_id: int) -> None:
    shipments.release(shipment_id=shipment_id)
