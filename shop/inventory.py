"""Stock: the ledger, cart holds and order allocations.

The only code that writes batch quantities or locks stock rows. Every change to a batch's
stock is a StockMovement; Batch.on_hand is a cached sum of them, updated under the batch's
row lock in the same transaction as the movement. Batch rows are always locked in
primary-key order, in one statement, so two carts can never wait on each other in a cycle.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from shop.models import (
    Batch,
    BatchStatus,
    Cart,
    CartLine,
    MovementKind,
    StockHold,
    StockMovement,
    User,
    Variant,
)
from shop.models.inventory import INBOUND_KINDS, OUTBOUND_KINDS
from traceability.models import Village


class InventoryError(Exception):
    """Base for refused stock changes; nothing was written."""


class InsufficientStock(InventoryError):
    def __init__(self, *, batch_id: int, requested: int, available: int):
        self.batch_id, self.requested, self.available = batch_id, requested, available
        super().__init__(f"Batch {batch_id}: {requested} asked, {available} available.")


class InvalidMovement(InventoryError):
    pass


class InvalidQuantity(InventoryError):
    def __init__(self, quantity):
        self.quantity = quantity
        super().__init__(f"Quantity must be 1 to {settings.MAX_LINE_QUANTITY}, not {quantity}.")


class OutOfStock(InventoryError):
    """Fewer units are available than asked for. `available` is what could be had."""

    def __init__(self, *, variant_id: int, requested: int, available: int):
        self.variant_id, self.requested, self.available = variant_id, requested, available
        super().__init__(f"Variant {variant_id}: {requested} asked, {available} available.")


class HoldExpired(InventoryError):
    def __init__(self, *, line_ids: list[int]):
        self.line_ids = line_ids
        super().__init__(f"The holds of cart lines {line_ids} have expired.")


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
    reason: str = "",
) -> Batch:
    """Create a batch and its opening `received` movement in one transaction.

    Raises django's ValidationError for an invalid lot code or dates, InvalidMovement for a
    quantity under 1. Writes one Batch and one StockMovement.
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
        _write_movement(
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
    reason: str = "",
    actor: User | None = None,
) -> StockMovement:
    """Append a movement to a batch's ledger; stock may never go below zero.

    Locks the batch row. Raises InvalidMovement when the sign does not fit the kind,
    InsufficientStock when the batch would go negative; nothing is written then.
    """
    kind = MovementKind(kind)
    if quantity == 0:
        raise InvalidMovement("A movement of zero units changes nothing.")
    if (kind in INBOUND_KINDS and quantity < 0) or (kind in OUTBOUND_KINDS and quantity > 0):
        raise InvalidMovement(f"A {kind.label} movement cannot be {quantity:+d}.")
    with transaction.atomic():
        return _write_movement(
            batch_id=batch_id, kind=kind, quantity=quantity, reason=reason, actor=actor
        )


def _write_movement(*, batch_id, kind, quantity, reason, actor) -> StockMovement:
    batch = Batch.objects.select_for_update().only("pk", "on_hand").get(pk=batch_id)
    if batch.on_hand + quantity < 0:
        raise InsufficientStock(batch_id=batch_id, requested=-quantity, available=batch.on_hand)
    movement = StockMovement.objects.create(
        batch_id=batch_id, kind=kind, quantity=quantity, reason=reason, actor=actor
    )
    Batch.objects.filter(pk=batch_id).update(on_hand=F("on_hand") + quantity)
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


# --- Holds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Need:
    """Units of one stocked variant that a cart line needs (a gift set needs several)."""

    variant_id: int
    units: int
    per_item: int
    component_id: int | None


def needs_for(*, variant: Variant, quantity: int) -> list[Need]:
    components = list(variant.components.all())
    if not components:
        return [Need(variant.pk, quantity, 1, None)]
    return [
        Need(c.component_id, c.quantity * quantity, c.quantity, c.component_id) for c in components
    ]


