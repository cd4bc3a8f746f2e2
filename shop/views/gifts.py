"""The gift page (/gift/<token>/), its "Buy these for yourself", and the giver's doors on
their order page: revoke the link, send the same gift again.

The gift page answers only to its unguessable token: an unknown token is a 404, a revoked
or expired link a 410 page that says no more. It is kept out of search engines and never
sends its address on as a referrer."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from shop import carts, gift_page, gift_reorder, gifts, languages, orders
from shop.models import Order
from shop.models.gifts import Gift
from shop.page_languages import LANGUAGE_PARAM, language_codes
from shop.views.cart import open_request_cart, remember_count


class _NullOriginCsrf(CsrfViewMiddleware):
    """Django's CSRF check for the forms of the gift page. The page is sent with
    `Referrer-Policy: no-referrer` (its address is the gift's only key), so browsers post its
    forms with `Origin: null` and no Referer, which the stock check refuses. The form's CSRF
    token, tied to the visitor's CSRF cookie, remains the check."""

    def _origin_verified(self, request: HttpRequest) -> bool:
        if request.META.get("HTTP_ORIGIN") == "null":
            return True
        return super()._origin_verified(request)


def posted_from_gift_page(view):
    """For a POST view whose form sits on the gift page (buy these, the thank-you): the CSRF
    check above in place of the middleware's."""
    return csrf_exempt(decorator_from_middleware(_NullOriginCsrf)(view))


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    patch_cache_control(response, private=True, no_store=True)
    return response


def _open(token: str) -> gift_page.Found:
    found = gift_page.find(token=token)
    if found is None:
        raise Http404(_("No gift has this address."))
    return found


@require_safe
def gift_detail(request: HttpRequest, token: str) -> HttpResponse:
    found = gift_page.find(token=token)
    if found is None:
        return _private(render(request, "shop/gift_gone.html", {}, status=404))
    if found.state != gifts.LinkState.OPEN:
        return _private(render(request, "shop/gift_gone.html", {}, status=410))
    asked = request.GET.get(LANGUAGE_PARAM, "")
    language = asked if asked in language_codes() else found.gift.language
    translation.activate(language)
    request.LANGUAGE_CODE = language
    path = gifts.page_path(found.gift)

    def draw() -> str:
        context = {
            "page": gift_page.gift_page(gift=found.gift),
            "gift": found.gift,
            "thanked": found.thanked,
            "languages": [
                (code, languages.NATIVE_NAMES.get(code, code), f"{path}?{LANGUAGE_PARAM}={code}")
                for code in language_codes()
            ],
        }
        return render_to_string("shop/gift.html", context, request=request)

    if len(messages.get_messages(request)):
        html = draw()
    else:
        key = gift_page.page_key(found=found, language=language)
        html, _hit = gift_page.cached_html(key=key, render=draw)
        html = html.replace(gift_page.CSRF_PLACEHOLDER, get_token(request))
    return _private(HttpResponse(html))


@posted_from_gift_page
@require_POST
def gift_buy(request: HttpRequest, token: str) -> HttpResponse:
    """The receiver's "Buy these for yourself": the same products into their own cart."""
    found = _open(token)
    if found.state != gifts.LinkState.OPEN:
        return _private(render(request, "shop/gift_gone.html", {}, status=410))
    cart = open_request_cart(request)
    outcomes = gift_reorder.fill_cart(cart=cart, gift=found.gift)
    _tell(request, outcomes)
    response = redirect("shop:cart")
    response["Referrer-Policy"] = "no-referrer"
    return remember_count(response, carts.item_count(cart=cart))


def _tell(request: HttpRequest, outcomes: list[gift_reorder.Outcome]) -> None:
    for outcome in outcomes:
        name = outcome.name
        if outcome.unknown:
            messages.warning(request, _("%(name)s is no longer sold.") % {"name": name})
        elif outcome.sold_out:
            messages.warning(request, _("%(name)s is sold out for now.") % {"name": name})
        elif outcome.short:
            messages.warning(
                request,
                _("Only %(count)d of %(name)s could be added.")
                % {"count": outcome.added, "name": name},
            )
        if outcome.other_lot:
            messages.info(
                request,
                _(
                    "%(name)s now comes from lot %(lots)s, not the lot that was in the gift "
                    "(%(gift_lots)s): its harvest and best-before dates differ."
                )
                % {
                    "name": name,
                    "lots": ", ".join(outcome.held_lots),
                    "gift_lots": ", ".join(outcome.gift_lots) or "-",
                },
            )


def _gift_of(token: str) -> Gift:
    try:
        order = orders.order_by_token(token=token)
    except Order.DoesNotExist as exc:
        raise Http404(_("No order has this address.")) from exc
    gift = gifts.of_order(order=order)
    if gift is None:
        raise Http404(_("This order is not a gift."))
    return gift


@require_POST
def gift_revoke(request: HttpRequest, token: str) -> HttpResponse:
    """The giver stops the gift link working (the order's link is their key, as for the
    order page itself)."""
    gift = _gift_of(token)
    gifts.revoke(gift=gift)
    messages.success(request, _("The gift page's link no longer works."))
    return redirect(reverse("shop:order", kwargs={"token": token}) + "#gift")


@require_POST
def gift_again(request: HttpRequest, token: str) -> HttpResponse:
    """Step 1 of "Send this gift again": the cart gets the same lines and the same card;
    step 2 is the usual checkout (a new address, then pay)."""
    gift = _gift_of(token)
    cart = open_request_cart(request)
    outcomes = gift_reorder.gift_again(cart=cart, gift=gift)
    _tell(request, outcomes)
    if not any(outcome.added for outcome in outcomes):
        return remember_count(redirect("shop:cart"), carts.item_count(cart=cart))
    return remember_count(redirect("shop:checkout"), carts.item_count(cart=cart))
