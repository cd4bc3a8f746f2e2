"""The catalogue's page of cards as one hand-written SQL statement.

shop.catalogue.catalogue() states the catalogue's rules with the ORM, and the API and the
tests read it. A rendered catalogue page asks the same question on every request with a new
query string (every search is a miss for the page cache), and building and compiling that
ORM query cost more than running it: about a quarter of the page (issue 13). This module
writes the same statement by hand: the page's rows, their "in stock" and the total count in
one round trip. tests/shop/test_card_query.py holds it to catalogue() filter by filter.
"""

import datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from shop import availability, joined_rows
from shop.catalogue_filters import (
    SORT_ORDER,
    CatalogueFilters,
    Sort,
    price_field,
    stored_bound,
)
from shop.currencies import is_stored
from shop.models import Cooperative, Product, ProductPhoto, Variant
from shop.money import from_usd, quantize
from shop.search import parse_query
from shop.search_sql import search_sql
from traceability.models import Province

# The page's rows first (filtered, counted, sorted and cut to one page), then "in stock" (and
# the "from" price, unless the page sorts or filters by it) for those rows only: in the
# select list of the whole query, PostgreSQL computed them for every product that matched
# (the window count needs them all), "in stock" as a hashed subplan over every batch.
_PAGE = (
    "SELECT p.id, p.slug, p.name_en, p.name_vi, p.photo, p.ocop_stars, p.ocop_valid_until, "
    "{price} AS price_from, c.slug AS cooperative_slug, c.name AS cooperative_name, "
    "pr.name AS province_name, p.created_at, {rank} AS search_rank, COUNT(*) OVER () AS total "
    "FROM {product} p INNER JOIN {cooperative} c ON c.id = p.cooperative_id "
    "INNER JOIN {province} pr ON pr.id = c.province_id"
)
# The same columns, in the same order, as shop.cards.COLUMNS plus the window count.
_CARDS = (
    "SELECT page.id, page.slug, page.name_en, page.name_vi, page.photo, page.ocop_stars, "
    "page.ocop_valid_until, {price} AS price_from, page.cooperative_slug, page.cooperative_name, "
    "page.province_name, {in_stock} AS in_stock, {gallery_photo} AS gallery_photo, page.total "
    "FROM ({page}) page ORDER BY {order}"
)
# The card's picture is the gallery's first photo (shop.photos), read for the page's rows
# only, on the (product, position, id) index: one index probe a card, no query per card.
_GALLERY_PHOTO = (
    "(SELECT ph.image FROM {photo} ph WHERE ph.product_id = page.id "
    "ORDER BY ph.position, ph.id LIMIT 1)"
)


def _order_by(sort: str, language: str, *, table: str) -> str:
    """ORDER BY terms over the page query's `p` or the outer query's `page`."""
    columns = {
        # The product's name sorts in the reader's language, as the ORM's translated field.
        "name": f"{table}.name_{language}",
        "price_from": "price_from" if table == "p" else "page.price_from",
        "ocop_stars": f"{table}.ocop_stars",
        "created_at": f"{table}.created_at",
        "pk": f"{table}.id",
        # The page query's own output column (shop.search_sql's rank; 0 without a search).
        "search_rank": "search_rank" if table == "p" else "page.search_rank",
    }
    terms = []
    for term in SORT_ORDER.get(sort, SORT_ORDER[Sort.NAME]):
        column = columns[term.lstrip("-")]
        terms.append(f"{column} DESC" if term.startswith("-") else f"{column} ASC")
    return ", ".join(terms)


