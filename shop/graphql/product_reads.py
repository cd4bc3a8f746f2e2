"""The API's product rows: products with their cooperative, variants and buyable batches as
plain dicts, in a fixed number of queries however many products a page lists.

The product list is the API's heaviest answer (100 products, about 7,800 fields). Model
instances cost more to build than the queries cost to run, so the rows are read with
values() and shaped here once: a village or province shared by many batches is one dict,
and every key a type's field reads is named as the field's attribute, so graphene's default
resolver (and shop.graphql.execution's shortcut for it) reads it without a resolver of ours.
Availability comes from shop.availability, as everywhere: the batches are
availability.buyable_batches_read() (buyable_batches' rule, as SQL), and "in stock" is its
rule (product_in_stock): a product is in stock when one of its variants has a buyable
batch, which this read already has.
"""

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from modeltranslation.fields import NONE
from modeltranslation.utils import build_localized_fieldname, resolution_order

from shop import availability, currencies
from shop.models import Product, Variant

# The languages product text is written in (German readers read English): the columns.
LANGUAGES = tuple(settings.MODELTRANSLATION_LANGUAGES)


def _localized(*fields: str, prefix: str = "") -> tuple[str, ...]:
    return tuple(
        f"{prefix}{build_localized_fieldname(field, code)}"
        for field in fields
        for code in LANGUAGES
    )


PROVINCE = ("code", "name", "codename")
PRODUCT_COLUMNS = (
    "id", "slug", "group", "is_gift_set", "ocop_stars", "ocop_decision_number",
    "ocop_valid_until", "hs_code", "photo", "cooperative_id",
    *_localized("name", "description", "story"),
    "cooperative__slug", "cooperative__name", "cooperative__address",
    *_localized("story", prefix="cooperative__"),
    *(f"cooperative__province__{column}" for column in PROVINCE),
)  # fmt: skip
VARIANT_COLUMNS = (
    "id", "product_id", "sku", "gtin", "weight_grams", *_localized("name"),
    # JPY/KRW are read from price_usd (shop.currencies): only stored currencies have columns.
    *(f"price_{code.lower()}" for code in currencies.STORED),
)  # fmt: skip
BATCH_COLUMNS = (
    "id", "variant_id", "lot_code", "harvest_date", "packing_date", "best_before", "status",
    "on_hand", "available", "village_id", "village__name", "village__commune",
    "village__latitude", "village__longitude",
    *(f"village__province__{column}" for column in PROVINCE),
)  # fmt: skip


class ProductRow(dict):
    """A product as the API lists it (a dict, so that ProductType can tell it from other
    rows: ProductType.Meta.possible_types)."""


def _nested(row: dict, prefix: str) -> dict:
    """The `prefix`ed columns of a values() row, without the prefix."""
    return {key.removeprefix(prefix): value for key, value in row.items() if key.startswith(prefix)}


def product_rows(
    products: QuerySet[Product], *, now: datetime.datetime | None = None
) -> list[ProductRow]:
    """Rows of `products` (already filtered, ordered and sliced) in their order: three
    queries (products, variants, buyable batches) however many there are.

    A product row has its cooperative (with its province), `in_stock`, and `variants`
    ordered by weight; a variant row has `available` (its buyable units) and
    `buyable_list`, its buyable batches in FEFO order, each with its village and province.
    """
    now = now or timezone.now()
    rows = [ProductRow(row) for row in products.values(*PRODUCT_COLUMNS)]
    if not rows:
        return rows
    provinces: dict[int, dict] = {}
    cooperatives: dict[int, dict] = {}
    by_product: dict[int, ProductRow] = {}
    for row in rows:
        cooperative = cooperatives.get(row["cooperative_id"])
        if cooperative is None:
            cooperative = _nested(row, "cooperative__")
            province = _nested(cooperative, "province__")
            cooperative = {k: v for k, v in cooperative.items() if not k.startswith("province__")}
            cooperative["province"] = provinces.setdefault(province["code"], province)
            cooperatives[row["cooperative_id"]] = cooperative
        for key in [key for key in row if key.startswith("cooperative__")]:
            del row[key]
        row["cooperative"] = cooperative
        row["variants"] = []
        row["in_stock"] = False
        by_product[row["id"]] = row

    by_variant: dict[int, dict] = {}
    variants = (
        Variant.objects.filter(product_id__in=list(by_product))
        .order_by("weight_grams", "pk")
        .values(*VARIANT_COLUMNS)
    )
    for variant in variants:
        variant["available"] = 0
        variant["buyable_list"] = []
        by_product[variant["product_id"]]["variants"].append(variant)
        by_variant[variant["id"]] = variant

    villages: dict[int, dict] = {}
    batches = (
        availability.buyable_batches_read(now=now)
        .filter(variant_id__in=list(by_variant))
        .fefo()
        .values(*BATCH_COLUMNS)
    )
    for batch in batches:
        village = villages.get(batch["village_id"])
        if village is None:
            village = _nested(batch, "village__")
            province = _nested(village, "province__")
            village = {k: v for k, v in village.items() if not k.startswith("province__")}
            village["id"] = batch["village_id"]
            village["province"] = provinces.setdefault(province["code"], province)
            villages[batch["village_id"]] = village
        row = {key: value for key, value in batch.items() if not key.startswith("village")}
        row["village"] = village
        variant = by_variant[batch["variant_id"]]
        row["available"] = availability.available_for_batch(_Columns(row))
        variant["buyable_list"].append(row)
        variant["available"] += row["available"]
        by_product[variant["product_id"]]["in_stock"] = True
    return rows


def product_row(products: QuerySet[Product]) -> ProductRow | None:
    """The row of the first product of `products`, or None."""
    rows = product_rows(products[:1])
    return rows[0] if rows else None


def localized(row: dict, model: type, field: str, language: str) -> str:
    """The translated `field` of a row holding its per-language columns, in `language`, by
    modeltranslation's own rule: the first meaningful value in its resolution order (as its
    descriptor's __get__ reads them), else the descriptor itself under the language."""
    descriptor = getattr(model, field)
    undefined = descriptor.fallback_undefined
    if undefined is NONE:
        undefined = descriptor.field.get_default()
    for code in resolution_order(language, descriptor.fallback_languages):
        value = row.get(build_localized_fieldname(field, code))
        if descriptor.meaningful_value(value, undefined):
            return value
    # No language has a value: the descriptor's fallback value or the field's default.
    with translation.override(language):
        return descriptor.__get__(_Columns(row), model)


class _Columns:
    """A row's columns as attributes, as the rules written for instances read them
    (availability.available_for_batch, modeltranslation's descriptor)."""

    def __init__(self, row: dict):
        self._row = row

    def __getattr__(self, name: str):
        return self._row.get(name)
