"""Admin for batches and the stock ledger. Quantities change only by adding movements,
and both the receipt of a batch and every movement are written by shop.inventory."""

import datetime
import functools

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from shop import inventory, pagecache
from shop.admin.corrections import BatchCorrectionAdmin
from shop.admin.scoping import CooperativeScopedAdmin
from shop.admin.search import FoldedSearchAdmin
from shop.admin.service_add import ServiceAddAdmin
from shop.models import Batch, BatchStatus, MovementKind, StockMovement
from traceability import cache as trace_cache
from traceability import receipts

ONLY_PRESENT = admin.RelatedOnlyFieldListFilter
SOON_DAYS = 30

# Receipts create batches and sales come from orders (they consume allocated units), so
# the admin offers only the corrections people make by hand.
ADMIN_MOVEMENT_KINDS = (
    MovementKind.RETURNED,
    MovementKind.ADJUSTED,
    MovementKind.DAMAGED,
    MovementKind.EXPIRED,
)


class BestBeforeFilter(admin.SimpleListFilter):
    title = _("best-before")
    parameter_name = "best_before_within"

    def lookups(self, request, model_admin):
        return [
            ("past", _("Past best-before")),
            ("soon", _("Within %(days)d days") % {"days": SOON_DAYS}),
            ("later", _("More than %(days)d days away") % {"days": SOON_DAYS}),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=SOON_DAYS)
        if self.value() == "past":
            return queryset.filter(best_before__lt=today)
        if self.value() == "soon":
            return queryset.filter(best_before__gte=today, best_before__lte=soon)
        if self.value() == "later":
            return queryset.filter(best_before__gt=soon)
        return queryset


class OnHandFilter(admin.SimpleListFilter):
    title = _("on hand")
    parameter_name = "on_hand_level"

    def lookups(self, request, model_admin):
        return [
            ("none", _("None on hand")),
            ("low", _("%(count)d or fewer") % {"count": settings.LOW_STOCK_THRESHOLD}),
            ("more", _("More than %(count)d") % {"count": settings.LOW_STOCK_THRESHOLD}),
        ]

    def queryset(self, request, queryset):
        low = settings.LOW_STOCK_THRESHOLD
        if self.value() == "none":
            return queryset.filter(on_hand=0)
        if self.value() == "low":
            return queryset.filter(on_hand__gt=0, on_hand__lte=low)
        if self.value() == "more":
            return queryset.filter(on_hand__gt=low)
        return queryset


