"""What the cart and checkout say about shipping before a method is chosen: the cheapest
option to the cart's destination (or "Free shipping", or why it cannot ship and what weight
to take out) and when it would arrive. Nothing is said as "Shipping 0" for a cart that
cannot ship: without a destination the pages say shipping is calculated at checkout."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django_countries import countries

from shop import delivery, shipping


@dataclass(frozen=True)
class CartShipping:
    country: str
    quote: shipping.ShippingQuote
    # The estimate by the cheapest option (None when nothing ships).
    estimate: delivery.Estimate | None = None
    # Per option (the checkout's list): method pk -> estimate.
    estimates: dict[int, delivery.Estimate] | None = None
    # Goods still to add for free shipping (None when free already, or never free).
    free_gap: Decimal | None = None

    @property
    def country_name(self) -> str:
        return countries.name(self.country) or self.country

    @property
    def cheapest(self) -> shipping.ShippingOption | None:
        return self.quote.cheapest

    @property
    def unshippable(self) -> shipping.Unshippable | None:
        return self.quote.unshippable


def for_cart(
    *, country: str, currency: str, rows: Sequence, subtotal: Decimal
) -> CartShipping | None:
    """Shipping to `country` for the cart's rows (None when no destination is known): four
    queries whatever the lines (shipping's three, delivery's one)."""
    if not country or not rows:
        return None
    found = shipping.quote(
        country=country, currency=currency, items=shipping.items_of(rows), subtotal=subtotal
    )
    schedule = delivery.read_schedule(
        cooperative_ids=[row.variant.product.cooperative_id for row in rows]
    )
    estimates = {o.pk: delivery.for_method(schedule, o.method) for o in found.options}
    cheapest = found.cheapest
    return CartShipping(
        country=country,
        quote=found,
        estimate=estimates[cheapest.pk] if cheapest else None,
        estimates=estimates,
        free_gap=_gap(found, subtotal),
    )


def _gap(found: shipping.ShippingQuote, subtotal: Decimal) -> Decimal | None:
    cheapest = found.cheapest
    if cheapest is None or cheapest.is_free or found.free_over is None:
        return None
    return found.free_over - subtotal
