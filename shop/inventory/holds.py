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
    """Set the cart's line for `variant` to `quantity` units (see hold_many)."""
    return hold_many(cart=cart, items=[(variant, quantity)], now=now)[0]


def hold_many(
    *,
    cart: Cart,
    items: list[tuple[Variant, int]],
    now: datetime.datetime | None = None,
) -> list[CartLine]:
    """Set the cart's lines to the given quantities, held from batches in FEFO order.

    Holds come from batches on sale (never expired or recalled), earliest best-before first,
    across several batches when one is not enough; a gift set holds units of its box lots.
    The lines' previous holds are replaced and every live hold of the cart is extended (cart
    activity). Locks the cart row, then every candidate batch row at once in primary-key
    order, so carts asking for the same batches in any order never deadlock.
    Raises InvalidQuantity or OutOfStock (with what is available); nothing is written then.
    """
    for _variant, quantity in items:
        if type(quantity) is not int or not 1 <= quantity <= settings.MAX_LINE_QUANTITY:
            raise InvalidQuantity(quantity)
    now = now or timezone.now()
    wanted = [
        (variant, quantity, needs_for(variant=variant, quantity=quantity))
        for variant, quantity in items
    ]
    held_until = now + datetime.timedelta(minutes=settings.STOCK_HOLD_MINUTES)
    with transaction.atomic():
        Cart.objects.select_for_update().filter(pk=cart.pk).values_list("pk").get()
        lines = []
        for variant, quantity, _needs in wanted:
            line, _ = CartLine.objects.update_or_create(
                cart=cart, variant=variant, defaults={"quantity": quantity}
            )
            lines.append(line)
        StockHold.objects.filter(line__in=lines).delete()
        batches = locked_sellable([n.variant_id for *_, needs in wanted for n in needs], now)
        new_holds = []
        for line, (variant, quantity, needs) in zip(lines, wanted, strict=True):
            can_have = items_available(batches, needs)
            if can_have < quantity:
                raise OutOfStock(variant_id=variant.pk, requested=quantity, available=can_have)
            new_holds += [
                StockHold(
                    line=line,
                    cart=cart,
                    batch=batch,
                    quantity=units,
                    held_until=held_until,
                )
                for need in needs
                for batch, units in take_fefo(batches, need)
            ]
        StockHold.objects.bulk_create(new_holds)
        StockHold.objects.filter(cart=cart).live(now).update(held_until=held_until)
        Cart.objects.filter(pk=cart.pk).update(updated_at=now)
    return lines


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
