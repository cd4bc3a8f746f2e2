"""Buying a gift's products again: the receiver for themselves ("Buy these for yourself" on
the gift page), or the giver for someone else ("Send this gift again" on their order page).

Either way the order's lines go into a cart through shop.carts (holds from whichever lot is
on sale now, FEFO), one line at a time so a sold-out product does not stop the rest, and
each line says plainly whether the lot now held differs from the one that was in the box.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from shop import carts, inventory
from shop.models import Cart, OrderLine, OrderLineBatch, StockHold
from shop.models.gifts import Gift
from shop.models.orders import AllocationState


@dataclass
class Outcome:
    """What happened to one line of the gift when it was put in the cart."""

    variant_id: int
    name: str
    wanted: int
    added: int = 0
    unknown: bool = False
    gift_lots: list[str] = field(default_factory=list)
    held_lots: list[str] = field(default_factory=list)

    @property
    def sold_out(self) -> bool:
        return not self.unknown and self.added == 0

    @property
    def short(self) -> bool:
        return 0 < self.added < self.wanted

    @property
    def other_lot(self) -> bool:
        """The units held now come from a lot that was not in the box."""
        return bool(self.held_lots) and not set(self.held_lots) <= set(self.gift_lots)


def _lines(order_id: int) -> list[tuple[int, str, int, list[str]]]:
    lines = list(
        OrderLine.objects.filter(order_id=order_id)
        .only("pk", "variant_id", "product_name", "quantity")
        .order_by("pk")
    )
    lots: dict[int, list[str]] = {}
    for line_id, lot in OrderLineBatch.objects.filter(
        line__order_id=order_id, state__in=(AllocationState.ALLOCATED, AllocationState.SOLD)
    ).values_list("line_id", "batch__lot_code"):
        lots.setdefault(line_id, []).append(lot)
    return [(ln.variant_id, ln.product_name, ln.quantity, lots.get(ln.pk, [])) for ln in lines]


def fill_cart(*, cart: Cart, gift: Gift) -> list[Outcome]:
    """Add every line of the gift's order to `cart` (each on its own: all of it, what is
    left, or nothing when sold out or no longer sold). Writes cart lines and holds through
    carts.add; reads the held lots back. Returns one Outcome per line, in order."""
    outcomes = []
    for variant_id, name, quantity, gift_lots in _lines(gift.order_id):
        outcome = Outcome(variant_id=variant_id, name=name, wanted=quantity, gift_lots=gift_lots)
        outcomes.append(outcome)
        try:
            carts.add(cart=cart, variant_id=variant_id, quantity=quantity)
            outcome.added = quantity
        except carts.UnknownVariant:
            outcome.unknown = True
        except inventory.OutOfStock as short:
            if short.available > 0:
                try:
                    carts.add(cart=cart, variant_id=variant_id, quantity=short.available)
                    outcome.added = short.available
                except (inventory.OutOfStock, inventory.InvalidQuantity):
                    outcome.added = 0
        except inventory.InvalidQuantity:
            outcome.added = 0
        if outcome.added:
            outcome.held_lots = sorted(
                set(
                    StockHold.objects.filter(
                        cart=cart, line__variant_id=variant_id, held_until__gt=timezone.now()
                    ).values_list("batch__lot_code", flat=True)
                )
            )
    return outcomes


def gift_again(*, cart: Cart, gift: Gift) -> list[Outcome]:
    """The giver's first step of sending the same gift to someone else: the cart gets the
    order's lines (fill_cart) and is marked a gift with the same message, signature and
    receiver's language, so checkout opens with them filled in. Writes the cart's gift
    fields under its row lock."""
    outcomes = fill_cart(cart=cart, gift=gift)
    with transaction.atomic():
        Cart.objects.select_for_update().filter(pk=cart.pk).values_list("pk").get()
        Cart.objects.filter(pk=cart.pk, status=Cart.Status.OPEN).update(
            is_gift=True,
            gift_message=gift.message,
            gift_signature=gift.signature,
            gift_language=gift.language,
            updated_at=timezone.now(),
        )
    return outcomes
