"""Destination tax and duty rates in the admin: the shop's operators (superusers) keep them
with their source and validity; cooperative staff and central staff never see them, since a
wrong rate changes what every shopper of a country pays."""

from django.contrib import admin

from shop.models import DutyRate, TaxRate


class OperatorsOnly:
    def _operator(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._operator(request)

    def has_view_permission(self, request, obj=None):
        return self._operator(request)

    def has_add_permission(self, request, *args):
        return self._operator(request)

    def has_change_permission(self, request, obj=None):
        return self._operator(request)

    def has_delete_permission(self, request, obj=None):
        return self._operator(request)


@admin.register(TaxRate)
class TaxRateAdmin(OperatorsOnly, admin.ModelAdmin):
    list_display = (
        "country",
        "category",
        "rate",
        "collect_up_to_eur",
        "prices_include_tax",
        "valid_from",
        "valid_until",
    )
    list_filter = ("category", "prices_include_tax", "country")
    search_fields = ("country", "source")
    ordering = ("country", "category", "-valid_from")


@admin.register(DutyRate)
class DutyRateAdmin(OperatorsOnly, admin.ModelAdmin):
    list_display = ("country", "hs_prefix", "rate", "valid_from", "valid_until")
    list_filter = ("country",)
    search_fields = ("country", "hs_prefix", "source")
    ordering = ("country", "hs_prefix", "-valid_from")
