"""Cart holds: units held for a cart line until a moment, read by the `held_until > now`
predicate so that availability is right even while no worker runs."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shop.inventory.errors import InvalidQuantity, OutOfStock
from shop.inventory.locks import items_available, locked_sellable, needs_for, take_fefo
from shop.models import Cart, CartLine, StockHold, Variant


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
        batches = locked_sellable([n.variant_id for n in needs], now)
        can_have = items_available(batches, needs)
        if can_have < quantity:
            raise OutOfStock(variant_id=variant.pk, requested=quantity, available=can_have)
        plan = [(need, batch, units) for need in needs for batch, units in take_fefo(batches, need)]
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
