"""What a shopper can ask the catalogue for: filters and sort orders, and the price column
of each currency. Shared by the catalogue's ORM reads (shop.catalogue) and its page query
(shop.card_query)."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings


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


def price_field(currency: str) -> str:
    if currency not in settings.CURRENCIES:
        raise ValueError(currency)
    return f"price_{currency.lower()}"
