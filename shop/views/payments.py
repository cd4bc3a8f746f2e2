"""Stripe's doors: the card payment page (Stripe's Payment Element), the page Stripe sends
the shopper back to while the payment is confirmed, and the webhook endpoint Stripe calls."""

import functools

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from shop import orders, payments
from shop.models import Order, OrderStatus
from shop.payments import refunds, webhooks
from shop.payments import stripe as gateway

# How often the "confirming your payment" page asks again, in seconds.
CONFIRMING_REFRESH_SECONDS = 2
PAID_STATUSES = (OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def _order(token: str) -> Order:
    try:
        return orders.order_by_token(token=token)
    except Order.DoesNotExist as exc:
        raise Http404(_("No order has this address.")) from exc


# Stripe.js and its Payment Element (script, card iframes, API calls): on this page only.
STRIPE_CSP = {
    "script-src": ["https://js.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
    "img-src": ["https://*.stripe.com"],
}


def _stripe_csp(view):
    """Adds STRIPE_CSP to the page's policy (and STRIPE_API_BASE, the fake Stripe that the
    browser tests' stand-in Stripe.js calls, when it is set)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        connect = [*STRIPE_CSP["connect-src"]]
        if settings.STRIPE_API_BASE:
            connect.append(settings.STRIPE_API_BASE)
        return csp_update({**STRIPE_CSP, "connect-src": connect})(view)(request, *args, **kwargs)

    return wrapped


@require_safe
@never_cache
@_stripe_csp
def stripe_pay(request: HttpRequest, token: str) -> HttpResponse:
    order = _order(token)
    if order.status != OrderStatus.UNPAID or payments.gateway_name() != gateway.NAME:
        return redirect("shop:order", token=order.token)
    context = {"order": order}
    try:
        start = gateway.StripeGateway().start_payment(order=order)
    except payments.OrderNotPayable:
        messages.error(request, _("This order is no longer waiting for payment."))
        return redirect("shop:order", token=order.token)
    except payments.GatewayUnavailable:
        return render(
            request, "shop/payment_stripe.html", {**context, "unavailable": True}, status=503
        )
    except payments.PaymentError:
        return render(request, "shop/payment_stripe.html", {**context, "refused": True}, status=502)
    context |= {
        "payment": start.payment,
        "client_secret": start.client_secret,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "return_url": request.build_absolute_uri(reverse("shop:stripe_return", args=[token])),
    }
    return render(request, "shop/payment_stripe.html", context)


@require_safe
@never_cache
def stripe_return(request: HttpRequest, token: str) -> HttpResponse:
    """Stripe sends the shopper here after the card step; the order is paid once Stripe's
    webhook arrived, so until then the page asks again every few seconds."""
    order = _order(token)
    if order.status == OrderStatus.UNPAID:
        if request.GET.get("redirect_status") == "failed":
            messages.error(request, _("The payment was declined. You can try again."))
            return redirect("shop:stripe_pay", token=order.token)
        context = {"order": order, "refresh_seconds": CONFIRMING_REFRESH_SECONDS}
        return render(request, "shop/payment_confirming.html", context)
    if order.status in PAID_STATUSES:
        messages.success(request, _("Thank you! Your payment was received."))
    elif order.status == OrderStatus.CANCELLED and refunds.has_refund(order_id=order.pk):
        messages.error(
            request,
            _(
                "We are sorry: this order could not be completed while you were paying. "
                "Your payment is refunded in full, and we sent you an email."
            ),
        )
    return redirect("shop:order", token=order.token)


@csrf_exempt  # Stripe cannot send our CSRF token; the Stripe-Signature header proves the sender.
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        outcome = webhooks.handle_stripe_webhook(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except webhooks.InvalidWebhook:
        return HttpResponseBadRequest("Invalid Stripe webhook.", content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")
