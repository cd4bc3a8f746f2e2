"""GraphQL types of the catalogue. Fields read attributes that the selectors already
joined or prefetched; a resolver never queries per row.

The catalogue's products come as dict rows (shop.graphql.product_reads); variants, batches,
cooperatives, villages and provinces also come as model instances from other doors
(checkout lines, a cooperative's own API). A field is resolved by graphene's default
resolver, which reads a dict's key or an instance's attribute alike, wherever both carry
the same name and value; only fields with arguments, or whose value a row and an instance
hold differently, have a resolver of their own.
"""

import functools
import operator

import graphene
from django.conf import settings
from django.utils import translation

from shop import availability
from shop.graphql.product_reads import ProductRow, localized, product_row
from shop.models import Batch, Cooperative, Product, ProductGroup, Variant
from shop.money import column_price, format_money, quantize

Currency = graphene.Enum("Currency", [(c, c) for c in settings.CURRENCIES])
# Enum names may not hold a hyphen: "zh-hans" is ZH_HANS.
Language = graphene.Enum(
    "Language", [(code.upper().replace("-", "_"), code) for code, _ in settings.LANGUAGES]
)
ProductGroupEnum = graphene.Enum("ProductGroup", [(v.upper(), v) for v, _ in ProductGroup.choices])


def enum_value(value):
    """Graphene hands enum arguments over as enum members; the services want plain values."""
    return getattr(value, "value", value)


def language_for(info, language) -> str:
    return (
        enum_value(language)
        or getattr(info.context, "LANGUAGE_CODE", None)
        or settings.LANGUAGE_CODE
    )


def translated(attribute: str, description: str, model: type | None = None) -> graphene.String:
    """A translated text field with a `language` argument (default: the request's language).
    `attribute` may be a dotted path, e.g. "variant.product.name". A dict row of `model`
    holds the attribute's per-language columns (product_reads.localized)."""
    read = operator.attrgetter(attribute)

    def resolve(root, info, language=None):
        if isinstance(root, dict):
            return localized(root, model, attribute, language_for(info, language))
        with translation.override(language_for(info, language)):
            return read(root)

    return graphene.String(
        language=Language(), resolver=resolve, description=description, required=True
    )


def currency_for(info, currency) -> str:
    return enum_value(currency) or getattr(info.context, "currency", settings.DEFAULT_CURRENCY)


class Money(graphene.ObjectType):
    amount = graphene.Decimal(required=True)
    currency = graphene.String(required=True)
    formatted = graphene.String(required=True, language=Language())

    def resolve_formatted(root, info, language=None):
        return format_money(root["amount"], root["currency"], language_for(info, language))


def money(amount, currency: str) -> dict | None:
    """A Money value as a dict (read by the default resolver). Equal amounts quantize alike,
    so a price listed many times is built once."""
    if amount is None:
        return None
    return _money(amount, currency)


@functools.lru_cache(maxsize=4096)
def _money(amount, currency: str) -> dict:
    # Shared between answers: nothing writes to a resolved value.
    return {"amount": quantize(amount, currency), "currency": currency}


class ProvinceType(graphene.ObjectType):
    class Meta:
        name = "Province"

    code = graphene.Int(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True, source="codename")


class VillageType(graphene.ObjectType):
    class Meta:
        name = "Village"

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    commune = graphene.String(required=True)
    province = graphene.Field(ProvinceType, required=True)
    latitude = graphene.Float(required=True)
    longitude = graphene.Float(required=True)


class CooperativeType(graphene.ObjectType):
    class Meta:
        name = "Cooperative"

    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    province = graphene.Field(ProvinceType, required=True)
    address = graphene.String(required=True)
    story = translated("story", "The cooperative's story.", Cooperative)


