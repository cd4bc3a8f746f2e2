"""Reads for the storefront pages: home, catalogue, product and cooperative.

Every selector returns rows with what its page shows already joined, annotated or prefetched,
so a page makes the same few queries however many products, variants and batches it lists.
Availability always comes from shop.availability.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from shop import availability
from shop.models import (
    Batch,
    BatchStatus,
    Cooperative,
    GiftSetComponent,
    Product,
    ProductGroup,
    Variant,
)
from traceability.models import Province

FEATURED_COUNT = 8
HOME_COOPERATIVES = 12
# Long texts a card never shows: building them into 20 rows costs more than the query does.
CARD_DEFERRED = (
    *(f"{field}{suffix}" for field in ("description", "story") for suffix in ("", "_en", "_vi")),
    "search_text",
    "cooperative__story",
    "cooperative__story_en",
    "cooperative__story_vi",
)


class Sort:
    NAME = "name"
    PRICE_LOW = "price"
    PRICE_HIGH = "-price"
    STARS = "stars"
    NEWEST = "newest"


SORT_ORDER = {
    Sort.NAME: ("name", "pk"),
    Sort.PRICE_LOW: ("price_from", "name", "pk"),
    Sort.PRICE_HIGH: ("-price_from", "name", "pk"),
    Sort.STARS: ("-ocop_stars", "name", "pk"),
    Sort.NEWEST: ("-created_at", "-pk"),
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


def product_cards(*, currency: str) -> QuerySet[Product]:
    """Published products as cards: cooperative and province joined and `price_from` (the
    cheapest variant in `currency`) annotated. Lists of cards get `in_stock` from
    availability.mark_in_stock once they are sliced."""
    price = price_field(currency)
    cheapest = Variant.objects.filter(product=OuterRef("pk")).order_by(price).values(price)[:1]
    return (
        Product.objects.published()
        .select_related("cooperative__province")
        .defer(*CARD_DEFERRED)
        .annotate(price_from=Subquery(cheapest))
    )


def catalogue(
    *, filters: CatalogueFilters, currency: str, now: datetime.datetime | None = None
) -> QuerySet[Product]:
    """The catalogue's products for `filters`, in the order the shopper chose.

    Star ratings count only while the certificate is current. The price range applies to
    the "from" price the cards show, in the shopper's currency.
    """
    products = product_cards(currency=currency)
    if filters.group:
        products = products.filter(group=filters.group)
    if filters.province:
        products = products.filter(cooperative__province__codename=filters.province)
    if filters.min_stars:
        products = products.filter(
            ocop_stars__gte=filters.min_stars, ocop_valid_until__gte=timezone.localdate()
        )
    if filters.price_min is not None:
        products = products.filter(price_from__gte=filters.price_min)
    if filters.price_max is not None:
        products = products.filter(price_from__lte=filters.price_max)
    if filters.in_stock:
        products = products.filter(availability.product_in_stock(now=now))
    if filters.q:
        products = products.search(filters.q)
    return products.order_by(*SORT_ORDER.get(filters.sort, SORT_ORDER[Sort.NAME]))


def catalogue_page(
    *,
    filters: CatalogueFilters,
    currency: str,
    page_number: str | int | None,
    now: datetime.datetime | None = None,
) -> Page:
    """One page of the catalogue (settings.CATALOGUE_PAGE_SIZE cards, `in_stock` set).
    A missing, nonsense or out-of-range page number gives the first or last page."""
    products = catalogue(filters=filters, currency=currency, now=now)
    page = Paginator(products, settings.CATALOGUE_PAGE_SIZE).get_page(page_number)
    page.object_list = list(page.object_list)
    availability.mark_in_stock(page.object_list, now=now)
    return page


def featured_products(*, currency: str, limit: int = FEATURED_COUNT) -> list[Product]:
    """The best-rated products with a current certificate, newest first (`in_stock` set)."""
    products = list(
        product_cards(currency=currency)
        .filter(ocop_valid_until__gte=timezone.localdate())
        .order_by("-ocop_stars", "-created_at", "-pk")[:limit]
    )
    availability.mark_in_stock(products)
    return products


@dataclass(frozen=True)
class GroupCount:
    value: str
    label: str
    count: int


def product_groups() -> list[GroupCount]:
    """Every OCOP product group with its number of published products, in the groups' order."""
    counts = dict(
        Product.objects.published()
        .order_by()
        .values("group")
        .annotate(count=Count("pk"))
        .values_list("group", "count")
    )
    return [GroupCount(value, label, counts.get(value, 0)) for value, label in ProductGroup.choices]


def cooperatives(*, limit: int = HOME_COOPERATIVES) -> list[Cooperative]:
    """Cooperatives with published products, province joined and `product_count` annotated."""
    return list(
        Cooperative.objects.select_related("province")
        .annotate(product_count=Count("products", filter=Q(products__is_published=True)))
        .filter(product_count__gt=0)
        .order_by("name", "pk")[:limit]
    )


