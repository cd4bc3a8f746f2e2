"""Admin for shipments: each order's shipments inline, and a list of shipments a
cooperative's staff see scoped to their own. Shipments change only through
shop.fulfilment.shipments; the one action here marks parcels delivered (staff, or on a
carrier's word), one shipment at a time under the shop's lock order."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from shop.admin.scoping import OrderRowsInline, confined_to
from shop.fulfilment import customs, shipments
from shop.models import Shipment
from shop.workspace.views.customs import pdf_response


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
        "customs_papers",
    )
    fields = readonly_fields
    actions = ["mark_delivered"]

    @admin.display(description=_("customs declaration"))
    def customs_papers(self, obj: Shipment) -> str:
        if obj is None or obj.pk is None or obj.order.shipping_address.country.code == "VN":
            return "—"
        url = reverse("admin:shop_shipment_customs", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("CN22/CN23 (PDF)"))

    def get_urls(self):
        view = self.admin_site.admin_view(self.customs_view)
        own = [path("<int:shipment_id>/customs.pdf", view, name="shop_shipment_customs")]
        return own + super().get_urls()

    def customs_view(self, request, shipment_id: int):
        """The shipment's CN22/CN23 PDF, for whoever may view the shipment (staff: their own
        cooperative's; another's answers 404)."""
        shipment = self.get_queryset(request).filter(pk=shipment_id).first()
        if shipment is None or not self.has_view_permission(request, shipment):
            raise Http404(_("No shipment of yours has this number."))
        try:
            declaration = customs.declaration(shipment_id=shipment.pk)
        except customs.DomesticShipment:
            messages.info(
                request, _("This parcel stays in Vietnam: it needs no customs declaration.")
            )
            return redirect("admin:shop_shipment_change", shipment.pk)
        return pdf_response(declaration)

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