def _lock_batches(batch_ids: Iterable[int]) -> None:
    # One statement, primary-key order: the lock order every writer shares.
    list(
        Batch.objects.select_for_update()
        .filter(pk__in=set(batch_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _locked_sellable(variant_ids: Iterable[int], now) -> list[Batch]:
    ids = set(variant_ids)
    candidates = Batch.objects.on_sale().filter(variant_id__in=ids).values_list("pk", flat=True)
    _lock_batches(candidates)
    # Read availability in a new statement, after the locks: it sees every committed hold.
    return list(Batch.objects.on_sale().filter(variant_id__in=ids).with_available(now).fefo())


def _take_fefo(batches: list[Batch], need: Need) -> list[tuple[Batch, int]]:
    taken, missing = [], need.units
    for batch in batches:
        if missing == 0:
            break
        if batch.variant_id != need.variant_id or batch.available <= 0:
            continue
        units = min(batch.available, missing)
        batch.available -= units
        taken.append((batch, units))
        missing -= units
    return taken if missing == 0 else []


def hold(
    *, cart: Cart, variant: Variant, quantity: int, now: datetime.datetime | None = None
) -> CartLine:
    """Set the cart's line for `variant` to `quantity` units, held from batches in FEFO order.

    Holds come from batches on sale (never expired or recalled), earliest best-before first,
    across several batches when one is not enough; a gift set holds its components. The
    line's previous holds are replaced and every live hold of the cart is extended (cart
    activity). Locks the cart row, then the candidate batch rows in primary-key order.
    Raises InvalidQuantity or OutOfStock (with what is available); nothing is written then.
    """
    if not isinstance(quantity, int) or not 1 <= quantity <= settings.MAX_LINE_QUANTITY:
        raise InvalidQuantity(quantity)
    now = now or timezone.now()
    needs = needs_for(variant=variant, quantity=quantity)
    with transaction.atomic():
        Cart.objects.select_for_update().filter(pk=cart.pk).values_list("pk").get()
        line, _ = CartLine.objects.get_or_create(
            cart=cart, variant=variant, defaults={"quantity": quantity}
        )
        line.holds.all().delete()
        batches = _locked_sellable([n.variant_id for n in needs], now)
        can_have = _items_available(batches, needs)
        if can_have < quantity:
            raise OutOfStock(variant_id=variant.pk, requested=quantity, available=can_have)
        plan = [
            (need, batch, units) for need in needs for batch, units in _take_fefo(batches, need)
        ]
        held_until = now + datetime.timedelta(minutes=settings.STOCK_HOLD_MINUTES)
        StockHold.objects.bulk_create(
            StockHold(
                line=line,
                cart=cart,
                batch=batch,
                component_id=need.component_id,
                quantity=units,
                held_until=held_until,
            )
            for need, batch, units in plan
        )
        CartLine.objects.filter(pk=line.pk).update(quantity=quantity)
        StockHold.objects.filter(cart=cart).live(now).update(held_until=held_until)
        Cart.objects.filter(pk=cart.pk).update(updated_at=now)
    line.quantity = quantity
    return line


def _items_available(batches: list[Batch], needs: list[Need]) -> int:
    """How many whole items (a gift set counts whole sets) the batches can give."""
    totals: dict[int, int] = {}
    for batch in batches:
        totals[batch.variant_id] = totals.get(batch.variant_id, 0) + max(batch.available, 0)
    return min(totals.get(n.variant_id, 0) // n.per_item for n in needs)


def remove_line(*, cart: Cart, variant_id: int) -> None:
    """Remove a cart line and release its holds at once."""
    with transaction.atomic():
        CartLine.objects.filter(cart=cart, variant_id=variant_id).delete()


def extend_holds(*, cart: Cart, now: datetime.datetime | None = None) -> int:
    """Extend the cart's live holds (expired ones stay expired). Returns how many rows."""
    now = now or timezone.now()
    held_until = now + datetime.timedelta(minutes=settings.STOCK_HOLD_MINUTES)
    return StockHold.objects.filter(cart=cart).live(now).update(held_until=held_until)


def delete_expired_holds(*, before: datetime.datetime | None = None) -> int:
    """Housekeeping only: expired holds already count for nothing (see StockHold.live)."""
    deleted, _ = StockHold.objects.expired(before).delete()
    return deleted
