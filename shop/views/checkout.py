"""Checkout in two steps, mobile first and without JavaScript: the buyer's details (email,
address, gift options), then shipping and review, where the order is placed and the shopper
goes on to pay. Totals are always computed by the server."""

from dataclasses import asdict

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shop import (
    carts,
    checkout,
    checkout_totals,
    destination_rules,
    destinations,
    inventory,
    languages,
    shipping,
    taxes,
)
from shop.checkout_forms import CheckoutDetailsForm, ShippingChoiceForm
from shop.models import Cart
from shop.views.cart import no_longer_sold_message, remember_count, request_cart
from shop.views.orders import pay_order

# Lazy: worded in the language of the request that shows it, not the one that imported it.
HOLDS_ENDED = gettext_lazy(
    "The time we could hold some of your items has run out. Hold them again from your cart, "
    "then place the order."
)
LOT_RECALLED = gettext_lazy(
    "A lot held for your cart was recalled for safety. Hold your items again from your cart, "
    "then place the order."
)


def _cart_for_checkout(request: HttpRequest) -> Cart | None:
    cart = request_cart(request)
    if cart is not None:
        cart = Cart.objects.select_related("shipping_address").get(pk=cart.pk)
    return cart


@require_http_methods(["GET", "HEAD", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    cart = _cart_for_checkout(request)
    summary = carts.summary(cart=cart, currency=request.currency)
    if summary.is_empty:
        messages.info(request, _("Your cart is empty."))
        return redirect("shop:cart")
    if request.method == "POST":
        form = CheckoutDetailsForm(request.POST)
        if form.is_valid():
            try:
                checkout.save_details(cart=cart, details=form.details())
            except checkout.InvalidDetails as invalid:
                for name, message in invalid.errors.items():
                    form.add_error(name if name in form.fields else None, message)
            except (checkout.CartNotOpen, checkout.EmptyCart):
                return redirect("shop:cart")
            else:
                return redirect("shop:checkout_review")
        status = 400
    else:
        saved = checkout.details_of(cart)
        initial = asdict(saved) if saved else {}
        if not saved and request.user.is_authenticated:
            initial = {"email": request.user.email}
        if not saved and cart.is_gift:
            # "Send this gift again" (shop.gift_reorder.gift_again) set the card on the cart.
            initial.update(
                is_gift=True,
                gift_message=cart.gift_message,
                gift_signature=cart.gift_signature,
                gift_language=cart.gift_language,
            )
        form = CheckoutDetailsForm(initial=initial)
        status = 200
    context = {
        "form": form,
        "summary": summary,
        "gift_wrap_fee": checkout_totals.gift_wrap_fee(summary.currency),
        "cart_count": summary.item_count,
        "tax_quote": taxes.destination_quote(
            country=destinations.destination_country(cart),
            currency=summary.currency,
            lines=summary.rows,
        ),
        "step": 1,
    }
    return render(request, "shop/checkout.html", context, status=status)


def _review(request, cart, summary, form, *, errors=(), status=200) -> HttpResponse:
    address = cart.shipping_address
    chosen = form.data.get("shipping_method") if form.is_bound else cart.shipping_method_id
    choices = checkout_totals.review_choices(
        cart=cart,
        cart_summary=summary,
        chosen_method_id=chosen,
        duties_paid=form.is_bound and form.data.get("duties_paid") == "1",
    )
    context = {
        "cart": cart,
        "address": address,
        "summary": summary,
        "form": form,
        "options": choices.rows,
        "selected": choices.selected,
        "totals": choices.totals,
        "tax_quote": choices.totals.tax_quote,
        # What paying duties and taxes now would cost, where that is offered.
        "ddp_totals": choices.ddp_totals,
        "for_someone_else": checkout.recipient_is_someone_else(
            buyer_name=cart.buyer_name, recipient_name=address.full_name
        ),
        # The language the gift card and page are read in, named in itself.
        "gift_language_name": languages.NATIVE_NAMES.get(cart.gift_language, ""),
        "errors": list(errors),
        "unshippable": choices.unshippable,
        # Lines the address's country refuses by post: shown, and the order button is off.
        "refusals": destination_rules.refused_lines(summary.rows, str(address.country)),
        "cart_count": summary.item_count,
        "step": 2,
    }
    return render(request, "shop/checkout_review.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    cart = _cart_for_checkout(request)
    summary = carts.summary(cart=cart, currency=request.currency)
    if summary.is_empty:
        messages.info(request, _("Your cart is empty."))
        return redirect("shop:cart")
    if checkout.details_of(cart) is None:
        return redirect("shop:checkout")
    if request.method != "POST":
        form = ShippingChoiceForm()
        return _review(request, cart, summary, form)
    options = shipping.options_for(
        country=str(cart.shipping_address.country),
        items=shipping.items_of(summary.rows),
        subtotal=summary.subtotal,
        currency=summary.currency,
    )
    form = ShippingChoiceForm(request.POST, options=options)
    if not form.is_valid():
        return _review(request, cart, summary, form, status=400)
    if "preview" in request.POST:
        # Without JavaScript, "Update total" shows the totals for the method just chosen.
        return _review(request, cart, summary, form)
    try:
        order = checkout.place_order(
            cart=cart,
            shipping_method_id=form.cleaned_data["shipping_method"],
            currency=request.currency,
            language=get_language() or "en",
            user=request.user,
            duties_paid=form.cleaned_data["duties_paid"],
        )
    except inventory.HoldExpired:
        # A recall ends holds too; read the cart again to say which it was.
        summary = carts.summary(cart=cart, currency=request.currency)
        ended = LOT_RECALLED if summary.recalled_rows else HOLDS_ENDED
        return _review(request, cart, summary, form, errors=[ended], status=409)
    except checkout.ProductUnavailable as unavailable:
        errors = [no_longer_sold_message(variant_id) for variant_id in unavailable.variant_ids]
        return _review(request, cart, summary, form, errors=errors, status=409)
    except checkout.NotAllowedThere:
        # _review lists the refused lines with their reasons.
        return _review(request, cart, summary, form, status=409)
    except checkout.ShippingUnavailable:
        message = _("This shipping method does not reach the address.")
        return _review(request, cart, summary, form, errors=[message], status=400)
    except checkout.DetailsMissing:
        return redirect("shop:checkout")
    except (checkout.CartNotOpen, checkout.EmptyCart):
        return redirect("shop:cart")
    # The cart became the order: the header's count goes back to none.
    return remember_count(pay_order(request, order), 0)
