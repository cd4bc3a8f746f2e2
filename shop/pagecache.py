"""The storefront's page cache: the public home, catalogue, product and cooperative pages are
served from the cache for settings.PAGE_CACHE_SECONDS (0 turns the cache off).

A page is stored under a key made of a hash of the path, the query string with its
parameters sorted, the language and the currency (hashing keeps an overlong or odd query
string an ordinary key), together with the version tokens it was rendered under; a hit is
one cache read (`get_many` of the tokens and the page) and a page whose tokens are no longer
current is rendered again and replaces it. A request with a parameter the page does not
read is rendered and not stored, so made-up parameters cannot fill the cache.

Freshness. A page depends on version tokens: every page the shop-wide one, a product page
its product's own, the listing pages (home, catalogue, cooperatives) the listings' one. A
writer gives new tokens after its commit, so old copies are never served again and expire
on their own:
- `invalidate()` (every page): the catalogue admin's saves of products, variants and
  cooperatives (shop.admin.catalogue), corrections and recalls;
- `invalidate_stock()` (one product's pages, and the listings only when a lot went on or off
  sale): every stock movement (shop.inventory.ledger.write_movement), so a receipt or a
  sale of one product no longer throws away the pages of all the others (issue 13).
Cart holds and allocations do not invalidate: the hold service is the authority on stock (it
refuses what is not there and tells the shopper "only N left"), so a stock figure up to
PAGE_CACHE_SECONDS old is acceptable on these pages.
Anything else (a delete in the admin, a date rolling over) shows within PAGE_CACHE_SECONDS.
With a local-memory cache (the embedded default, the benchmark) each process has its own
pages and version, so a write made in one process reaches the others by expiry; Redis
(production) shares both.

A process's own copy. With PAGE_LOCAL_SECONDS above zero (production, the benchmark) a web
process also keeps the pages it served for that long and answers them again from its memory,
without asking the cache for versions or the page: a page everyone is reading (a product in
a flash sale) then costs what a minimal view costs. The process that invalidates drops its
own copies at once; the others' show the change within PAGE_LOCAL_SECONDS (1 s), well inside
the PAGE_CACHE_SECONDS that stock figures may already be old. At most LOCAL_PAGES are kept.

Per visitor. The pages' header is the same for everyone (no cart count, no user name), so
being signed in is not part of the key. The CSRF token of the add-to-cart forms is stored as a
placeholder and replaced by the visitor's own token on every hit, which also sets the CSRF
cookie exactly as rendering would. A request with messages waiting to be shown is rendered,
not served from the cache, and its page is not stored. Only 200 responses that set no cookie
are stored.
"""

import functools
import hashlib
import re
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from shop import cache_outage
from shop.models import Product

VERSION_KEY = "pagecache:version"
LISTINGS_KEY = "pagecache:version:listings"
# Bumped by every stock movement: answers that show stock figures of any product (the API's).
STOCK_KEY = "pagecache:version:stock"
PRODUCT_KEY = "pagecache:version:product:{slug}"
# What a page's key depends on besides the shop-wide version.
LISTINGS, PRODUCT = "listings", "product"
# An HTML comment cannot come out of escaped content, so only a template could produce it.
CSRF_PLACEHOLDER = "<!--pagecache:csrf-token-->"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"<>]+)"')
_CACHEABLE_METHODS = frozenset({"GET", "HEAD"})

View = Callable[..., HttpResponse]

LOCAL_PAGES = 64
# identity of the request (path, query, language, currency) -> (expiry, entry)
_local: OrderedDict[str, tuple[float, tuple[str, str]]] = OrderedDict()


def invalidate() -> None:
    """Give every cached storefront page a new version. Call it after the commit of a write
    that changes what the pages show (catalogue, cooperatives, batches, stock movements):
    `transaction.on_commit(pagecache.invalidate)`. Writes one cache key."""
    _local.clear()
    cache_outage.set(VERSION_KEY, uuid.uuid4().hex, None)


def invalidate_stock(*, batch_ids: Iterable[int], listings: bool) -> None:
    """Give the pages of the products these batches belong to a new version, and the listing
    pages too when `listings` (a lot went on or off sale: "in stock" may have changed).
    The stock token (the API's answers) is renewed every time. Call it after the commit of
    a stock movement. One query, one cache write."""
    slugs = (
        Product.objects.filter(variants__batches__in=list(batch_ids))
        .values_list("slug", flat=True)
        .distinct()
    )
    tokens = {PRODUCT_KEY.format(slug=slug): uuid.uuid4().hex for slug in slugs}
    tokens[STOCK_KEY] = uuid.uuid4().hex
    if listings:
        tokens[LISTINGS_KEY] = uuid.uuid4().hex
    _local.clear()
    cache_outage.set_many(tokens, None)


