"""The shop's public origin (scheme and host) for links that must be absolute.

QR codes, Digital Links, linksets and emails carry absolute links; the shop's own pages use
relative ones. settings.SITE_URL names the origin. When SITE_URL is not set at all
(settings.SITE_URL_FROM_REQUEST, the embedded default), a link built while answering a
request uses that request's own origin, so a shop served at http://192.168.1.20:8080 prints
QR codes that open http://192.168.1.20:8080; work outside a request (an email sent by the
worker) uses settings.SITE_URL's fallback. Production sets SITE_URL (shop.checks).

A door that builds absolute links wraps its work in `serving(request)` (or is decorated
with `serves_request_origin`); no middleware and no settings change per request.
"""

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

_request_origin: ContextVar[str | None] = ContextVar("request_origin", default=None)


def request_origin(request: HttpRequest) -> str:
    """`scheme://host[:port]` of the request (its Host header, already checked against
    ALLOWED_HOSTS by Django; the scheme honours SECURE_PROXY_SSL_HEADER)."""
    return request.build_absolute_uri("/").rstrip("/")


def site_url(request: HttpRequest | None = None) -> str:
    """The origin absolute links start with, without a trailing slash: settings.SITE_URL,
    or, when SITE_URL is not set, the origin of `request` or of the request being served."""
    if settings.SITE_URL_FROM_REQUEST:
        origin = request_origin(request) if request is not None else _request_origin.get()
        if origin:
            return origin
    return settings.SITE_URL


@contextlib.contextmanager
def serving(request: HttpRequest) -> Iterator[None]:
    """Within the block, site_url() without a request means this request's origin."""
    token = _request_origin.set(request_origin(request))
    try:
        yield
    finally:
        _request_origin.reset(token)


def serves_request_origin(view: Callable) -> Callable:
    """A view decorator: the view's absolute links follow the address it was asked at."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        with serving(request):
            return view(request, *args, **kwargs)

    return wrapped
