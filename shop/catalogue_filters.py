"""What a shopper can ask the catalogue for: filters and sort orders, and the price column
of each currency. Shared by the catalogue's ORM reads (shop.catalogue) and its page query
(shop.card_query)."""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.conf import settings

from shop import currencies, currency_rates


class Sort:
    NAME = "name"
    PRICE_LOW = "price"
    PRICE_HIGH = "-price"
    STARS = "stars"
    NEWEST = "newest"
    # Best match first (shop.search_sql's rank), then by name; without a search, by name.
    RELEVANCE = "relevance"
    # Not offered to shoppers: the home page's order of its featured products.
    FEATURED = "featured"


SORT_ORDER = {
    Sort.NAME: ("name", "pk"),
    Sort.PRICE_LOW: ("price_from", "name", "pk"),
    Sort.PRICE_HIGH: ("-price_from", "name", "pk"),
    Sort.STARS: ("-ocop_stars", "name", "pk"),
    Sort.NEWEST: ("-created_at", "-pk"),
    Sort.RELEVANCE: ("-search_rank", "name", "pk"),
    Sort.FEATURED: ("-ocop_stars", "-created_at", "-pk"),
}


@dataclass(frozen=True)
class CatalogueFilters:
    """What a shopper asked the catalogue for; empty values filter nothing."""

    group: str = ""
    province: str = ""
    min_stars: int | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False
    q: str = ""
    sort: str = Sort.NAME


HALF = Decimal("0.5")


def price_field(currency: str) -> str:
    """The variant column prices in `currency` are read from: its own, or price_usd for the
    converted currencies (JPY, KRW), which the reader converts (shop.money.from_usd)."""
    if currency not in settings.CURRENCIES:
        raise ValueError(currency)
    return currencies.column(currency)


def stored_bound(amount: Decimal, currency: str, *, upper: bool) -> Decimal:
    """A price filter's bound in the column's currency. A JPY/KRW bound becomes the USD
    bound that keeps exactly the prices *shown* within it: shown = USD × rate rounded half up
    to the shelf step, so "up to ¥3,000" keeps every USD price whose figure rounds to 3,000
    or less, and "from ¥3,000" every one that rounds to 3,000 or more (one rate read per
    request)."""
    if currencies.is_stored(currency):
        return amount
    step = currencies.get(currency).shelf_step
    rate = currency_rates.rate(currency)
    cent = Decimal("0.01")
    if upper:
        # shown <= M  <=>  USD × rate < (floor(M / step) + 0.5) × step; USD is in cents.
        limit = ((amount / step).to_integral_value(ROUND_FLOOR) + HALF) * step / rate
        return limit.quantize(cent, rounding=ROUND_CEILING) - cent
    # shown >= m  <=>  USD × rate >= (ceil(m / step) - 0.5) × step
    limit = ((amount / step).to_integral_value(ROUND_CEILING) - HALF) * step / rate
    return limit.quantize(cent, rounding=ROUND_CEILING)