def version(*keys: str) -> str:
    """The page version made of the shop-wide token and the tokens `keys` (one cache read)."""
    wanted = [VERSION_KEY, *keys]
    return _joined_tokens(wanted, cache_outage.get_many(wanted))


def _joined_tokens(wanted: list[str], found: dict) -> str:
    tokens = []
    for key in wanted:
        token = found.get(key)
        if token is None:
            # A missing token (never set, or evicted) becomes a new one, never an old one,
            # so a page stored under an earlier token cannot come back.
            token = uuid.uuid4().hex
            if not cache_outage.add(key, token, None):
                token = cache_outage.get(key, token)
        tokens.append(token)
    return "-".join(tokens)


def _scope_keys(scope: str, kwargs: dict) -> tuple[str, ...]:
    if scope == PRODUCT:
        return (PRODUCT_KEY.format(slug=kwargs["slug"]),)
    return (LISTINGS_KEY,)


def _identity(request: HttpRequest) -> str:
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    currency = getattr(request, "currency", settings.DEFAULT_CURRENCY)
    return "\n".join((request.path, query, get_language() or "", currency))


def page_key(request: HttpRequest) -> str:
    """The cache key of the page `request` asks for. The stored entry carries the version
    it was rendered under, so one read fetches the tokens and the page together."""
    identity = _identity(request)
    return f"pagecache:page:{hashlib.sha256(identity.encode()).hexdigest()}"


def _local_get(identity: str) -> tuple[str, str] | None:
    found = _local.get(identity)
    if found is None or found[0] < time.monotonic():
        return None
    return found[1]


def _local_set(identity: str, entry: tuple[str, str]) -> None:
    seconds = settings.PAGE_LOCAL_SECONDS
    if seconds <= 0:
        return
    _local[identity] = (time.monotonic() + seconds, entry)
    _local.move_to_end(identity)
    while len(_local) > LOCAL_PAGES:
        _local.popitem(last=False)


def cached(*, params: Iterable[str] = (), scope: str = LISTINGS) -> Callable[[View], View]:
    """Serve the decorated storefront view from the page cache. `params`: the query
    parameters the page reads; a request with any other parameter is rendered uncached.
    `scope`: LISTINGS for pages that list products, PRODUCT for a product's own page (its
    view takes the product's `slug`)."""
    allowed = frozenset(params)

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            seconds = settings.PAGE_CACHE_SECONDS
            if seconds <= 0 or not _may_use_cache(request, allowed):
                return view(request, *args, **kwargs)
            identity = _identity(request)
            entry = _local_get(identity)
            if entry is not None:
                return _response(request, entry)
            # One round trip: the version tokens and the page, which says its own version.
            key = page_key(request)
            wanted = [VERSION_KEY, *_scope_keys(scope, kwargs)]
            found = cache_outage.get_many([*wanted, key])
            current = _joined_tokens(wanted, found)
            stored = found.get(key)
            if stored is not None and stored[0] == current:
                entry = stored[1:]
                _local_set(identity, entry)
                return _response(request, entry)
            token_used_before = _token_used(request)
            response = view(request, *args, **kwargs)
            entry = _entry(response, token_used=_token_used(request) and not token_used_before)
            if entry is not None:
                cache_outage.set(key, (current, *entry), seconds)
                _local_set(identity, entry)
            return response

        return wrapper

    return decorator


def _may_use_cache(request: HttpRequest, allowed: frozenset[str]) -> bool:
    # len() reads the waiting messages without marking them shown.
    return (
        request.method in _CACHEABLE_METHODS
        and allowed.issuperset(request.GET.keys())
        and len(get_messages(request)) == 0
    )


def _token_used(request: HttpRequest) -> bool:
    # django.middleware.csrf.get_token() raises this flag whenever it hands out a token.
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def _entry(response: HttpResponse, *, token_used: bool) -> tuple[str, str] | None:
    """What is stored of `response` — (HTML with the CSRF token as a placeholder,
    content type) — or None when it must not be stored."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    html = response.content.decode(response.charset)
    tokens = set(_CSRF_INPUT.findall(html))
    if token_used and not tokens:
        # The page used this visitor's token somewhere we cannot find it: never share it.
        return None
    for token in tokens:
        html = html.replace(token, CSRF_PLACEHOLDER)
    return html, response["Content-Type"]


def _response(request: HttpRequest, entry: tuple[str, str]) -> HttpResponse:
    html, content_type = entry
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return HttpResponse(html, content_type=content_type)
