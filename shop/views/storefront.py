"""The public storefront: home, catalogue, product, cooperative, and the shopper's language
and currency preferences. Handlers parse input, call one selector and render; the four pages
are served from shop.pagecache between renders."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_cookie

from shop import catalogue as reads
from shop import delivery, pagecache, product_page, seo, visits
from shop.forms import CatalogueFilterForm
from shop.models import Cooperative, Product
from shop.page_languages import LANGUAGE_PARAM, language_from_query, without_language
from shop.sites import site_url
from shop.views.next_url import local_next

PREFERENCE_COOKIE_AGE = 365 * 24 * 60 * 60
CATALOGUE_PARAMS = (*CatalogueFilterForm.base_fields, "page", LANGUAGE_PARAM)


@require_safe
@vary_on_cookie
@language_from_query
@pagecache.cached(params=(LANGUAGE_PARAM,))
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "featured": reads.featured_products(currency=request.currency),
        "groups": reads.product_groups(),
        "cooperatives": reads.cooperatives(),
        "seo": seo.home_head(origin=site_url(request), path=request.path),
    }
    return render(request, "shop/home.html", context)


@require_safe
@vary_on_cookie
@language_from_query
@pagecache.cached(params=CATALOGUE_PARAMS)
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET, provinces=reads.provinces_with_products())
    if not form.is_valid():
        return render(request, "shop/catalogue.html", {"form": form, "page": None}, status=400)
    page = reads.catalogue_page(
        filters=form.filters(), currency=request.currency, page_number=request.GET.get("page")
    )
    head = seo.catalogue_head(
        origin=site_url(request), path=request.path, query=request.GET, page_number=page.number
    )
    return render(request, "shop/catalogue.html", {"form": form, "page": page, "seo": head})


@require_safe
@vary_on_cookie
@language_from_query
@pagecache.cached(params=(LANGUAGE_PARAM,), scope=pagecache.PRODUCT)
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = product_page.product_page(slug=slug, currency=request.currency)
    except Product.DoesNotExist as exc:
        raise Http404(_("No product is published at this address.")) from exc
    # Per language, not per visitor: the page cache keys on the language (shop.delivery).
    estimate = delivery.product_estimate(
        cooperative_id=page.product.cooperative_id, language=get_language() or "en"
    )
    head = seo.product_head(page, currency=request.currency, origin=site_url(request))
    context = {"page": page, "product": page.product, "delivery": estimate, "seo": head}
    return render(request, "shop/product.html", context)


@require_safe
@vary_on_cookie
@language_from_query
@pagecache.cached(params=(LANGUAGE_PARAM,))
def cooperative_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        cooperative = reads.cooperative_page(slug=slug)
    except Cooperative.DoesNotExist as exc:
        raise Http404(_("No cooperative has this address.")) from exc
    products = reads.cooperative_products(cooperative=cooperative, currency=request.currency)
    head = seo.cooperative_head(cooperative, origin=site_url(request))
    context = {
        "cooperative": cooperative,
        "products": products,
        "seo": head,
        # The invitation to the village, when published (issue 16, part 4).
        "visit": visits.published_visit(cooperative_id=cooperative.pk),
    }
    return render(request, "shop/cooperative.html", context)


@require_safe
def set_preferences(request: HttpRequest) -> HttpResponse:
    """Remember the shopper's language and/or currency in cookies, then go back to `next`
    when it is a URL of this site (anything else goes home). Unknown values are ignored."""
    next_url = local_next(request, request.GET.get("next", ""), default=reverse("shop:home"))
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES):
        # The page's own ?lang= (shop.page_languages) would override the choice stored here.
        next_url = without_language(next_url)
    response = redirect(next_url)
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
