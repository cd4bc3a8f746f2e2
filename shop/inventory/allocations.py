"""Order allocations: the batches and units each order line took, from hold to sale."""

import datetime

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from shop.inventory.errors import HoldExpired
from shop.inventory.ledger import write_movement
from shop.inventory.locks import Need, lock_batches, locked_sellable, take_fefo
from shop.message_codes import coded
from shop.models import (
    AllocationState,
    Batch,
    Cart,
    CartLine,
    MovementKind,
    OrderLine,
    OrderLineBatch,
    StockHold,
    User,
)


def allocate_cart(
    *, cart: Cart, order_lines: dict[int, OrderLine], now: datetime.datetime | None = None
) -> list[OrderLineBatch]:
    """Turn the cart's live holds into allocations of the order lines (keyed by variant id).

    Must run inside the caller's transaction (checkout owns it). Locks the held batch rows
    in primary-key order, checks that every line is still fully held by live holds, writes
    one OrderLineBatch per hold and deletes the holds. Raises HoldExpired naming the lines
    whose holds lapsed; the caller's transaction then rolls back.
    """
    now = now or timezone.now()
    lines = list(CartLine.objects.filter(cart=cart))
    holds = list(StockHold.objects.filter(cart=cart))
    lock_batches(h.batch_id for h in holds)
    # A hold on a batch recalled or past best-before since it was taken no longer counts.
    live = list(StockHold.objects.filter(cart=cart, batch__in=Batch.objects.on_sale()).live(now))
    lapsed = [line.pk for line in lines if not _fully_held(line, live)]
    if lapsed:
        raise HoldExpired(line_ids=lapsed)
    by_line = {line.pk: line for line in lines}
    allocations = OrderLineBatch.objects.bulk_create(
        OrderLineBatch(
            line=order_lines[by_line[h.line_id].variant_id],
            batch_id=h.batch_id,
            quantity=h.quantity,
        )
        for h in live
    )
    StockHold.objects.filter(cart=cart).delete()
    return allocations


def _fully_held(line: CartLine, live: list[StockHold]) -> bool:
    return sum(h.quantity for h in live if h.line_id == line.pk) == line.quantity


def confirm_sale(*, order_id: int, actor: User | None = None) -> int:
    """Write `sold` movements for the order's allocated units and mark them sold.

    Locks the batch rows in primary-key order. Idempotent: units already sold are skipped.
    Returns the number of units moved.
    """
    with transaction.atomic():
        allocations = list(
            # The order's number rides along for the ledger's reason; only these rows are
            # locked (of=self), the order keeps its FOR NO KEY UPDATE.
            OrderLineBatch.objects.select_for_update(of=("self",))
            .filter(line__order_id=order_id, state=AllocationState.ALLOCATED)
            .annotate(order_number=F("line__order__number"))
            .order_by("batch_id", "pk")
        )
        lock_batches(a.batch_id for a in allocations)
        for allocation in allocations:
            write_movement(
                batch_id=allocation.batch_id,
                kind=MovementKind.SOLD,
                quantity=-allocation.quantity,
                reason=coded("sold_in_order", order=allocation.order_number),
                actor=actor,
            )
        OrderLineBatch.objects.filter(pk__in=[a.pk for a in allocations]).update(
            state=AllocationState.SOLD
        )
    return sum(a.quantity for a in allocations)


def release_allocations(*, order_id: int) -> int:
    """Give an unpaid or cancelled order's allocated units back to stock (no ledger change,
    since allocated units were never taken off the shelf). Returns the units released."""
    with transaction.atomic():
        allocations = OrderLineBatch.objects.select_for_update().filter(
            line__order_id=order_id, state=AllocationState.ALLOCATED
        )
        units = allocations.aggregate(total=Sum("quantity"))["total"] or 0
        allocations.update(state=AllocationState.RELEASED)
    return units


def reallocate(*, order_id: int, now: datetime.datetime | None = None) -> bool:
    """Allocate again the released units of an order (payment arrived after expiry).

    Takes the same batches if they still have the units, else any sellable batch of the same
    variant in FEFO order. Returns False, writing nothing, when stock is no longer there.
    """
    now = now or timezone.now()
    with transaction.atomic():
        released = list(
            OrderLineBatch.objects.select_for_update()
            .filter(line__order_id=order_id, state=AllocationState.RELEASED)
            .select_related("batch", "line")
        )
        if not released:
            return True
        variant_ids = {a.line.variant_id for a in released}
        batches = locked_sellable(variant_ids, now)
        replacements = []
        for allocation in released:
            need = Need(allocation.line.variant_id, allocation.quantity)
            taken = take_fefo(batches, need)
            if not taken:
                transaction.set_rollback(True)
                return False
            replacements.extend(
                OrderLineBatch(line=allocation.line, batch=batch, quantity=units)
                for batch, units in taken
            )
        OrderLineBatch.objects.filter(pk__in=[a.pk for a in released]).delete()
        OrderLineBatch.objects.bulk_create(replacements)
    return True
