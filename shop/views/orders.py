"""Order pages: paying (through the gateway seam), the dummy gateway's page, the
confirmation reached by the order's unguessable token, the packing slip, and a signed-in
shopper's list of orders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from shop import gift_thanks, gifts, orders, payments
from shop.models import Order, OrderStatus, Payment
from shop.payments import dummy


def pay_order(request: HttpRequest, order: Order) -> HttpResponse:
    """Send the shopper to the gateway's payment page for an unpaid order."""
    try:
        start = payments.get_gateway().start_payment(order=order)
    except payments.OrderNotPayable:
        messages.error(request, _("This order is no longer waiting for payment."))
        return redirect("shop:order", token=order.token)
    except payments.GatewayUnavailable as unavailable:
        # The gateway's message tells the shopper the order is kept and nothing was charged.
        messages.error(request, str(unavailable))
        return redirect("shop:order", token=order.token)
    except payments.PaymentError:
        messages.error(request, _("Payment is not available right now. Please try again soon."))
        return redirect("shop:order", token=order.token)
    return redirect(start.redirect_url)


def _order(token: str) -> Order:
    try:
        return orders.order_by_token(token=token)
    except Order.DoesNotExist as exc:
        raise Http404(_("No order has this address.")) from exc


@require_safe
def order_detail(request: HttpRequest, token: str) -> HttpResponse:
    order = _order(token)
    gift = gifts.of_order(order=order)
    context = {
        "order": order,
        # The gift page's link, to see, switch off or send again (shop.views.gifts).
        "gift": gift,
        # The receiver's thank-you: the giver's eyes only (shop.gift_thanks).
        "thank_you": gift_thanks.of_gift(gift=gift),
        "is_unpaid": order.status == OrderStatus.UNPAID,
        "minutes_left": orders.minutes_to_pay(order=order),
    }
    return render(request, "shop/order.html", context)


@require_POST
def order_pay(request: HttpRequest, token: str) -> HttpResponse:
    return pay_order(request, _order(token))


@require_safe
def packing_slip(request: HttpRequest, token: str) -> HttpResponse:
    return render(request, "shop/packing_slip.html", {"order": _order(token)})


@require_http_methods(["GET", "HEAD", "POST"])
def dummy_pay(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        payment = dummy.pending_payment(reference=reference)
    except Payment.DoesNotExist as exc:
        raise Http404(_("No payment has this address.")) from exc
    if request.method != "POST":
        return render(request, "shop/order_pay_dummy.html", {"payment": payment})
    token = payment.order.token
    try:
        dummy.complete(reference=reference, approve=request.POST.get("action") == "pay")
    except payments.PaymentDeclined:
        messages.error(request, _("The payment was declined. You can try again."))
        return redirect("shop:order", token=token)
    except payments.ItemWithdrawn:
        messages.error(
            request,
            _(
                "An item of this order was recalled or sold out while you were paying, so "
                "the order is cancelled. Nothing was charged."
            ),
        )
        return redirect("shop:order", token=token)
    except payments.PaymentError:
        messages.error(request, _("This order is no longer waiting for payment."))
        return redirect("shop:order", token=token)
    messages.success(request, _("Thank you! Your payment was received."))
    return redirect("shop:order", token=token)


@require_safe
@login_required(login_url="shop:login")
def account_orders(request: HttpRequest) -> HttpResponse:
    return render(request, "shop/order_list.html", {"orders": orders.orders_of(user=request.user)})
