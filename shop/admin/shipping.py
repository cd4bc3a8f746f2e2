"""Shipping in the admin: zones with their free-shipping thresholds, methods with their
weight bands and how many parcels an order may take, and the dispatch closures (Tết,
national holidays) that delivery estimates skip. Only the shop's operators (superusers)
keep them: they change what every shopper pays and is promised."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from shop.admin.taxes import OperatorsOnly
from shop.models import DispatchClosure, ShippingMethod, ShippingRate, ShippingZone


class ShippingMethodInline(OperatorsOnly, admin.TabularInline):
    model = ShippingMethod
    fields = (
        "name_en",
        "name_vi",
        "carrier",
        "delivery_days_min",
        "delivery_days_max",
        "max_parcels",
        "is_active",
    )
    extra = 0
    show_change_link = True


@admin.register(ShippingZone)
class ShippingZoneAdmin(OperatorsOnly, admin.ModelAdmin):
    list_display = ("name", "is_default", "free_over_vnd", "free_over_usd", "free_over_eur")
    fieldsets = (
        (None, {"fields": ("name", "countries", "is_default")}),
        (
            _("Free shipping"),
            {
                "fields": ("free_over_vnd", "free_over_usd", "free_over_eur"),
                "description": _(
                    "Goods worth this much or more ship free by the zone's cheapest method. "
                    "Leave empty for never."
                ),
            },
        ),
    )
    inlines = (ShippingMethodInline,)


class ShippingRateInline(OperatorsOnly, admin.TabularInline):
    model = ShippingRate
    fields = ("max_weight_grams", "price_vnd", "price_usd", "price_eur")
    extra = 0


@admin.register(ShippingMethod)
class ShippingMethodAdmin(OperatorsOnly, TranslationAdmin):
    list_display = (
        "name",
        "zone",
        "carrier",
        "delivery_days_min",
        "delivery_days_max",
        "max_parcels",
        "is_active",
    )
    list_filter = ("zone", "is_active")
    list_select_related = ("zone",)
    fields = (
        "zone",
        "name",
        "carrier",
        "delivery_days_min",
        "delivery_days_max",
        "max_parcels",
        "is_active",
    )
    inlines = (ShippingRateInline,)


@admin.register(DispatchClosure)
class DispatchClosureAdmin(OperatorsOnly, TranslationAdmin):
    list_display = ("name", "starts_on", "ends_on", "is_tet")
    list_filter = ("is_tet",)
    search_fields = ("name_en", "name_vi")
    fields = ("name", "starts_on", "ends_on", "is_tet")
    date_hierarchy = "starts_on"
