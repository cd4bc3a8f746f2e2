"""The cart pages: see the cart, add, change, remove, hold again. Plain forms, no JavaScript.

Each handler parses its form, calls one shop.carts service and maps its typed errors to a
message on the cart page (400 for bad input, 409 when stock ran short).
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from shop import cart_page, carts, destinations, inventory
from shop.checkout_forms import AddToCartForm, DestinationForm, LineForm, QuantityForm
from shop.models import Cart

# Not HttpOnly: static shop/header.js shows it in the header of cached pages.
CART_COUNT_COOKIE = "cart_count"


def remember_count(response: HttpResponse, count: int) -> HttpResponse:
    """Put the cart's item count in the `cart_count` cookie (on every change of the cart)."""
    response.set_cookie(
        CART_COUNT_COOKIE,
        str(count),
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=False,
        samesite="Lax",
    )
    return response


def request_cart(request: HttpRequest) -> Cart | None:
    """The shopper's open cart, if they have one (no write)."""
    return carts.find_cart(token=request.session.get(carts.SESSION_KEY), user=request.user)


def open_request_cart(request: HttpRequest) -> Cart:
    """The shopper's open cart, opened if needed; a guest's token goes into their session."""
    cart = carts.open_cart(
        token=request.session.get(carts.SESSION_KEY),
        user=request.user,
        currency=request.currency,
        language=get_language() or "en",
    )
    if cart.user_id is None:
        request.session[carts.SESSION_KEY] = str(cart.token)
    return cart


def render_cart(
    request: HttpRequest, cart: Cart | None, *, errors=(), status: int = 200
) -> HttpResponse:
    page = cart_page.cart_page(cart=cart, currency=request.currency)
    summary = page.summary
    context = {
        "summary": summary,
        "lines": page.lines,
        "thumbnail_width": cart_page.THUMBNAIL_WIDTH,
        "cart_count": summary.item_count,
        "destination_form": DestinationForm(initial={"country": page.country}),
        "errors": list(errors),
        "tax_quote": page.tax_quote,
        "refusals": page.refusals,
        "cart_shipping": page.shipping,
    }
    return remember_count(
        render(request, "shop/cart.html", context, status=status), summary.item_count
    )


@require_safe
def cart_detail(request: HttpRequest) -> HttpResponse:
    return render_cart(request, request_cart(request))


def out_of_stock_message(short: inventory.OutOfStock) -> str:
    name = carts.variant_label(variant_id=short.variant_id)
    if short.available <= 0:
        return _("Sorry, %(name)s is sold out for now.") % {"name": name}
    return ngettext(
        "Only %(count)d of %(name)s is left: choose %(count)d or fewer.",
        "Only %(count)d of %(name)s are left: choose %(count)d or fewer.",
        short.available,
    ) % {"count": short.available, "name": name}


def no_longer_sold_message(variant_id: int) -> str:
    name = carts.variant_label(variant_id=variant_id)
    return _("%(name)s is no longer sold. Remove it from your cart to order the rest.") % {
        "name": name
    }


def _form_errors(form) -> list[str]:
    return [message for messages_ in form.errors.values() for message in messages_]


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        return render_cart(request, request_cart(request), errors=_form_errors(form), status=400)
    cart = open_request_cart(request)
    try:
        carts.add(
            cart=cart,
            variant_id=form.cleaned_data["variant"],
            quantity=form.cleaned_data["quantity"],
        )
    except carts.UnknownVariant as exc:
        raise Http404(_("This product is not on sale.")) from exc
    except inventory.InvalidQuantity:
        limit = settings.MAX_LINE_QUANTITY
        message = _("You can order at most %(limit)d of one item.") % {"limit": limit}
        return render_cart(request, cart, errors=[message], status=400)
    except inventory.OutOfStock as short:
        return render_cart(request, cart, errors=[out_of_stock_message(short)], status=409)
    messages.success(request, _("Added to your cart."))
    return remember_count(redirect("shop:cart"), carts.item_count(cart=cart))


@require_POST
def cart_update(request: HttpRequest) -> HttpResponse:
    form = QuantityForm(request.POST)
    cart = request_cart(request)
    if not form.is_valid() or cart is None:
        return render_cart(request, cart, errors=_form_errors(form), status=400)
    try:
        carts.set_quantity(
            cart=cart,
            variant_id=form.cleaned_data["variant"],
            quantity=form.cleaned_data["quantity"],
        )
    except carts.LineNotInCart as exc:
        raise Http404(_("This item is not in your cart.")) from exc
    except carts.UnknownVariant as gone:
        # The line is in the cart but its product was unpublished since.
        message = no_longer_sold_message(gone.variant_id)
        return render_cart(request, cart, errors=[message], status=409)
    except inventory.OutOfStock as short:
        return render_cart(request, cart, errors=[out_of_stock_message(short)], status=409)
    messages.success(request, _("Your cart was updated."))
    return remember_count(redirect("shop:cart"), carts.item_count(cart=cart))


@require_POST
def cart_remove(request: HttpRequest) -> HttpResponse:
    form = LineForm(request.POST)
    cart = request_cart(request)
    if not form.is_valid() or cart is None:
        return render_cart(request, cart, errors=[_("Unknown product.")], status=400)
    carts.remove(cart=cart, variant_id=form.cleaned_data["variant"])
    messages.success(request, _("The item was removed from your cart."))
    return remember_count(redirect("shop:cart"), carts.item_count(cart=cart))


@require_POST
def cart_hold_again(request: HttpRequest) -> HttpResponse:
    cart = request_cart(request)
    if cart is None:
        return redirect("shop:cart")
    try:
        carts.hold_again(cart=cart)
    except inventory.OutOfStock as short:
        return render_cart(request, cart, errors=[out_of_stock_message(short)], status=409)
    messages.success(request, _("Your items are held for you again."))
    return redirect("shop:cart")


@require_POST
def cart_destination(request: HttpRequest) -> HttpResponse:
    """The cart's "ship to" country: VAT, refusals and estimates in the cart follow it."""
    form = DestinationForm(request.POST)
    cart = request_cart(request)
    if not form.is_valid() or cart is None:
        errors = _form_errors(form) or [_("Your cart is empty.")]
        return render_cart(request, cart, errors=errors, status=400)
    try:
        destinations.set_destination(cart=cart, country=form.cleaned_data["country"])
    except destinations.UnknownCountry:
        return render_cart(request, cart, errors=[_("Choose a country from the list.")], status=400)
    messages.success(request, _("Prices and delivery are shown for your destination."))
    return redirect("shop:cart")
