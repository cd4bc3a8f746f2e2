"""The shopper's cart: find or open it, change its lines, merge it at sign-in, and read it.

A guest's cart is found by the token kept in their session; a signed-in shopper has one open
cart on their account. Every change of quantity goes through shop.inventory, which holds the
units (or refuses with how many are left). Prices are never stored on a cart: reads price
the lines from the variants in the currency asked for, so switching currency re-prices.
"""

import datetime
import math
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Sum
from django.utils import timezone

from shop import inventory
from shop.models import BatchStatus, Cart, CartLine, StockHold, User, Variant
from shop.money import quantize

SESSION_KEY = "cart_token"


class CartError(Exception):
    """Base of refused cart changes; nothing was written."""


class UnknownVariant(CartError):
    def __init__(self, variant_id: object):
        self.variant_id = variant_id
        super().__init__(f"No variant {variant_id!r} is on sale.")


class LineNotInCart(CartError):
    def __init__(self, variant_id: int):
        self.variant_id = variant_id
        super().__init__(f"Variant {variant_id} is not in this cart.")


# Finding and opening carts


def find_cart(*, token: str | None, user: User | None) -> Cart | None:
    """The open cart of a signed-in user, else the open guest cart with this session token."""
    if user is not None and user.is_authenticated:
        return Cart.objects.open().filter(user=user).first()
    try:
        parsed = uuid.UUID(str(token))
    except ValueError:
        return None
    return Cart.objects.open().filter(token=parsed, user__isnull=True).first()


def open_cart(*, token: str | None, user: User | None, currency: str, language: str) -> Cart:
    """Find the shopper's open cart or open one, with the currency and language they use now.

    Writes a Cart row when there is none, or updates its currency/language when they changed.
    """
    cart = find_cart(token=token, user=user)
    if cart is None:
        owner = user if user is not None and user.is_authenticated else None
        cart = _create(owner, currency=currency, language=language)
    elif (cart.currency, cart.language) != (currency, language):
        Cart.objects.filter(pk=cart.pk).update(currency=currency, language=language)
        cart.currency, cart.language = currency, language
    return cart


def _create(owner: User | None, *, currency: str, language: str) -> Cart:
    try:
        with transaction.atomic():
            return Cart.objects.create(user=owner, currency=currency, language=language)
    except IntegrityError:
        # Two requests of the same account raced: the other one opened the cart.
        return Cart.objects.open().get(user=owner)


# Changing lines


def _variant(variant_id: object) -> Variant:
    if type(variant_id) is not int:
        raise UnknownVariant(variant_id)
    variant = Variant.objects.filter(pk=variant_id, product__is_published=True).first()
    if variant is None:
        raise UnknownVariant(variant_id)
    return variant


def add(*, cart: Cart, variant_id: int, quantity: int) -> CartLine:
    """Put `quantity` more units of a published variant in the cart, held for the shopper.

    Raises UnknownVariant, inventory.InvalidQuantity (the line would pass the per-line cap)
    or inventory.OutOfStock (with how many the line can have); nothing is written then.
    """
    return add_many(cart=cart, items=[(variant_id, quantity)])[0]


def add_many(*, cart: Cart, items: list[tuple[int, int]]) -> list[CartLine]:
    """Put more units of several published variants in the cart at once: all or nothing.

    Each (variant id, quantity) adds to what the cart has of that variant; the same variant
    twice adds up. Holds every line in one inventory.hold_many. Raises UnknownVariant,
    inventory.InvalidQuantity or inventory.OutOfStock for the first item refused; nothing is
    written then. Returns one line per variant, in the order first given.
    """
    wanted: dict[int, tuple[Variant, int]] = {}
    for variant_id, quantity in items:
        variant = _variant(variant_id)
        if type(quantity) is not int or quantity < 1:
            raise inventory.InvalidQuantity(quantity)
        _variant_again, before = wanted.get(variant.pk, (variant, 0))
        wanted[variant.pk] = (variant, before + quantity)
    with transaction.atomic():
        # Read what the cart has under its row lock (hold_many takes the same lock again):
        # two clicks at once would otherwise both read the same quantity and one unit is lost.
        Cart.objects.select_for_update().filter(pk=cart.pk).values_list("pk").get()
        in_cart = dict(
            CartLine.objects.filter(cart=cart, variant__in=list(wanted)).values_list(
                "variant_id", "quantity"
            )
        )
        return inventory.hold_many(
            cart=cart,
            items=[(variant, in_cart.get(pk, 0) + more) for pk, (variant, more) in wanted.items()],
        )


