"""Fields translated into English and Vietnamese (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from shop.models import (
    Cooperative,
    CooperativePhoto,
    CooperativeVisit,
    DestinationRule,
    DispatchClosure,
    Product,
    ProductPhoto,
    ShippingMethod,
    Variant,
)


@register(Cooperative)
class CooperativeTranslation(TranslationOptions):
    fields = ("story",)


@register(Product)
class ProductTranslation(TranslationOptions):
    fields = ("name", "description", "story", "care_notes")


@register(Variant)
class VariantTranslation(TranslationOptions):
    fields = ("name",)


@register(ShippingMethod)
class ShippingMethodTranslation(TranslationOptions):
    fields = ("name",)


@register(DestinationRule)
class DestinationRuleTranslation(TranslationOptions):
    fields = ("reason",)


@register(DispatchClosure)
class DispatchClosureTranslation(TranslationOptions):
    fields = ("name",)


@register(ProductPhoto)
class ProductPhotoTranslation(TranslationOptions):
    fields = ("alt",)


@register(CooperativePhoto)
class CooperativePhotoTranslation(TranslationOptions):
    fields = ("alt",)


@register(CooperativeVisit)
class CooperativeVisitTranslation(TranslationOptions):
    fields = ("activities", "nearest_city", "getting_there")
