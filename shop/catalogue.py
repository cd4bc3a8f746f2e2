"""Reads for the storefront pages: home, catalogue, product and cooperative.

Every selector returns rows with what its page shows already joined, annotated or prefetched,
so a page makes the same few queries however many products, variants and batches it lists.
Availability always comes from shop.availability.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    FloatField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from shop import availability, card_query, cards, photos
from shop.catalogue_filters import (
    SORT_ORDER,
    CatalogueFilters,
    Sort,
    price_field,
    stored_bound,
)
from shop.models import (
    Batch,
    Cooperative,
    Product,
    ProductGroup,
    Variant,
)
from shop.search import parse_query
from shop.search_sql import search_sql
from traceability.models import Province

FEATURED_COUNT = 8
MAX_PAGE_NUMBER = 100_000
COOPERATIVE_PRODUCTS = 500
HOME_COOPERATIVES = 12
# Long texts a card never shows: building them into 20 rows costs more than the query does.
CARD_DEFERRED = (
    *(f"{field}{suffix}" for field in ("description", "story") for suffix in ("", "_en", "_vi")),
    "search_text",
    "cooperative__story",
    "cooperative__story_en",
    "cooperative__story_vi",
)


def product_cards(*, currency: str) -> QuerySet[Product]:
    """Published products as cards: cooperative and province joined and `price_from` (the
    cheapest variant in `currency`) annotated: the ORM statement of the rules that
    shop.card_query writes as SQL for the catalogue's pages."""
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
    # price_from is in the column's currency (USD for JPY/KRW): the bounds follow it.
    if filters.price_min is not None:
        low = stored_bound(filters.price_min, currency, upper=False)
        products = products.filter(price_from__gte=low)
    if filters.price_max is not None:
        high = stored_bound(filters.price_max, currency, upper=True)
        products = products.filter(price_from__lte=high)
    if filters.in_stock:
        products = products.filter(availability.product_in_stock(now=now))
    search = search_sql(
        parse_query(filters.q),
        table=connection.ops.quote_name(Product._meta.db_table),
        vendor=connection.vendor,
    )
    sort = filters.sort
    if search:
        # The same condition and rank as the page's query (shop.search_sql).
        products = products.filter(
            RawSQL(search.where, search.where_params, output_field=BooleanField())
        ).annotate(search_rank=RawSQL(search.rank, search.rank_params, output_field=FloatField()))
    elif sort == Sort.RELEVANCE:
        sort = Sort.NAME
    return products.order_by(*SORT_ORDER.get(sort, SORT_ORDER[Sort.NAME]))


def _page_number(value: str | int | None) -> int:
    try:
        return int(value) if value is not None else 1
    except (TypeError, ValueError):
        return 1


def catalogue_page(
    *,
    filters: CatalogueFilters,
    currency: str,
    page_number: str | int | None,
    now: datetime.datetime | None = None,
) -> Page:
    """One page of catalogue(filters) as shop.cards.Card rows (settings.CATALOGUE_PAGE_SIZE).
    A missing or nonsense page number gives the first page, an out-of-range one the last.

    The page's rows, their "in stock" and the total count come from one hand-written
    statement (shop.card_query); only a page number past the end costs a count and a
    second read.
    """
    size = settings.CATALOGUE_PAGE_SIZE

    def read(number: int) -> list[tuple]:
        return card_query.page_rows(
            filters=filters, currency=currency, offset=(number - 1) * size, limit=size, now=now
        )

    number = _page_number(page_number)
    # A page number no catalogue reaches (or past what the database's integers hold) is
    # past the end without asking: the last page is shown.
    rows = read(number) if 1 <= number <= MAX_PAGE_NUMBER else []
    if rows:
        total = rows[0][-1]
    elif number == 1:
        total = 0
    else:
        total = catalogue(filters=filters, currency=currency, now=now).count()
        number = max(1, -(-total // size))
        rows = read(number) if total else []
    paginator = Paginator(rows, size)
    paginator.count = total
    return Page(cards.to_cards(rows, currency=currency), number, paginator)


def featured_products(*, currency: str, limit: int = FEATURED_COUNT) -> list[cards.Card]:
    """The best-rated products with a current certificate, newest first, as cards."""
    rows = card_query.page_rows(
        filters=CatalogueFilters(sort=Sort.FEATURED),
        currency=currency,
        offset=0,
        limit=limit,
        certified_only=True,
    )
    return cards.to_cards(rows, currency=currency)


@dataclass(frozen=True)
class GroupCount:
    value: str
    label: str
    count: int


def product_groups() -> list[GroupCount]:
    """Every OCOP product group with its number of published products, in the groups' order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "group", COUNT(*) FROM {Product._meta.db_table} '
            'WHERE is_published GROUP BY "group"'
        )
        counts = dict(cursor.fetchall())
    return [GroupCount(value, label, counts.get(value, 0)) for value, label in ProductGroup.choices]


def cooperatives(*, limit: int = HOME_COOPERATIVES) -> list[Cooperative]:
    """Cooperatives with published products, province joined and `product_count` annotated."""
    found = list(
        Cooperative.objects.raw(
            f"SELECT c.id, c.slug, c.name, c.province_id, pr.name AS province_name, "
            f"COUNT(p.id) AS product_count FROM {Cooperative._meta.db_table} c "
            f"INNER JOIN {Province._meta.db_table} pr ON pr.id = c.province_id "
            f"INNER JOIN {Product._meta.db_table} p ON p.cooperative_id = c.id AND p.is_published "
            "GROUP BY c.id, c.slug, c.name, c.province_id, pr.name ORDER BY c.name, c.id LIMIT %s",
            [limit],
        )
    )
    for cooperative in found:
        province = Province(id=cooperative.province_id, name=cooperative.province_name)
        Cooperative.province.field.set_cached_value(cooperative, province)
    return found


def provinces_with_products() -> list[tuple[str, str]]:
    """(slug, name) of the provinces that have published products, for the catalogue filter.

    Written as SQL: every rendered catalogue page asks, and the ORM's building of this
    two-line query cost more than PostgreSQL's answering it."""
    sql = (
        f"SELECT codename, name FROM {Province._meta.db_table} WHERE id IN ("
        f"SELECT c.province_id FROM {Product._meta.db_table} p "
        f"INNER JOIN {Cooperative._meta.db_table} c ON c.id = p.cooperative_id "
        "WHERE p.is_published) ORDER BY name"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]


def _batches(queryset: QuerySet[Batch]) -> QuerySet[Batch]:
    return queryset.select_related("village__province").fefo()


def cooperative_page(*, slug: str) -> Cooperative:
    """A cooperative with province and village joined and its gallery (`pictures`, one
    query: shop.photos). Raises Cooperative.DoesNotExist."""
    cooperative = Cooperative.objects.select_related("province", "village").get(slug=slug)
    cooperative.pictures = photos.cooperative_pictures(cooperative.pk)
    return cooperative


def cooperative_products(
    *, cooperative: Cooperative, currency: str, now: datetime.datetime | None = None
) -> list[cards.Card]:
    """The cooperative's published products as cards, best rated first (every one: a
    cooperative lists a few dozen at most)."""
    rows = card_query.page_rows(
        filters=CatalogueFilters(sort=Sort.STARS),
        currency=currency,
        offset=0,
        limit=COOPERATIVE_PRODUCTS,
        now=now,
        cooperative_id=cooperative.pk,
    )
    return cards.to_cards(rows, currency=currency)


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