def set_quantity(*, cart: Cart, variant_id: int, quantity: int) -> CartLine | None:
    """Set a line to `quantity` units (0 removes it), holding them again from now.

    Raises LineNotInCart, inventory.InvalidQuantity or inventory.OutOfStock; nothing is
    written then.
    """
    if not CartLine.objects.filter(cart=cart, variant_id=variant_id).exists():
        raise LineNotInCart(variant_id)
    if quantity == 0:
        inventory.remove_line(cart=cart, variant_id=variant_id)
        return None
    return inventory.hold(cart=cart, variant=_variant(variant_id), quantity=quantity)


def remove(*, cart: Cart, variant_id: int) -> None:
    """Take a line out of the cart; its held units go back to stock at once."""
    inventory.remove_line(cart=cart, variant_id=variant_id)


def hold_again(*, cart: Cart) -> list[CartLine]:
    """Hold every line of the cart again for a full hold time (after a hold ran out).

    Raises inventory.OutOfStock naming the first line that can no longer be had in full;
    nothing is written then.
    """
    # A product unpublished since is not held again (the cart page says it is not sold).
    lines = list(
        CartLine.objects.filter(cart=cart, variant__product__is_published=True).select_related(
            "variant"
        )
    )
    if not lines:
        return []
    return inventory.hold_many(cart=cart, items=[(line.variant, line.quantity) for line in lines])


@dataclass(frozen=True)
class MergeChange:
    """A line the account's cart could not take in full: `wanted` asked, `got` held."""

    variant: Variant
    wanted: int
    got: int


def merge(*, guest_cart: Cart, user: User) -> tuple[Cart, list[MergeChange]]:
    """Move a guest cart's lines into the user's open cart when they sign in.

    Quantities of the same variant add up (capped at MAX_LINE_QUANTITY). The guest cart's
    holds are released first and every merged line is held again through inventory.hold, so
    the units the guest held stay available to the account. A line that cannot be had in
    full gets what is left (or stays as it was) and is reported in the returned changes.
    The guest cart is marked merged and emptied. One transaction; locks the guest cart row.
    """
    with transaction.atomic():
        guest = (
            Cart.objects.select_for_update()
            .filter(pk=guest_cart.pk, status=Cart.Status.OPEN, user__isnull=True)
            .first()
        )
        target = open_cart(
            token=None, user=user, currency=guest_cart.currency, language=guest_cart.language
        )
        if guest is None:
            return target, []
        lines = list(CartLine.objects.filter(cart=guest).select_related("variant"))
        in_account = dict(
            CartLine.objects.filter(cart=target).values_list("variant_id", "quantity")
        )
        CartLine.objects.filter(cart=guest).delete()
        Cart.objects.filter(pk=guest.pk).update(status=Cart.Status.MERGED)
        changes = []
        for line in lines:
            had = in_account.get(line.variant_id, 0)
            wanted = min(had + line.quantity, settings.MAX_LINE_QUANTITY)
            got = _hold_what_is_left(target, line.variant, wanted, had)
            if got != wanted:
                changes.append(MergeChange(line.variant, wanted, got))
    return target, changes


def _hold_what_is_left(cart: Cart, variant: Variant, wanted: int, had: int) -> int:
    try:
        inventory.hold(cart=cart, variant=variant, quantity=wanted)
        return wanted
    except inventory.OutOfStock as short:
        left = short.available
    if left <= 0:
        return had
    try:
        inventory.hold(cart=cart, variant=variant, quantity=left)
    except inventory.OutOfStock:
        return had
    return left


# Reading


def variant_label(*, variant_id: int) -> str:
    """ "Product (variant)" in the active language, for messages."""
    variant = Variant.objects.select_related("product").filter(pk=variant_id).first()
    return f"{variant.product.name} ({variant.name})" if variant else str(variant_id)