def provinces_with_products() -> list[tuple[str, str]]:
    """(slug, name) of the provinces that have published products, for the catalogue filter."""
    published = Product.objects.published().values("cooperative__province")
    return list(
        Province.objects.filter(pk__in=published).order_by("name").values_list("codename", "name")
    )


@dataclass(frozen=True)
class BatchRow:
    """A batch as a shopper sees it in a list: its status counts what is left to buy."""

    batch: Batch
    status: str

    @property
    def status_label(self) -> str:
        return BatchStatus(self.status).label


@dataclass
class VariantOffer:
    """A variant as the product page offers it: its price and the batch a buyer gets now."""

    variant: Variant
    price: Decimal
    current_batch: Batch | None
    other_batches: list[Batch] = field(default_factory=list)

    @property
    def in_stock(self) -> bool:
        # A gift set too: its batches are its box lots, made by assembly runs.
        return self.current_batch is not None

    @property
    def available(self) -> int:
        return availability.available_for_batch(self.current_batch) if self.current_batch else 0

    @property
    def only_left(self) -> int | None:
        """Units left in the current batch when few remain (the "only N left" notice)."""
        if self.current_batch and self.available <= settings.LOW_STOCK_THRESHOLD:
            return self.available
        return None

    @property
    def other_rows(self) -> list[BatchRow]:
        return [BatchRow(b, availability.shopper_status(b)) for b in self.other_batches]


@dataclass(frozen=True)
class ComponentOffer:
    """One component of a gift set (what each box holds; the box lots say which lots)."""

    gift_set_id: int
    component: Variant
    quantity: int


@dataclass
class ProductPage:
    product: Product
    offers: list[VariantOffer]
    components: list[ComponentOffer]


def _batches(queryset: QuerySet[Batch]) -> QuerySet[Batch]:
    return queryset.select_related("village__province").fefo()


def product_page(*, slug: str, currency: str, now: datetime.datetime | None = None) -> ProductPage:
    """A published product with its variants and, per variant, the FEFO batch a buyer would
    receive now (earliest best-before among buyable batches) and its other batches.

    Raises Product.DoesNotExist for an unknown or unpublished slug.
    """
    price = price_field(currency)
    product = (
        Product.objects.published()
        .select_related("cooperative__province", "cooperative__village")
        .prefetch_related(
            Prefetch(
                "variants",
                queryset=Variant.objects.order_by("weight_grams", "pk").prefetch_related(
                    Prefetch(
                        "batches",
                        queryset=_batches(
                            availability.annotate_available(Batch.objects.all(), now=now)
                        ),
                        to_attr="batch_list",
                    )
                ),
                to_attr="variant_list",
            )
        )
        .get(slug=slug)
    )
    components = _gift_components(product)
    offers = []
    for variant in product.variant_list:
        # One read of the batches, FEFO-ordered: the first a shopper can buy is the current one.
        current = next((b for b in variant.batch_list if availability.is_buyable(b)), None)
        others = [b for b in variant.batch_list if current is None or b.pk != current.pk]
        offers.append(VariantOffer(variant, getattr(variant, price), current, others))
    return ProductPage(product, offers, components)


def _gift_components(product: Product) -> list[ComponentOffer]:
    if not product.is_gift_set:
        return []
    variant_ids = [variant.pk for variant in product.variant_list]
    components = (
        GiftSetComponent.objects.filter(gift_set__in=variant_ids)
        .select_related("component__product")
        .order_by("gift_set", "pk")
    )
    return [ComponentOffer(c.gift_set_id, c.component, c.quantity) for c in components]


def cooperative_page(*, slug: str) -> Cooperative:
    """A cooperative with province and village joined. Raises Cooperative.DoesNotExist."""
    return Cooperative.objects.select_related("province", "village").get(slug=slug)


def cooperative_products(
    *, cooperative: Cooperative, currency: str, now: datetime.datetime | None = None
) -> list[Product]:
    """The cooperative's published products as cards (`in_stock` set), best rated first."""
    products = list(
        product_cards(currency=currency)
        .filter(cooperative=cooperative)
        .order_by("-ocop_stars", "name", "pk")
    )
    availability.mark_in_stock(products, now=now)
    return products


def with_offers(
    products: QuerySet[Product], *, now: datetime.datetime | None = None
) -> QuerySet[Product]:
    """Prefetch each product's variants (`variant_list`) and, per variant, its buyable
    batches in FEFO order with village and province (`buyable_list`): the API's product list
    and its variants, prices and batches in a fixed number of queries."""
    return products.select_related("cooperative__province").prefetch_related(
        Prefetch(
            "variants",
            queryset=Variant.objects.order_by("weight_grams", "pk").prefetch_related(
                Prefetch(
                    "batches",
                    queryset=_batches(availability.buyable_batches(now=now)),
                    to_attr="buyable_list",
                )
            ),
            to_attr="variant_list",
        )
    )
