"""Admin for cooperatives, products and variants; English and Vietnamese side by side.

Trace pages show a batch's product and cooperative, so a save here gives their batches'
pages a fresh cache version once the admin's transaction commits (traceability.cache), and
the storefront's cached pages a new version (shop.pagecache).
"""

import functools

from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from shop import cooperatives, pagecache, photos, thumbnails
from shop.admin.inventory import BatchOverviewInline
from shop.admin.scoping import CooperativeScopedAdmin, confined_to
from shop.admin.search import FoldedSearchAdmin
from shop.models import Cooperative, CooperativePhoto, Product, ProductPhoto, Variant
from traceability import cache as trace_cache

ONLY_PRESENT = admin.RelatedOnlyFieldListFilter


class PhotoInlineMixin:
    """Gallery photos: re-encoded by their PhotoField form, stored with their thumbnails
    through shop.photos (the admin's save_formset hands them over)."""

    fields = ("preview", "image", "alt", "position")
    readonly_fields = ("preview",)
    extra = 0
    ordering = ("position", "id")

    @admin.display(description=_("preview"))
    def preview(self, obj) -> str:
        if not obj or not obj.pk:
            return "—"
        url = thumbnails.thumbnail_url(obj.image.name, thumbnails.WIDTHS[0])
        return format_html('<img src="{}" width="160" alt="">', url)


class ProductPhotoInline(PhotoInlineMixin, CooperativeScopedAdmin, TranslationTabularInline):
    model = ProductPhoto


class CooperativePhotoInline(PhotoInlineMixin, CooperativeScopedAdmin, TranslationTabularInline):
    # Staff cannot add or delete their cooperative, but its photos are theirs to manage.
    model = CooperativePhoto


class GalleryFormsetAdmin:
    """Saves gallery photo inlines through shop.photos (thumbnails made once, files of
    deleted photos removed after the commit); other inlines as Django does."""

    def save_formset(self, request, form, formset, change):
        if formset.model not in (ProductPhoto, CooperativePhoto):
            return super().save_formset(request, form, formset, change)
        saved = formset.save(commit=False)
        for photo in formset.deleted_objects:
            photos.delete_photo(photo=photo)
        for photo in saved:
            photos.save_photo(photo=photo)
        formset.save_m2m()


@admin.register(Cooperative)
class CooperativeAdmin(GalleryFormsetAdmin, CooperativeScopedAdmin, TranslationAdmin):
    # A cooperative's staff keep their story and contacts up to date; who and where the
    # cooperative is stays with the shop's own staff.
    staff_may_add = False
    staff_may_delete = False
    staff_readonly_fields = ("name", "slug", "province", "village")

    list_display = ("name", "province", "village", "contact_email", "contact_phone")
    list_select_related = ("province", "village__province")
    list_filter = (("province", ONLY_PRESENT),)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug")}),
        (_("Where"), {"fields": ("province", "village", "address", "gln")}),
        (_("Story"), {"fields": ("story",)}),
        (_("Contact"), {"fields": ("contact_email", "contact_phone", "photo")}),
    )
    inlines = [CooperativePhotoInline]

    def get_readonly_fields(self, request, obj=None):
        if confined_to(request.user) is not None:
            return self.staff_readonly_fields
        return super().get_readonly_fields(request, obj)

    def get_prepopulated_fields(self, request, obj=None):
        if confined_to(request.user) is not None:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # Its products are searched by its name (Product.search_text).
            cooperatives.refresh_search_text(cooperative_id=obj.pk)
        invalidate = functools.partial(trace_cache.invalidate_cooperative, cooperative_id=obj.pk)
        transaction.on_commit(invalidate)
        transaction.on_commit(pagecache.invalidate)


class VariantInline(CooperativeScopedAdmin, TranslationTabularInline):
    model = Variant
    fields = (
        "name",
        "sku",
        "gtin",
        "weight_grams",
        "net_weight_grams",
        "price_vnd",
        "price_usd",
        "price_eur",
    )
    extra = 0
    show_change_link = True


class MissingTranslationFilter(admin.SimpleListFilter):
    """Products whose text a reader of one language sees in the other (see the product
    page's "has not translated it yet" note)."""

    title = _("translation missing")
    parameter_name = "untranslated"

    def lookups(self, request, model_admin):
        return (("vi", _("Vietnamese missing")), ("en", _("English missing")))

    def queryset(self, request, queryset):
        if self.value() in ("vi", "en"):
            return queryset.missing_translation(self.value())
        return queryset


@admin.register(Product)
class ProductAdmin(
    GalleryFormsetAdmin, CooperativeScopedAdmin, FoldedSearchAdmin, TranslationAdmin
):
    list_display = (
        "name",
        "cooperative",
        "group",
        "ocop_stars",
        "ocop_valid_until",
        "certificate_current",
        "is_published",
    )
    list_select_related = ("cooperative",)
    list_filter = (
        "group",
        "ocop_stars",
        "is_published",
        "is_gift_set",
        ("cooperative", ONLY_PRESENT),
        MissingTranslationFilter,
    )
    search_fields = ("search_text", "slug", "variants__sku", "variants__gtin")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (
            None,
            {"fields": ("cooperative", "name", "slug", "brand", "group", "is_gift_set", "photo")},
        ),
        (_("Shop text"), {"fields": ("description", "story", "care_notes", "is_published")}),
        (
            _("OCOP certificate"),
            {
                "fields": (
                    "ocop_stars",
                    "ocop_decision_number",
                    "ocop_certified_on",
                    "ocop_valid_until",
                )
            },
        ),
        (_("Customs"), {"fields": ("hs_code", "customs_description")}),
    )
    inlines = [VariantInline, ProductPhotoInline]

    @admin.display(description=_("certificate current"), boolean=True)
    def certificate_current(self, obj: Product) -> bool:
        return obj.ocop_is_current

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        cooperative_id = confined_to(request.user)
        if cooperative_id is not None:
            initial.setdefault("cooperative", cooperative_id)
        return initial

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # One refresh after the commit covers the variants saved inline (save_related).
        invalidate = functools.partial(trace_cache.invalidate_product, product_id=obj.pk)
        transaction.on_commit(invalidate)
        transaction.on_commit(pagecache.invalidate)


@admin.register(Variant)
class VariantAdmin(CooperativeScopedAdmin, FoldedSearchAdmin, TranslationAdmin):
    list_display = (
        "sku",
        "product",
        "name",
        "gtin",
        "weight_grams",
        "price_vnd",
        "price_usd",
        "price_eur",
    )
    list_select_related = ("product",)
    list_filter = ("product__group", ("product__cooperative", ONLY_PRESENT))
    search_fields = ("sku", "gtin", "product__search_text")
    fields = (
        "product",
        "name",
        "sku",
        "gtin",
        "weight_grams",
        "net_weight_grams",
        "price_vnd",
        "price_usd",
        "price_eur",
    )
    inlines = [BatchOverviewInline]

    def get_inline_instances(self, request, obj=None):
        # A new variant has no batches yet; they are received on the batch page.
        return [] if obj is None else super().get_inline_instances(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        invalidate = functools.partial(trace_cache.invalidate_product, product_id=obj.product_id)
        transaction.on_commit(invalidate)
        transaction.on_commit(pagecache.invalidate)