@dataclass(frozen=True)
class CartRow:
    line: CartLine
    unit_price: Decimal
    line_total: Decimal
    is_held: bool
    held_until: datetime.datetime | None
    # Lots this line held that were recalled since: the shopper is told so, not that the
    # hold ran out (hold_again takes other lots).
    recalled_lots: tuple[str, ...] = ()
    # (lot code, best-before) of the lots held for this line, earliest best-before first:
    # the shopper sees what they will get (FEFO), read from the holds already loaded.
    held_lots: tuple[tuple[str, datetime.date], ...] = ()

    @property
    def variant(self) -> Variant:
        return self.line.variant

    @property
    def quantity(self) -> int:
        return self.line.quantity

    @property
    def weight_grams(self) -> int:
        return self.line.variant.weight_grams * self.line.quantity

    @property
    def is_available(self) -> bool:
        """False once the product was unpublished: it can no longer be ordered."""
        return self.line.variant.product.is_published


@dataclass(frozen=True)
class CartSummary:
    cart: Cart | None
    currency: str
    rows: list[CartRow] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def item_count(self) -> int:
        return sum(row.quantity for row in self.rows)

    @property
    def subtotal(self) -> Decimal:
        return quantize(sum((row.line_total for row in self.rows), Decimal(0)), self.currency)

    @property
    def weight_grams(self) -> int:
        return sum(row.weight_grams for row in self.rows)

    @property
    def expired_rows(self) -> list[CartRow]:
        return [
            row
            for row in self.rows
            if not row.is_held and row.is_available and not row.recalled_lots
        ]

    @property
    def recalled_rows(self) -> list[CartRow]:
        """Lines whose held units came from a lot recalled since."""
        return [row for row in self.rows if row.recalled_lots and row.is_available]

    @property
    def unavailable_rows(self) -> list[CartRow]:
        """Lines of products no longer sold: checkout refuses the cart until they go."""
        return [row for row in self.rows if not row.is_available]

    @property
    def minutes_left(self) -> int:
        """Whole minutes, rounded up, until the first hold ends (0 when none is held)."""
        if self.held_until is None:
            return 0
        seconds = (self.held_until - timezone.now()).total_seconds()
        return max(0, math.ceil(seconds / 60))

    @property
    def held_until(self) -> datetime.datetime | None:
        """When the first of the lines' holds ends (None when no line is held)."""
        ends = [row.held_until for row in self.rows if row.is_held and row.held_until]
        return min(ends) if ends else None


def summary(
    *, cart: Cart | None, currency: str, now: datetime.datetime | None = None
) -> CartSummary:
    """The cart's lines priced in `currency`, with whether each is still fully held.

    Two queries however many lines: lines with variant and product, holds.
    """
    if cart is None:
        return CartSummary(cart=None, currency=currency)
    now = now or timezone.now()
    lines = (
        CartLine.objects.filter(cart=cart)
        .select_related("variant__product")
        .prefetch_related(
            Prefetch(
                "holds",
                queryset=StockHold.objects.live(now).select_related("batch"),
                to_attr="live_holds",
            )
        )
    )
    rows = []
    for line in lines:
        unit = line.variant.price(currency)
        recalled = tuple(
            sorted({h.batch.lot_code for h in line.live_holds if h.batch.status == RECALLED})
        )
        rows.append(
            CartRow(
                line=line,
                unit_price=unit,
                line_total=quantize(unit * line.quantity, currency),
                is_held=_fully_held(line) and not recalled,
                held_until=min((h.held_until for h in line.live_holds), default=None),
                recalled_lots=recalled,
                held_lots=_held_lots(line),
            )
        )
    return CartSummary(cart=cart, currency=currency, rows=rows)


def _held_lots(line: CartLine) -> tuple[tuple[str, datetime.date], ...]:
    lots = {(h.batch.best_before, h.batch.lot_code) for h in line.live_holds}
    return tuple((code, best_before) for best_before, code in sorted(lots))


def item_count(*, cart: Cart | None) -> int:
    """How many units the cart holds lines for (0 without a cart): the header's count. One
    query."""
    if cart is None:
        return 0
    total = CartLine.objects.filter(cart=cart).aggregate(total=Sum("quantity"))["total"]
    return total or 0


RECALLED = BatchStatus.RECALLED


def _fully_held(line: CartLine) -> bool:
    # A gift set is held in units of its box lots, like any variant.
    return sum(hold.quantity for hold in line.live_holds) == line.quantity
