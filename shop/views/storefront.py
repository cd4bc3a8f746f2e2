"""The public storefront: home, catalogue, product, cooperative, and the shopper's language
and currency preferences. Handlers parse input, call one selector and render; the four pages
are served from shop.pagecache between renders."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from shop import catalogue as reads
from shop import pagecache
from shop.forms import CatalogueFilterForm
from shop.models import Cooperative, Product
from shop.views.next_url import local_next

PREFERENCE_COOKIE_AGE = 365 * 24 * 60 * 60
CATALOGUE_PARAMS = (*CatalogueFilterForm.base_fields, "page")


@require_safe
@vary_on_cookie
@pagecache.cached()
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "featured": reads.featured_products(currency=request.currency),
        "groups": reads.product_groups(),
        "cooperatives": reads.cooperatives(),
    }
    return render(request, "shop/home.html", context)


@require_safe
@vary_on_cookie
@pagecache.cached(params=CATALOGUE_PARAMS)
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET, provinces=reads.provinces_with_products())
    if not form.is_valid():
        return render(request, "shop/catalogue.html", {"form": form, "page": None}, status=400)
    page = reads.catalogue_page(
        filters=form.filters(), currency=request.currency, page_number=request.GET.get("page")
    )
    return render(request, "shop/catalogue.html", {"form": form, "page": page})


@require_safe
@vary_on_cookie
@pagecache.cached(scope=pagecache.PRODUCT)
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = reads.product_page(slug=slug, currency=request.currency)
    except Product.DoesNotExist as exc:
        raise Http404(_("No product is published at this address.")) from exc
    return render(request, "shop/product.html", {"page": page, "product": page.product})


@require_safe
@vary_on_cookie
@pagecache.cached()
def cooperative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        cooperative = reads.cooperative_page(slug=slug)
    except Cooperative.DoesNotExist as exc:
        raise Http404(_("No cooperative has this address.")) from exc
    products = reads.cooperative_products(cooperative=cooperative, currency=request.currency)
    return render(
        request, "shop/cooperative.html", {"cooperative": cooperative, "products": products}
    )


@require_safe
def set_preferences(request: HttpRequest) -> HttpResponse:
    """Remember the shopper's language and/or currency in cookies, then go back to `next`
    when it is a URL of this site (anything else goes home). Unknown values are ignored."""
    next_url = local_next(request, request.GET.get("next", ""), default=reverse("shop:home"))
    response = redirect(next_url)
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES):
        _remember(request, response, settings.LANGUAGE_COOKIE_NAME, language)
    currency = request.GET.get("currency", "")
    if currency in settings.CURRENCIES:
        _remember(request, response, settings.CURRENCY_COOKIE_NAME, currency)
    return response


def _remember(request: HttpRequest, response: HttpResponse, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=PREFERENCE_COOKIE_AGE,
        path="/",
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
