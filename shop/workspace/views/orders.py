"""Orders to pack and ship: the list of this cooperative's shipments, one order with only
its own shipment's lines, that shipment's packing slip (the shop's own template, scoped),
and marking the shipment packed, shipped, then delivered (shop.fulfilment.shipments, which
derives the order's status and queues this shipment's shipped email)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from shop.fulfilment import shipments
from shop.models import Order, Shipment
from shop.workspace import selectors
from shop.workspace.access import staff_only
from shop.workspace.forms import ShipForm


def _own_order(request: HttpRequest, number: str) -> Order:
    try:
        return selectors.order(cooperative_id=request.cooperative_id, number=number)
    except Order.DoesNotExist as exc:
        raise Http404(_("No order of yours has this number.")) from exc


def _own_shipment(request: HttpRequest, number: str) -> tuple[Order, Shipment]:
    order = _own_order(request, number)
    if order.shipment is None:
        raise Http404(_("This order has nothing for you to send yet."))
    return order, order.shipment


@require_safe
@staff_only
def order_list(request: HttpRequest) -> HttpResponse:
    coop_id = request.cooperative_id
    context = {
        "to_pack": selectors.orders_to_pack(cooperative_id=coop_id),
        "to_ship": selectors.orders_to_ship(cooperative_id=coop_id),
        "on_hold": selectors.orders_on_hold(cooperative_id=coop_id),
        "on_the_way": selectors.orders_on_the_way(cooperative_id=coop_id),
    }
    return render(request, "coop/orders.html", context)


def _order_page(request: HttpRequest, order: Order, form: ShipForm, status: int = 200):
    return render(request, "coop/order.html", {"order": order, "form": form}, status=status)


@require_safe
@staff_only
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _order_page(request, _own_order(request, number), ShipForm())


@require_safe
@staff_only
def packing_slip(request: HttpRequest, number: str) -> HttpResponse:
    order = _own_order(request, number)
    if order.has_other_lines:
        # This parcel holds only part of the order: its total would not match what is inside.
        order.hide_prices = True
    # A parcel abroad needs its customs declaration too (coop:customs).
    abroad = order.shipment is not None and order.shipping_address.country.code != "VN"
    return render(request, "shop/packing_slip.html", {"order": order, "customs_link": abroad})


@require_POST
@staff_only
def mark_packed(request: HttpRequest, number: str) -> HttpResponse:
    order, shipment = _own_shipment(request, number)
    try:
        shipments.mark_packed(
            shipment_id=shipment.pk, actor=request.user, cooperative_id=request.cooperative_id
        )
    except shipments.InvalidShipmentMove:
        messages.error(request, _("This parcel cannot be marked packed now."))
    else:
        messages.success(
            request, _("Your part of order %(number)s is packed.") % {"number": number}
        )
    return redirect("coop:order", number=order.number)


@require_POST
@staff_only
def mark_shipped(request: HttpRequest, number: str) -> HttpResponse:
    order, shipment = _own_shipment(request, number)
    form = ShipForm(request.POST)
    if not form.is_valid():
        return _order_page(request, order, form, status=400)
    try:
        shipments.mark_shipped(
            shipment_id=shipment.pk,
            actor=request.user,
            cooperative_id=request.cooperative_id,
            **form.cleaned_data,
        )
    except shipments.TrackingMissing:
        form.add_error(None, _("Write the carrier and the tracking number."))
        return _order_page(request, order, form, status=400)
    except shipments.AlreadyShipped as shipped:
        form.add_error(
            None,
            _("This parcel already left with %(carrier)s under %(tracking)s. Nothing changed.")
            % {"carrier": shipped.carrier, "tracking": shipped.tracking_number},
        )
        return _order_page(request, order, form, status=409)
    except shipments.InvalidShipmentMove:
        messages.error(request, _("Pack the parcel before shipping it."))
    else:
        messages.success(
            request,
            _("Your part of order %(number)s is shipped; the buyer gets an email.")
            % {"number": number},
        )
    return redirect("coop:order", number=order.number)


@require_POST
@staff_only
def mark_delivered(request: HttpRequest, number: str) -> HttpResponse:
    order, shipment = _own_shipment(request, number)
    try:
        shipments.mark_delivered(
            shipment_id=shipment.pk, actor=request.user, cooperative_id=request.cooperative_id
        )
    except shipments.InvalidShipmentMove:
        messages.error(request, _("Only a parcel on its way can be marked delivered."))
    else:
        messages.success(
            request, _("Your part of order %(number)s is delivered.") % {"number": number}
        )
    return redirect("coop:order", number=order.number)


@require_POST
@staff_only
def repack(request: HttpRequest, number: str) -> HttpResponse:
    """A parcel held for a recall was opened and the recalled units taken out: it goes
    back to the packing list, to be packed from the lots its lines hold now."""
    order, shipment = _own_shipment(request, number)
    try:
        shipments.release(
            shipment_id=shipment.pk,
            actor=request.user,
            cooperative_id=request.cooperative_id,
            repack=True,
        )
    except shipments.InvalidShipmentMove:
        messages.error(request, _("This parcel is not on hold."))
    else:
        messages.success(
            request,
            _("Your part of order %(number)s is back on the packing list.") % {"number": number},
        )
    return redirect("coop:order", number=order.number)
