"""Admin for traceability: provinces and villages (reference data every cooperative shares),
recalls (added through traceability.recalls, with the report of who was told), and
read-only views of trace events, scan counts and suspicious-product reports.

A cooperative's staff see only their own cooperative's recalls, events, scans and reports
(shop.admin.scoping). Writers that change what a trace page shows refresh its cache after
the commit, explicitly (no signals).
"""

import functools

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from shop import pagecache
from shop.admin.scoping import CooperativeScopedAdmin, confined_to
from shop.admin.service_add import ServiceAddAdmin
from shop.identifiers import parse_id
from shop.models import BatchStatus
from traceability import cache, locations, recalls
from traceability.models import (
    NoticeStatus,
    Province,
    Recall,
    RecallNotice,
    ScanCount,
    SuspiciousProductReport,
    TraceEvent,
    Village,
)


def is_cooperative_staff(user) -> bool:
    return not user.is_superuser and getattr(user, "is_cooperative_staff", False)


class ReferenceDataAdmin(admin.ModelAdmin):
    """Cooperative staff may look every province and village up: they pick them on their
    batches and the rows hold nothing private."""

    def has_module_permission(self, request):
        return is_cooperative_staff(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_cooperative_staff(request.user) or super().has_view_permission(request, obj)


@admin.register(Province)
class ProvinceAdmin(ReferenceDataAdmin):
    list_display = ("name", "code", "codename")
    search_fields = ("name", "codename")

    # The 34 provinces of the 2025 merger come from the data migration.
    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Trace pages name the province of a batch's village; storefront pages that of a
        # cooperative.
        invalidate = functools.partial(cache.invalidate_province, province_id=obj.pk)
        transaction.on_commit(invalidate)
        transaction.on_commit(pagecache.invalidate)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Village)
class VillageAdmin(ReferenceDataAdmin):
    list_display = ("name", "commune", "province", "latitude", "longitude", "gln")
    list_select_related = ("province",)
    list_filter = ("province",)
    search_fields = ("name", "commune")

    def has_add_permission(self, request):
        # A cooperative's staff add the village a new batch comes from; changing or
        # deleting a village that others' batches point at stays with the shop's staff.
        return is_cooperative_staff(request.user) or super().has_add_permission(request)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A village left without a GLN gets one under the shop's company prefix.
        try:
            locations.assign_village_gln(village=obj)
        except locations.LocationError as exc:
            self.message_user(request, str(exc), level=messages.WARNING)
        if change:
            # The trace pages of its batches show its name and pin; the storefront's product
            # and cooperative pages show its name.
            transaction.on_commit(functools.partial(cache.invalidate_village, village_id=obj.pk))
            transaction.on_commit(pagecache.invalidate)


