"""Exchange rates in the admin: the shop's operators (superusers) enter the rate JPY and KRW
prices are converted at, with its source; a new row with a later `valid_from` replaces the
current one from that moment, so earlier rates stay as a record. Every cached page is given
a new version after a save, since each of them may show converted prices."""

from django.contrib import admin
from django.db import transaction

from shop import pagecache
from shop.admin.taxes import OperatorsOnly
from shop.models import CurrencyRate


@admin.register(CurrencyRate)
class CurrencyRateAdmin(OperatorsOnly, admin.ModelAdmin):
    list_display = ("currency", "base", "rate", "valid_from", "source")
    list_filter = ("currency",)
    ordering = ("currency", "-valid_from")
    readonly_fields = ("base",)
    fields = ("currency", "base", "rate", "valid_from", "source")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(pagecache.invalidate)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(pagecache.invalidate)
