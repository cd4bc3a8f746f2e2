"""Storefront queries: the catalogue with the pages' filters, products, cooperatives.

Resolvers parse arguments, call the selectors in shop.catalogue (the same ones the HTML
pages use) and page through their querysets."""

from functools import partial

import graphene
from django.conf import settings
from graphene.relay.connection import connection_adapter, page_info_adapter
from graphql_relay import connection_from_array_slice, cursor_to_offset

from shop import catalogue as reads
from shop.forms import CatalogueFilterForm
from shop.graphql.errors import api_error
from shop.graphql.types import (
    CooperativeType,
    Currency,
    ProductConnection,
    ProductGroupEnum,
    ProductType,
    enum_value,
)
from shop.models import Cooperative, Product

MAX_PAGE = 100


def paginate(queryset, connection_type, *, first=None, after=None):
    """Relay cursor pagination over a queryset, reading only the requested slice."""
    size = min(first or settings.CATALOGUE_PAGE_SIZE, MAX_PAGE)
    if first is not None and first < 0:
        raise api_error("`first` must not be negative.", "INVALID")
    start = 0
    if after:
        offset = cursor_to_offset(after)
        if offset is None:
            raise api_error("The `after` cursor is not valid.", "INVALID")
        start = offset + 1
    total = queryset.count()
    rows = list(queryset[start : start + size])
    connection = connection_from_array_slice(
        rows,
        {"first": size},
        slice_start=start,
        array_length=total,
        connection_type=partial(connection_adapter, connection_type),
        edge_type=connection_type.Edge,
        page_info_type=page_info_adapter,
    )
    connection.length = total
    return connection


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
    product = graphene.Field(ProductType, slug=graphene.String(required=True))
    cooperatives = graphene.List(graphene.NonNull(CooperativeType), required=True)
    cooperative = graphene.Field(CooperativeType, slug=graphene.String(required=True))

    def resolve_products(root, info, first=None, after=None, currency=None, **filters):
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
        products = reads.with_offers(reads.catalogue(filters=form.filters(), currency=currency))
        return paginate(products, ProductConnection, first=first, after=after)

    def resolve_product(root, info, slug):
        return reads.with_offers(Product.objects.published()).filter(slug=slug).first()

    def resolve_cooperatives(root, info):
        return reads.cooperatives(limit=1000)

    def resolve_cooperative(root, info, slug):
        return Cooperative.objects.select_related("province").filter(slug=slug).first()