class BatchType(graphene.ObjectType):
    class Meta:
        name = "Batch"

    lot_code = graphene.String(required=True)
    harvest_date = graphene.Date(required=True)
    packing_date = graphene.Date(required=True)
    best_before = graphene.Date(required=True)
    village = graphene.Field(VillageType, required=True)
    # Every batch listed is one of availability.buyable_batches(), an instance annotated
    # with `available` or a row holding availability.available_for_batch() of it.
    status = graphene.String(required=True)
    available = graphene.Int(required=True)

    def resolve_status(root, info):
        if isinstance(root, dict):
            batch = Batch(
                status=root["status"], best_before=root["best_before"], on_hand=root["on_hand"]
            )
            batch.available = root["available"]
            return availability.shopper_status(batch)
        return availability.shopper_status(root)


class VariantType(graphene.ObjectType):
    class Meta:
        name = "Variant"

    id = graphene.ID(required=True)
    sku = graphene.String(required=True)
    gtin = graphene.String(required=True)
    name = translated("name", "The variant's name, e.g. '250 g tin'.", Variant)
    weight_grams = graphene.Int(required=True)
    price = graphene.Field(Money, currency=Currency(), required=True)
    # A row's `available`, or set on an instance with its `buyable_list` (checkout lines).
    available = graphene.Int(required=True, description="Units a shopper can buy now.")
    batches = graphene.List(
        graphene.NonNull(BatchType),
        required=True,
        description="Batches on sale, the one a buyer receives now first (FEFO).",
        source="buyable_list",
    )

    def resolve_price(root: Variant | dict, info, currency=None):
        code = currency_for(info, currency)
        return money(price_of(root, code), code)


def price_of(variant: Variant | dict, currency: str):
    """Variant.price of an instance or of a variant row."""
    if isinstance(variant, dict):
        return column_price(variant, "price", currency)
    return variant.price(currency)


def available_of(variant: Variant) -> int:
    """Units of a variant instance with its `buyable_list` a shopper can buy now."""
    return sum(availability.available_for_batch(b) for b in variant.buyable_list)


class ProductType(graphene.ObjectType):
    class Meta:
        name = "Product"
        interfaces = (graphene.relay.Node,)
        # How `node(id:)` tells a product is a Product: the API reads products as rows.
        possible_types = (Product, ProductRow)

    slug = graphene.String(required=True)
    name = translated("name", "The product's name.", Product)
    description = translated("description", "What the product is.", Product)
    story = translated("story", "The producer's story.", Product)
    group = ProductGroupEnum(required=True)
    is_gift_set = graphene.Boolean(required=True)
    ocop_stars = graphene.Int(required=True)
    ocop_decision_number = graphene.String(required=True)
    ocop_valid_until = graphene.Date(required=True)
    ocop_is_current = graphene.Boolean(required=True)
    hs_code = graphene.String(required=True)
    photo_url = graphene.String()
    cooperative = graphene.Field(CooperativeType, required=True)
    in_stock = graphene.Boolean(required=True)
    price_from = graphene.Field(Money, currency=Currency())
    variants = graphene.List(graphene.NonNull(VariantType), required=True)

    @classmethod
    def get_node(cls, info, id):
        return product_row(Product.objects.published().filter(pk=id))

    def resolve_ocop_is_current(root: ProductRow, info):
        return Product(ocop_valid_until=root["ocop_valid_until"]).ocop_is_current

    def resolve_photo_url(root: ProductRow, info):
        if not root["photo"]:
            return None
        field = Product._meta.get_field("photo")
        photo = field.attr_class(None, field, root["photo"])
        return info.context.build_absolute_uri(photo.url)

    def resolve_price_from(root: ProductRow, info, currency=None):
        code = currency_for(info, currency)
        prices = [price_of(v, code) for v in root["variants"]]
        return money(min(prices), code) if prices else None


class ProductConnection(graphene.relay.Connection):
    class Meta:
        node = ProductType

    total_count = graphene.Int(required=True)

    def resolve_total_count(root, info):
        return root.length


__all__ = [
    "Batch",
    "BatchType",
    "Cooperative",
    "CooperativeType",
    "Currency",
    "Language",
    "Money",
    "ProductConnection",
    "ProductType",
    "VariantType",
]
