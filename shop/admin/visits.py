"""The admin's village visits (issue 16, part 4): a cooperative's staff see and change only
their own (shop.admin.scoping); the shop's staff see every cooperative's. The workspace's
"Visits" page (shop.workspace.views.visits) is the cooperatives' usual door."""

import functools

from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from shop import pagecache
from shop.admin.scoping import CooperativeScopedAdmin
from shop.models.gifts import CooperativeVisit
from traceability import cache as trace_cache


@admin.register(CooperativeVisit)
class CooperativeVisitAdmin(CooperativeScopedAdmin, TranslationAdmin):
    list_display = ("cooperative", "published", "nearest_city", "updated_at")
    list_filter = ("published",)
    list_select_related = ("cooperative",)
    search_fields = ("cooperative__name",)
    readonly_fields = ("updated_at",)
    fieldsets = (
        (None, {"fields": ("cooperative", "published")}),
        (_("What to see and do"), {"fields": ("activities", "best_months")}),
        (_("Getting there"), {"fields": ("nearest_city", "travel_minutes", "getting_there")}),
        (_("Contact"), {"fields": ("contact_name", "contact_phone", "contact_email")}),
        (None, {"fields": ("updated_at",)}),
    )

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
        # The cooperative page and its lots' trace pages show the visit.
        invalidate = functools.partial(
            trace_cache.invalidate_cooperative, cooperative_id=obj.cooperative_id
        )
        transaction.on_commit(invalidate)
        transaction.on_commit(pagecache.invalidate)
