"""Storefront queries: the catalogue with the pages' filters, products, cooperatives.

Resolvers parse arguments, call the selectors in shop.catalogue (the same ones the HTML
pages use) to choose and order the products, page through them, and read each page's
products with their offers as rows (shop.graphql.product_reads)."""

from functools import partial

import graphene
from django.conf import settings
from django.core.validators import slug_re
from graphene.relay.connection import connection_adapter, page_info_adapter
from graphql_relay import connection_from_array_slice, cursor_to_offset, from_global_id

from shop import catalogue as reads
from shop.forms import CatalogueFilterForm
from shop.graphql.errors import api_error
from shop.graphql.product_reads import ProductRow, product_row, product_rows
from shop.graphql.types import (
    CooperativeType,
    Currency,
    ProductConnection,
    ProductGroupEnum,
    ProductType,
    enum_value,
)
from shop.identifiers import parse_id
from shop.models import Cooperative, Product

MAX_PAGE = 100


def _offset(cursor: str | None, default: int) -> int:
    if not cursor:
        return default
    offset = cursor_to_offset(cursor)
    if offset is None:
        raise api_error("The cursor is not valid.", "INVALID")
    return offset


def paginate(
    queryset, connection_type, *, first=None, after=None, last=None, before=None, read=list
):
    """Relay cursor pagination over a queryset, reading only the rows of the page
    (`read(queryset[start:end])`, a list of the page's nodes).

    Pages hold at most MAX_PAGE rows; with neither `first` nor `last` the page is the
    catalogue's page size."""
    if (first is not None and first < 0) or (last is not None and last < 0):
        raise api_error("`first` and `last` must not be negative.", "INVALID")
    if first is None and last is None:
        first = settings.CATALOGUE_PAGE_SIZE
    total = queryset.count()
    start = max(_offset(after, -1) + 1, 0)
    end = min(_offset(before, total), total)
    if first is not None:
        first = min(first, MAX_PAGE)
        end = min(end, start + first)
    if last is not None:
        last = min(last, MAX_PAGE)
        start = max(start, end - last)
    rows = read(queryset[start:end]) if end > start else []
    connection = connection_from_array_slice(
        rows,
        {"first": first, "after": after, "last": last, "before": before},
        slice_start=start,
        array_length=total,
        connection_type=partial(connection_adapter, connection_type),
        edge_type=connection_type.Edge,
        page_info_type=page_info_adapter,
    )
    connection.length = total
    return connection


def product_with_offers(products) -> ProductRow | None:
    """The first product of `products` as a row with its offers and `in_stock`."""
    return product_row(products)


class CatalogueQuery(graphene.ObjectType):
    products = graphene.relay.ConnectionField(
        ProductConnection,
        group=ProductGroupEnum(),
        province=graphene.String(description="Province slug, e.g. 'ha-noi'."),
        min_stars=graphene.Int(),
        price_min=graphene.Decimal(),
        price_max=graphene.Decimal(),
        currency=Currency(description="Currency of the price range and of `priceFrom`."),
        in_stock=graphene.Boolean(),
        search=graphene.String(description="Matches with or without Vietnamese diacritics."),
        sort=graphene.String(),
        required=True,
    )
    node = graphene.Field(
        graphene.relay.Node, id=graphene.ID(required=True, description="The ID of the object")
    )
    product = graphene.Field(ProductType, slug=graphene.String(required=True))
    cooperatives = graphene.List(graphene.NonNull(CooperativeType), required=True)
    cooperative = graphene.Field(CooperativeType, slug=graphene.String(required=True))

    def resolve_products(
        root, info, first=None, after=None, last=None, before=None, currency=None, **filters
    ):
        currency = enum_value(currency) or info.context.currency
        form = CatalogueFilterForm(
            {
                "group": enum_value(filters.get("group")) or "",
                "province": filters.get("province") or "",
                "stars": filters.get("min_stars") or "",
                "price_min": filters.get("price_min") or "",
                "price_max": filters.get("price_max") or "",
                "in_stock": bool(filters.get("in_stock")),
                "q": filters.get("search") or "",
                "sort": filters.get("sort") or "",
            },
            provinces=reads.provinces_with_products(),
        )
        if not form.is_valid():
            field, messages = next(iter(form.errors.items()))
            raise api_error(f"{field}: {messages[0]}", "INVALID")
        return paginate(
            reads.catalogue(filters=form.filters(), currency=currency),
            ProductConnection,
            first=first,
            after=after,
            last=last,
            before=before,
            read=product_rows,
        )

    def resolve_node(root, info, id):
        # Products are the only nodes; any other or malformed ID finds nothing.
        type_name, pk = from_global_id(str(id))
        pk = parse_id(pk)
        if type_name != ProductType._meta.name or pk is None:
            return None
        return product_with_offers(Product.objects.published().filter(pk=pk))

    def resolve_product(root, info, slug):
        if not slug_re.match(slug):
            return None  # not a slug at all (PostgreSQL refuses some such text outright)
        return product_with_offers(Product.objects.published().filter(slug=slug))

    def resolve_cooperatives(root, info):
        return reads.cooperatives(limit=1000)

    def resolve_cooperative(root, info, slug):
        if not slug_re.match(slug):
            return None
        return Cooperative.objects.select_related("province").filter(slug=slug).first()
