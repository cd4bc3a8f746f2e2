"""GraphQL types of the catalogue. Fields read attributes that the selectors already
joined or prefetched; a resolver never queries per row."""

import operator

import graphene
from django.conf import settings
from django.utils import translation

from shop import availability
from shop.models import Batch, Cooperative, Product, ProductGroup, Variant
from shop.money import format_money, quantize

Currency = graphene.Enum("Currency", [(c, c) for c in settings.CURRENCIES])
Language = graphene.Enum("Language", [(code.upper(), code) for code, _ in settings.LANGUAGES])
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


def translated(attribute: str, description: str) -> graphene.String:
    """A translated text field with a `language` argument (default: the request's language).
    `attribute` may be a dotted path, e.g. "variant.product.name"."""
    read = operator.attrgetter(attribute)

    def resolve(root, info, language=None):
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
        return format_money(root.amount, root.currency, language_for(info, language))


def money(amount, currency: str) -> Money | None:
    if amount is None:
        return None
    return Money(amount=quantize(amount, currency), currency=currency)


class ProvinceType(graphene.ObjectType):
    class Meta:
        name = "Province"

    code = graphene.Int(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True, resolver=lambda p, i: p.codename)


class VillageType(graphene.ObjectType):
    class Meta:
        name = "Village"

    id = graphene.ID(required=True, resolver=lambda v, i: v.pk)
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
    story = translated("story", "The cooperative's story.")


class BatchType(graphene.ObjectType):
    class Meta:
        name = "Batch"

    lot_code = graphene.String(required=True)
    harvest_date = graphene.Date(required=True)
    packing_date = graphene.Date(required=True)
    best_before = graphene.Date(required=True)
    village = graphene.Field(VillageType, required=True)
    status = graphene.String(required=True, resolver=lambda b, i: availability.shopper_status(b))
    available = graphene.Int(
        required=True, resolver=lambda b, i: availability.available_for_batch(b)
    )


class VariantType(graphene.ObjectType):
    class Meta:
        name = "Variant"

    id = graphene.ID(required=True, resolver=lambda v, i: v.pk)
    sku = graphene.String(required=True)
    gtin = graphene.String(required=True)
    name = translated("name", "The variant's name, e.g. '250 g tin'.")
    weight_grams = graphene.Int(required=True)
    price = graphene.Field(Money, currency=Currency(), required=True)
    available = graphene.Int(required=True, description="Units a shopper can buy now.")
    batches = graphene.List(
        graphene.NonNull(BatchType),
        required=True,
        description="Batches on sale, the one a buyer receives now first (FEFO).",
    )

    def resolve_price(root: Variant, info, currency=None):
        code = currency_for(info, currency)
        return money(root.price(code), code)

    def resolve_available(root: Variant, info):
        return sum(availability.available_for_batch(b) for b in root.buyable_list)

    def resolve_batches(root: Variant, info):
        return root.buyable_list


class ProductType(graphene.ObjectType):
    class Meta:
        name = "Product"
        interfaces = (graphene.relay.Node,)
        possible_types = (Product,)  # how `node(id:)` tells a product row is a Product

    slug = graphene.String(required=True)
    name = translated("name", "The product's name.")
    description = translated("description", "What the product is.")
    story = translated("story", "The producer's story.")
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
        return Product.objects.published().filter(pk=id).first()

    def resolve_photo_url(root: Product, info):
        return info.context.build_absolute_uri(root.photo.url) if root.photo else None

    def resolve_price_from(root: Product, info, currency=None):
        code = currency_for(info, currency)
        prices = [v.price(code) for v in root.variant_list]
        return money(min(prices), code) if prices else None

    def resolve_variants(root: Product, info):
        return root.variant_list


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
