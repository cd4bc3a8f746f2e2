"""Admin for shipments: each order's shipments inline, and a list of shipments a
cooperative's staff see scoped to their own. Shipments change only through
shop.fulfilment.shipments; the one action here marks parcels delivered (staff, or on a
carrier's word), one shipment at a time under the shop's lock order."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shop.admin.scoping import OrderRowsInline, confined_to
from shop.fulfilment import shipments
from shop.models import Shipment


class ShipmentInline(OrderRowsInline, admin.TabularInline):
    """An order's shipments; a cooperative's staff see only their own."""

    model = Shipment
    fields = (
        "cooperative",
        "status",
        "hold_reason",
        "carrier",
        "tracking_number",
        "tracking_url",
        "packed_at",
        "shipped_at",
        "delivered_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("cooperative")
        cooperative_id = confined_to(request.user)
        return queryset if cooperative_id is None else queryset.for_cooperative(cooperative_id)


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = (
        "order",
        "cooperative",
        "status",
        "carrier",
        "tracking_number",
        "shipped_at",
        "delivered_at",
    )
    list_filter = ("status", "cooperative")
    search_fields = ("order__number", "tracking_number")
    list_select_related = ("order", "cooperative")
    readonly_fields = (
        "order",
        "cooperative",
        "status",
        "hold_reason",
        "carrier",
        "tracking_number",
        "tracking_url",
        "created_at",
        "packed_at",
        "shipped_at",
        "delivered_at",
    )
    fields = readonly_fields
    actions = ["mark_delivered"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        cooperative_id = confined_to(request.user)
        return queryset if cooperative_id is None else queryset.for_cooperative(cooperative_id)

    def get_list_filter(self, request):
        return ("status",) if confined_to(request.user) is not None else self.list_filter

    def has_module_permission(self, request):
        if confined_to(request.user) is not None:
            return True
        return super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        cooperative_id = confined_to(request.user)
        if cooperative_id is None:
            return super().has_view_permission(request, obj)
        return obj is None or obj.cooperative_id == cooperative_id

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        cooperative_id = confined_to(request.user)
        if cooperative_id is None:
            return super().has_change_permission(request, obj)
        return obj is None or obj.cooperative_id == cooperative_id

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Mark the selected parcels delivered"))
    def mark_delivered(self, request, queryset: QuerySet[Shipment]):
        done = refused = 0
        for shipment_id in queryset.values_list("pk", flat=True):
            try:
                shipments.mark_delivered(
                    shipment_id=shipment_id,
                    actor=request.user,
                    cooperative_id=confined_to(request.user),
                )
            except shipments.InvalidShipmentMove:
                refused += 1
            else:
                done += 1
        if done:
            messages.success(request, _("%(count)d parcels marked delivered.") % {"count": done})
        if refused:
            messages.warning(
                request,
                _("%(count)d parcels were not on their way and did not change.")
                % {"count": refused},
            )