class ReadOnlyAdmin(CooperativeScopedAdmin, admin.ModelAdmin):
    """Rows written by services (the event log, the scan flush, the report form): the admin
    shows them and never adds, changes or deletes one."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecallNoticeInline(CooperativeScopedAdmin, admin.TabularInline):
    """The recall report: each affected order, its units, and whether its buyer was told."""

    model = RecallNotice
    fields = ("order", "email", "language", "units", "order_cancelled", "status", "sent_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("affected orders")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order")


@admin.register(Recall)
class RecallAdmin(ServiceAddAdmin, CooperativeScopedAdmin, admin.ModelAdmin):
    """Recalls are added here (or in the cooperative workspace) through recall_batch, which
    takes the batch off sale and emails its buyers; after that a recall is a record."""

    refused_errors = (recalls.RecallError,)
    staff_may_delete = False
    list_display = ("batch", "created_at", "actor", "orders", "notified", "report_links")
    list_select_related = ("batch__variant__product", "actor")
    search_fields = ("batch__lot_code", "batch__variant__sku", "reason_vi", "reason_en")
    date_hierarchy = "created_at"
    # The reason in Vietnamese first, then English for buyers abroad; both required.
    add_fieldsets = ((None, {"fields": ("batch", "reason_vi", "reason_en")}),)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "batch",
                    "reason_vi",
                    "reason_en",
                    "created_at",
                    "actor",
                    "report_links",
                )
            },
        ),
    )
    inlines = [RecallNoticeInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("notices")
            .select_related("batch__variant__product", "actor")
        )

    @admin.display(description=_("affected orders"))
    def orders(self, obj: Recall) -> int:
        return len(obj.notices.all())

    @admin.display(description=_("buyers notified"))
    def notified(self, obj: Recall) -> str:
        notices = obj.notices.all()
        return f"{sum(n.status == NoticeStatus.SENT for n in notices)} / {len(notices)}"

    @admin.display(description=_("report"))
    def report_links(self, obj: Recall) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("traceability:recall", args=[obj.pk]),
            _("Report"),
            reverse("traceability:recall_csv", args=[obj.pk]),
            _("CSV"),
        )

    def add_view(self, request, form_url="", extra_context=None):
        """With ?batch=<id> (a batch the user may recall), the page shows what the recall
        will touch before it is confirmed (traceability.recalls.preview)."""
        batch_id = parse_id(request.GET.get("batch", ""))
        field = self.get_add_form(request).base_fields["batch"]
        batch = field.queryset.filter(pk=batch_id).first() if batch_id is not None else None
        if batch is not None:
            extra_context = {**(extra_context or {}), "impact": recalls.preview(batch=batch)}
        return super().add_view(request, form_url, extra_context)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else flatten_fieldsets(self.fieldsets)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        for name in ("reason_vi", "reason_en"):
            if name in form.base_fields:
                form.base_fields[name].required = True
        return form

    def get_inline_instances(self, request, obj=None):
        return [] if obj is None else super().get_inline_instances(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "batch":
            field.queryset = field.queryset.exclude(status=BatchStatus.RECALLED)
        return field

    def has_change_permission(self, request, obj=None):
        # The reason went to buyers by email: it is not edited afterwards.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def create_through_service(self, *, request, form) -> Recall:
        data = form.cleaned_data
        return recalls.recall_batch(
            batch=data["batch"],
            reason_vi=data["reason_vi"],
            reason_en=data["reason_en"],
            actor=request.user,
        )

    def refusal(self, *, error, form):
        if isinstance(error, recalls.RecallNotAllowed):
            return _("Only the batch's own cooperative may recall it. Nothing was changed.")
        return _("A recall needs a reason of 1 to 1000 characters. Nothing was changed.")


@admin.register(TraceEvent)
class TraceEventAdmin(ReadOnlyAdmin):
    list_display = ("batch", "sequence", "kind", "occurred_at", "place", "actor")
    list_select_related = ("batch__variant__product",)
    list_filter = ("kind",)
    search_fields = ("batch__lot_code", "place", "actor")
    date_hierarchy = "occurred_at"
    exclude = ("inputs",)
    readonly_fields = (
        "batch", "sequence", "kind", "biz_step", "occurred_at", "place", "village", "actor",
        "notes_en", "notes_vi", "standard", "photo", "recorded_by", "recorded_at",
        "previous_hash", "hash",
    )  # fmt: skip


@admin.register(ScanCount)
class ScanCountAdmin(ReadOnlyAdmin):
    list_display = ("batch", "day", "country", "count")
    list_select_related = ("batch__variant__product",)
    list_filter = ("country",)
    search_fields = ("batch__lot_code",)
    date_hierarchy = "day"
    readonly_fields = ("batch", "day", "country", "count")


class KnownLotFilter(admin.SimpleListFilter):
    title = _("lot")
    parameter_name = "lot_known"

    def lookups(self, request, model_admin):
        return [("yes", _("Known lot")), ("no", _("Lot we have no record of"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(batch__isnull=self.value() == "no")
        return queryset


@admin.register(SuspiciousProductReport)
class SuspiciousProductReportAdmin(CooperativeScopedAdmin, admin.ModelAdmin):
    """Buyers' reports, read-only but for the `resolved` mark the team sets once it acted.

    The shop's admins see every report, those of GTINs nobody here sells included; a
    cooperative's staff see their own cooperative's (shop.admin.scoping)."""

    staff_may_add = False
    staff_may_delete = False
    list_display = (
        "created_at", "gtin", "lot", "batch", "cooperative", "reason", "has_photo", "resolved",
    )  # fmt: skip
    list_select_related = ("batch__variant__product", "cooperative")
    list_filter = ("resolved", "reason", KnownLotFilter, "cooperative")
    search_fields = ("gtin", "lot", "details", "place_of_purchase")
    date_hierarchy = "created_at"
    fields = (
        "gtin", "lot", "batch", "cooperative", "reason", "details", "photo_preview",
        "place_of_purchase", "email", "language", "created_at", "resolved",
    )  # fmt: skip
    readonly_fields = fields[:-1]

    @admin.display(description=_("photo"), boolean=True)
    def has_photo(self, obj) -> bool:
        return bool(obj.photo)

    @admin.display(description=_("photo"))
    def photo_preview(self, obj) -> str:
        if not obj.photo:
            return "-"
        return format_html(
            '<a href="{0}"><img src="{0}" alt="" class="admin-report-photo" height="240"></a>',
            obj.photo.url,
        )

    def get_list_filter(self, request):
        # A cooperative's staff see only their own: a filter by cooperative says nothing.
        if confined_to(request.user) is not None:
            return self.list_filter[:-1]
        return self.list_filter

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
