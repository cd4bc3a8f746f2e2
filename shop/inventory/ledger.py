"""The stock ledger: every change to a batch's stock is a StockMovement; Batch.on_hand is a
cached sum of them, updated under the batch's row lock in the same transaction."""

import datetime
import functools

from django.db import transaction
from django.db.models import F, Sum

from shop import pagecache
from shop.inventory.errors import InsufficientStock, InvalidMovement
from shop.inventory.locks import lock_batches
from shop.message_codes import Coded, fields
from shop.models import Batch, BatchStatus, MovementKind, StockMovement, User, Variant
from shop.models.inventory import INBOUND_KINDS, OUTBOUND_KINDS
from traceability.models import Village


def receive_batch(
    *,
    variant: Variant,
    lot_code: str,
    harvest_date: datetime.date,
    packing_date: datetime.date,
    best_before: datetime.date,
    village: Village,
    quantity: int,
    actor: User | None = None,
    reason: str | Coded = "",
) -> Batch:
    """Create a batch and its opening `received` movement in one transaction.

    Raises django's ValidationError for an invalid lot code or dates, InvalidMovement for a
    quantity under 1. Writes one Batch and one StockMovement; after the commit the product's
    cached pages and the listings get a new version (shop.pagecache.invalidate_stock).
    """
    if quantity < 1:
        raise InvalidMovement("A batch is received with at least one unit.")
    batch = Batch(
        variant=variant,
        lot_code=lot_code,
        harvest_date=harvest_date,
        packing_date=packing_date,
        best_before=best_before,
        village=village,
        quantity_received=quantity,
    )
    batch.full_clean()
    with transaction.atomic():
        batch.save()
        write_movement(
            batch_id=batch.pk,
            kind=MovementKind.RECEIVED,
            quantity=quantity,
            reason=reason,
            actor=actor,
        )
    batch.refresh_from_db(fields=["on_hand"])
    return batch


def record_movement(
    *,
    batch_id: int,
    kind: str,
    quantity: int,
    reason: str | Coded = "",
    actor: User | None = None,
) -> StockMovement:
    """Append a movement to a batch's ledger; stock may never go below zero.

    Locks the batch row. Raises InvalidMovement when the sign does not fit the kind,
    InsufficientStock when the batch would go negative; nothing is written then. After the
    commit the product's cached pages get a new version (write_movement).
    """
    kind = MovementKind(kind)
    if quantity == 0:
        raise InvalidMovement("A movement of zero units changes nothing.")
    if (kind in INBOUND_KINDS and quantity < 0) or (kind in OUTBOUND_KINDS and quantity > 0):
        raise InvalidMovement(f"A {kind.label} movement cannot be {quantity:+d}.")
    with transaction.atomic():
        movement = write_movement(
            batch_id=batch_id, kind=kind, quantity=quantity, reason=reason, actor=actor
        )
    return movement


def write_movement(*, batch_id, kind, quantity, reason, actor) -> StockMovement:
    """Append one ledger row under the batch's lock (callers own the transaction).

    A sale consumes units already allocated, so it only needs them on hand; any other
    outbound movement may only take units nobody has allocated or holds, which keeps
    on hand >= allocated + live holds at all times. After the commit the batch's product
    pages get a new version, and the listing pages too when the lot's stock crossed zero
    (it went on or off sale), shop.pagecache.invalidate_stock. A coded reason
    (shop.message_codes) is stored as its code, typed text as it is.
    """
    lock_batches([batch_id])
    batch = Batch.objects.with_available().only("pk", "on_hand").get(pk=batch_id)
    free = batch.on_hand if kind == MovementKind.SOLD else batch.available
    if quantity < 0 and free + quantity < 0:
        raise InsufficientStock(batch_id=batch_id, requested=-quantity, available=max(free, 0))
    movement = StockMovement.objects.create(
        batch_id=batch_id, kind=kind, quantity=quantity, actor=actor, **fields(reason, "reason")
    )
    Batch.objects.filter(pk=batch_id).update(on_hand=F("on_hand") + quantity)
    crossed = (batch.on_hand > 0) != (batch.on_hand + quantity > 0)
    transaction.on_commit(
        functools.partial(pagecache.invalidate_stock, batch_ids=(batch_id,), listings=crossed)
    )
    # Sold out and back on sale follow the counter; recalled and expired stay as they are.
    if batch.on_hand + quantity == 0:
        Batch.objects.filter(pk=batch_id, status=BatchStatus.ON_SALE).update(
            status=BatchStatus.SOLD_OUT
        )
    elif batch.on_hand == 0:
        Batch.objects.filter(pk=batch_id, status=BatchStatus.SOLD_OUT).update(
            status=BatchStatus.ON_SALE
        )
    return movement


def ledger_on_hand(*, batch_id: int) -> int:
    """On-hand stock as the ledger says it: the truth the cached counter must match."""
    total = StockMovement.objects.filter(batch_id=batch_id).aggregate(total=Sum("quantity"))
    return total["total"] or 0
