"""The stock side of gift-box assembly: component units leave their lots and a box lot opens.

Lock order as everywhere: the component batch rows in primary-key order, in one statement;
the new box lot gets a higher key than any of them, so locking it afterwards keeps the order.
shop.fulfilment.assembly owns the workflow (runs, transfers, events) and the transaction.
"""

import datetime
import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shop import pagecache
from shop.inventory.errors import InvalidMovement, OutOfStock
from shop.inventory.ledger import write_movement
from shop.inventory.locks import Need, lock_batches, locked_sellable, take_fefo
from shop.message_codes import coded
from shop.models import Batch, BatchStatus, MovementKind, User, Variant
from traceability.models import Village


@dataclass(frozen=True)
class BoxLot:
    """What the box lot is called and where it is made; dates come from its components."""

    lot_code: str
    village: Village
    status: str = BatchStatus.ON_SALE


class LotNotUsable(InvalidMovement):
    """A chosen lot is not of a component of the gift set, or is not on sale."""

    def __init__(self, *, batch_id: int):
        self.batch_id = batch_id
        super().__init__(f"Batch {batch_id} cannot go into this gift set.")


def plan_components(
    *,
    needs: list[Need],
    lots: dict[int, int] | None,
    now: datetime.datetime | None = None,
) -> list[tuple[Batch, int]]:
    """Lock the candidate component lots and choose the units each gives.

    Must run inside the caller's transaction. `needs` are the component variants and units
    for every box; without `lots` the units come FEFO from on-sale lots with available units
    (on hand − allocated − live holds, read after the lock). Raises OutOfStock (per
    component, with what is available) or LotNotUsable; nothing is written.
    """
    now = now or timezone.now()
    if lots is None:
        batches = locked_sellable([n.variant_id for n in needs], now)
        plan = []
        for need in needs:
            # Read before take_fefo, which uses up what it finds even when it falls short.
            available = sum(max(b.available, 0) for b in batches if b.variant_id == need.variant_id)
            taken = take_fefo(batches, need)
            if not taken:
                raise OutOfStock(
                    variant_id=need.variant_id, requested=need.units, available=available
                )
            plan.extend(taken)
        return plan
    lock_batches(lots)
    today = timezone.localdate()
    chosen = {b.pk: b for b in Batch.objects.filter(pk__in=lots).with_available(now)}
    wanted = {n.variant_id: n.units for n in needs}
    given: dict[int, int] = {}
    for batch_id, units in lots.items():
        batch = chosen.get(batch_id)
        if (
            batch is None
            or batch.variant_id not in wanted
            or batch.status != BatchStatus.ON_SALE
            or batch.best_before < today
            or type(units) is not int
            or units < 1
        ):
            raise LotNotUsable(batch_id=batch_id)
        if units > batch.available:
            raise OutOfStock(
                variant_id=batch.variant_id, requested=units, available=max(batch.available, 0)
            )
        given[batch.variant_id] = given.get(batch.variant_id, 0) + units
    for variant_id, units in wanted.items():
        if given.get(variant_id, 0) != units:
            raise OutOfStock(
                variant_id=variant_id, requested=units, available=given.get(variant_id, 0)
            )
    return [(chosen[batch_id], units) for batch_id, units in sorted(lots.items())]


def open_box_lot(
    *,
    gift_set: Variant,
    boxes: int,
    plan: list[tuple[Batch, int]],
    box: BoxLot,
    actor: User | None,
) -> Batch:
    """Move the planned units out of their lots and open the box lot with `boxes` units.

    Must run inside the caller's transaction, after plan_components locked the lots. Writes
    one `assembled` movement per component lot (−units, reason "lot <box lot code>") and the
    box lot (harvested when its earliest component was, packed today, best before its
    earliest component) with an `assembled` +boxes opening movement. Raises ValidationError
    for a bad or taken lot code, InsufficientStock if a lot lost its units; after the commit
    the storefront's cached pages get a new version.
    """
    today = timezone.localdate()
    batch = Batch(
        variant=gift_set,
        lot_code=box.lot_code,
        harvest_date=min(b.harvest_date for b, _units in plan),
        packing_date=today,
        best_before=min(b.best_before for b, _units in plan),
        village=box.village,
        quantity_received=boxes,
        status=box.status,
    )
    batch.full_clean()
    if batch.harvest_date > today:
        raise ValidationError({"harvest_date": "A component was harvested after today."})
    batch.save()
    reason = coded("assembled_into", lot=box.lot_code)
    for component, units in plan:
        write_movement(
            batch_id=component.pk,
            kind=MovementKind.ASSEMBLED,
            quantity=-units,
            reason=reason,
            actor=actor,
        )
    write_movement(
        batch_id=batch.pk,
        kind=MovementKind.ASSEMBLED,
        quantity=boxes,
        reason="",
        actor=actor,
    )
    batch.refresh_from_db(fields=["on_hand", "status"])
    return batch


def put_box_lot_on_sale(*, batch_id: int) -> bool:
    """A box lot whose components have all arrived goes on sale (a recalled one stays
    recalled). Locks the batch row; returns whether the status changed."""
    with transaction.atomic():
        lock_batches([batch_id])
        changed = Batch.objects.filter(pk=batch_id, status=BatchStatus.ASSEMBLING).update(
            status=BatchStatus.ON_SALE
        )
        if changed:
            transaction.on_commit(
                functools.partial(pagecache.invalidate_stock, batch_ids=(batch_id,), listings=True)
            )
    return bool(changed)