class ReadOnlyInline(CooperativeScopedAdmin):
    """An inline that lists rows; they are added and changed on their own pages."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LedgerInline(ReadOnlyInline, admin.TabularInline):
    model = StockMovement
    fields = ("created_at", "kind", "quantity", "shown_reason", "actor")
    readonly_fields = fields
    verbose_name_plural = _("stock ledger")

    @admin.display(description=_("reason"))
    def shown_reason(self, movement: StockMovement) -> str:
        return movement.shown_reason


class BatchOverviewInline(ReadOnlyInline, admin.TabularInline):
    model = Batch
    fields = ("lot_code", "best_before", "status", "on_hand")
    readonly_fields = fields
    show_change_link = True


class BatchAddForm(forms.ModelForm):
    quantity_received = forms.IntegerField(label=_("quantity received"), min_value=1)
    reason = forms.CharField(
        label=_("note on the receipt"),
        max_length=300,
        required=False,
        help_text=_("Written on the ledger's “received” movement, e.g. the delivery note."),
    )

    class Meta:
        model = Batch
        fields = (
            "variant",
            "lot_code",
            "harvest_date",
            "packing_date",
            "best_before",
            "village",
            "quantity_received",
        )


@admin.register(Batch)
class BatchAdmin(
    BatchCorrectionAdmin,
    ServiceAddAdmin,
    CooperativeScopedAdmin,
    FoldedSearchAdmin,
    admin.ModelAdmin,
):
    list_display = (
        "lot_code",
        "variant",
        "shown_status",
        "on_hand",
        "quantity_received",
        "best_before",
        "harvest_date",
        "village",
    )
    list_select_related = ("variant__product", "village__province")
    list_filter = (
        "status",
        BestBeforeFilter,
        OnHandFilter,
        "variant__product__group",
        ("variant__product__cooperative", ONLY_PRESENT),
    )
    search_fields = ("lot_code", "variant__sku", "variant__gtin", "variant__product__search_text")
    add_form = BatchAddForm
    add_fieldsets = (
        (None, {"fields": ("variant", "lot_code")}),
        (_("Dates"), {"fields": ("harvest_date", "packing_date", "best_before")}),
        (_("Origin"), {"fields": ("village",)}),
        (_("Receipt"), {"fields": ("quantity_received", "reason")}),
    )
    fieldsets = (
        (None, {"fields": ("variant", "lot_code", "status")}),
        (_("Dates"), {"fields": ("harvest_date", "packing_date", "best_before")}),
        (_("Origin"), {"fields": ("village", "correct_link")}),
        (_("Stock"), {"fields": ("quantity_received", "on_hand", "add_movement")}),
    )
    # After the receipt, stock moves only through the ledger (the "add movement" link), and
    # the identity printed on labels only through a recorded correction (the "correct" link).
    change_readonly_fields = (
        "variant",
        "lot_code",
        "harvest_date",
        "packing_date",
        "best_before",
        "village",
        "correct_link",
        "quantity_received",
        "on_hand",
        "add_movement",
    )
    inlines = [LedgerInline]

    @admin.display(description=_("status"), ordering="status")
    def shown_status(self, obj: Batch) -> str:
        return BatchStatus(obj.display_status).label

    @admin.display(description=_("change stock"))
    def add_movement(self, obj: Batch) -> str:
        url = reverse("admin:shop_stockmovement_add")
        return format_html('<a href="{}?batch={}">{}</a>', url, obj.pk, _("Add a stock movement"))

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.status in (BatchStatus.RECALLED, BatchStatus.ASSEMBLING):
            # A recall is a food-safety decision; putting the batch back on sale is not a
            # status edit. Nor is opening a box lot whose components have not arrived.
            return (*self.change_readonly_fields, "status")
        return self.change_readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            # A recall goes through traceability.recalls (Recalls › Add), which also tells
            # the buyers; it is not a status edit.
            # A box lot waits for its components through shop.fulfilment.transfers, not here.
            hidden = (BatchStatus.RECALLED, BatchStatus.ASSEMBLING)
            kwargs["choices"] = [c for c in BatchStatus.choices if c[0] not in hidden]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Its trace page shows the dates, village and status (traceability.cache).
        invalidate = functools.partial(trace_cache.invalidate_batch_page, batch_id=obj.pk)
        transaction.on_commit(invalidate)
        transaction.on_commit(pagecache.invalidate)

    def get_inline_instances(self, request, obj=None):
        return [] if obj is None else super().get_inline_instances(request, obj)

    def create_through_service(self, *, request, form) -> Batch:
        data = form.cleaned_data
        return receipts.receive_lot(
            variant=data["variant"],
            lot_code=data["lot_code"],
            harvest_date=data["harvest_date"],
            packing_date=data["packing_date"],
            best_before=data["best_before"],
            village=data["village"],
            quantity=data["quantity_received"],
            actor=request.user,
            reason=data["reason"],
        )


class MovementAddForm(forms.Form):
    batch = forms.ModelChoiceField(label=_("batch"), queryset=Batch.objects.none())
    kind = forms.ChoiceField(
        label=_("kind"), choices=[(kind.value, kind.label) for kind in ADMIN_MOVEMENT_KINDS]
    )
    quantity = forms.IntegerField(
        label=_("quantity"),
        help_text=_(
            "Positive in (returned), negative out (damaged, expired); an adjustment may go "
            "either way."
        ),
    )
    reason = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args, batches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches


@admin.register(StockMovement)
class StockMovementAdmin(ServiceAddAdmin, CooperativeScopedAdmin, admin.ModelAdmin):
    """The ledger is append-only: movements are added, never changed or deleted."""

    list_display = ("created_at", "batch", "kind", "quantity", "shown_reason", "actor")
    list_select_related = ("batch__variant__product", "actor")
    list_filter = (
        "kind",
        "created_at",
        ("batch__variant__product__cooperative", ONLY_PRESENT),
    )
    search_fields = ("batch__lot_code", "batch__variant__sku", "reason")
    date_hierarchy = "created_at"
    add_fieldsets = ((None, {"fields": ("batch", "kind", "quantity", "reason")}),)
    fieldsets = (
        (None, {"fields": ("batch", "kind", "quantity", "shown_reason", "actor", "created_at")}),
    )

    @admin.display(description=_("reason"))
    def shown_reason(self, movement: StockMovement) -> str:
        return movement.shown_reason

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else flatten_fieldsets(self.fieldsets)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_add_form(self, request):
        batch_field = self.formfield_for_foreignkey(StockMovement._meta.get_field("batch"), request)
        return functools.partial(MovementAddForm, batches=batch_field.queryset)

    def create_through_service(self, *, request, form) -> StockMovement:
        data = form.cleaned_data
        return inventory.record_movement(
            batch_id=data["batch"].pk,
            kind=data["kind"],
            quantity=data["quantity"],
            reason=data["reason"],
            actor=request.user,
        )

    def refusal(self, *, error, form):
        if isinstance(error, inventory.InsufficientStock):
            return _(
                "Only %(available)d units of this batch are free to take out; "
                "%(requested)d were asked for. Nothing was written."
            ) % {"available": error.available, "requested": error.requested}
        if isinstance(error, inventory.InvalidMovement):
            return _(
                "A “%(kind)s” movement cannot be %(quantity)d: returns add stock, damaged and "
                "expired stock is taken out (negative), and no movement is zero. "
                "Nothing was written."
            ) % {
                "kind": MovementKind(form.cleaned_data["kind"]).label,
                "quantity": form.cleaned_data["quantity"],
            }
        return super().refusal(error=error, form=form)
