"""The shop's currencies as data: one registry entry per currency.

A currency is either *stored* (each variant, shipping rate and free-shipping threshold has its
own `price_<code>` column, set by hand: USD, EUR, VND) or *converted* (JPY, KRW: the stored USD
figure at the current `CurrencyRate`, rounded to a shelf step). Converted prices are rounded
half up to the nearest 10 yen / 100 won, the way shelf prices there are written, so a card,
the product page, the cart, the order, the email and Stripe all show the same whole figure.

This module is pure data and arithmetic; reading the rate table is `shop.currency_rates`.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Currency:
    code: str
    # ISO 4217 minor units; Stripe's zero-decimal currencies have 0 and take whole amounts.
    minor_units: int
    # True: prices kept in this currency's own `price_<code>` columns; False: converted
    # from the USD columns at the current rate.
    stored: bool
    # Converted prices are rounded to this step (10 yen, 100 won); stored ones to a minor unit.
    shelf_step: Decimal = Decimal(1)

    @property
    def zero_decimal(self) -> bool:
        return self.minor_units == 0

    @property
    def column(self) -> str:
        """The stored column a price in this currency is read from (USD for converted ones)."""
        return f"price_{self.code.lower()}" if self.stored else f"price_{BASE.lower()}"


# Converted currencies are priced from this one.
BASE = "USD"

REGISTRY: dict[str, Currency] = {
    "USD": Currency("USD", 2, stored=True, shelf_step=Decimal("0.01")),
    "EUR": Currency("EUR", 2, stored=True, shelf_step=Decimal("0.01")),
    "VND": Currency("VND", 0, stored=True),
    "JPY": Currency("JPY", 0, stored=False, shelf_step=Decimal(10)),
    "KRW": Currency("KRW", 0, stored=False, shelf_step=Decimal(100)),
}
CODES: tuple[str, ...] = tuple(REGISTRY)
STORED: tuple[str, ...] = tuple(code for code, c in REGISTRY.items() if c.stored)
CONVERTED: tuple[str, ...] = tuple(code for code, c in REGISTRY.items() if not c.stored)


class UnknownCurrency(ValueError):
    pass


def get(code: str) -> Currency:
    try:
        return REGISTRY[code]
    except KeyError as exc:
        raise UnknownCurrency(code) from exc


def is_stored(code: str) -> bool:
    return get(code).stored


def column(code: str) -> str:
    return get(code).column


def convert(amount: Decimal, code: str, rate: Decimal) -> Decimal:
    """A stored USD amount in a converted currency at `rate` (units per USD), rounded half up
    to the shelf step: 19.00 USD at 152.37 -> 2,900 JPY (2,895.03); at 1390.5 -> 26,400 KRW."""
    step = get(code).shelf_step
    return ((Decimal(amount) * Decimal(rate)) / step).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    ) * step
