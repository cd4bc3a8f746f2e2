"""Orders to pack and ship: the list, one order with only this cooperative's lines, its
packing slip (the shop's own template, scoped), and marking it packed, then shipped
(shop.orders, which queues the shipped email)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from shop import orders
from shop.models import Order
from shop.workspace import selectors
from shop.workspace.access import staff_only
from shop.workspace.forms import ShipForm


def _own_order(request: HttpRequest, number: str) -> Order:
    try:
        return selectors.order(cooperative_id=request.cooperative_id, number=number)
    except Order.DoesNotExist as exc:
        raise Http404(_("No order of yours has this number.")) from exc


@require_safe
@staff_only
def order_list(request: HttpRequest) -> HttpResponse:
    coop_id = request.cooperative_id
    context = {
        "to_pack": selectors.orders_to_pack(cooperative_id=coop_id),
        "to_ship": selectors.orders_to_ship(cooperative_id=coop_id),
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
    return render(request, "shop/packing_slip.html", {"order": order})


@require_POST
@staff_only
def mark_packed(request: HttpRequest, number: str) -> HttpResponse:
    order = _own_order(request, number)
    try:
        orders.mark_packed(order_id=order.pk, actor=request.user)
    except orders.InvalidTransition:
        messages.error(request, _("This order cannot be marked packed now."))
    else:
        messages.success(request, _("Order %(number)s is packed.") % {"number": order.number})
    return redirect("coop:order", number=order.number)


@require_POST
@staff_only
def mark_shipped(request: HttpRequest, number: str) -> HttpResponse:
    order = _own_order(request, number)
    form = ShipForm(request.POST)
    if not form.is_valid():
        return _order_page(request, order, form, status=400)
    try:
        orders.mark_shipped(order_id=order.pk, actor=request.user, **form.cleaned_data)
    except orders.TrackingMissing:
        form.add_error(None, _("Write the carrier and the tracking number."))
        return _order_page(request, order, form, status=400)
    except orders.InvalidTransition:
        messages.error(request, _("Pack the order before shipping it."))
    else:
        messages.success(
            request,
            _("Order %(number)s is shipped; the buyer gets an email.") % {"number": order.number},
        )
    return redirect("coop:order", number=order.number)