def page_rows(
    *,
    filters: CatalogueFilters,
    currency: str,
    offset: int,
    limit: int,
    now: datetime.datetime | None = None,
    cooperative_id: int | None = None,
    certified_only: bool = False,
) -> list[tuple]:
    """Rows of shop.cards.COLUMNS plus `total`, for catalogue(filters) sliced at offset;
    `cooperative_id` keeps one cooperative's products (its page), `certified_only` those
    whose OCOP certificate is current (the home page's featured products)."""
    ops = connection.ops
    now = now or timezone.now()
    today = ops.adapt_datefield_value(timezone.localdate())
    column = connection.ops.quote_name(price_field(currency))

    # ORDER BY … LIMIT 1 rather than MIN(): SQLite compares a column's value, not an
    # aggregate's, with a decimal parameter as a number.
    def cheapest(table: str) -> str:
        return (
            f"(SELECT v.{column} FROM {Variant._meta.db_table} v WHERE v.product_id = {table}.id "
            f"ORDER BY v.{column} ASC LIMIT 1)"
        )

    price = cheapest("p")
    by_price = (
        filters.price_min is not None
        or filters.price_max is not None
        or filters.sort in (Sort.PRICE_LOW, Sort.PRICE_HIGH)
    )
    in_stock_sql, in_stock_params = availability.in_stock_sql(product="p", now=now)
    search = search_sql(parse_query(filters.q), table="p", vendor=connection.vendor)
    sql = _PAGE.format(
        price=price if by_price else "NULL",
        rank=search.rank if search else "0",
        product=Product._meta.db_table,
        cooperative=Cooperative._meta.db_table,
        province=Province._meta.db_table,
    )
    params: list = list(search.rank_params) if search else []
    where = ["p.is_published"]
    if cooperative_id is not None:
        where.append("p.cooperative_id = %s")
        params.append(cooperative_id)
    if certified_only:
        where.append("p.ocop_valid_until >= %s")
        params.append(today)
    if filters.group:
        where.append('p."group" = %s')
        params.append(filters.group)
    if filters.province:
        where.append("pr.codename = %s")
        params.append(filters.province)
    if filters.min_stars:
        where.append("p.ocop_stars >= %s AND p.ocop_valid_until >= %s")
        params += [filters.min_stars, today]
    for bound, operator in ((filters.price_min, ">="), (filters.price_max, "<=")):
        if bound is not None:
            where.append(f"{price} {operator} %s")
            params.append(stored_bound(Decimal(bound), currency, upper=operator == "<="))
    if filters.in_stock:
        where.append(in_stock_sql)
        params += in_stock_params
    if search:
        where.append(search.where)
        params += search.where_params
    language = "vi" if (get_language() or "en")[:2] == "vi" else "en"
    order = _order_by(filters.sort, language, table="p")
    # LIMIT and OFFSET are written in, not bound: on the generic plan the statement runs on
    # (shop.settings.base.database) a bound LIMIT is planned as fifty rows, not twenty.
    sql += f" WHERE {' AND '.join(where)} ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)}"
    page_in_stock, page_in_stock_params = availability.in_stock_sql(
        product="page", now=now, per_row=True
    )
    sql = _CARDS.format(
        price="page.price_from" if by_price else cheapest("page"),
        in_stock=page_in_stock,
        gallery_photo=_GALLERY_PHOTO.format(photo=ProductPhoto._meta.db_table),
        page=sql,
        order=_order_by(filters.sort, language, table="page"),
    )
    params = [*page_in_stock_params, *params]
    # Prepared once per connection on PostgreSQL (the same filters give the same text).
    with joined_rows.prepared_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [_typed(row, currency) for row in rows]


def _typed(row: tuple, currency: str) -> tuple:
    # SQLite hands back dates as text, decimals as floats and booleans as 0/1.
    row = list(row)
    if isinstance(row[6], str):
        row[6] = datetime.date.fromisoformat(row[6])
    if row[7] is not None:
        amount = Decimal(str(row[7]))
        # JPY/KRW rows carry price_usd: converted at the rate read once per request.
        row[7] = quantize(amount, currency) if is_stored(currency) else from_usd(amount, currency)
    row[11] = bool(row[11])
    return tuple(row)
