"""Per-client rate limits counted in the cache, so every gunicorn process shares them (Redis
in production).

A limit is a fixed window: `RATE_LIMITS[scope] = (requests, seconds)`. The client is its IP
address (`client_ip`): REMOTE_ADDR, or the first X-Forwarded-For address only when
`TRUST_X_FORWARDED_FOR` says a trusted proxy sets that header (a client could write it
itself otherwise). django-axes uses the same function for its login lockouts.

When the cache cannot be reached the request is let through and a warning is logged: a
broken Redis must not take sign-up or the report form down with it.
"""

import functools
import ipaddress
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

try:  # Only a Redis cache raises these; the embedded shop runs without them.
    from django_redis.exceptions import ConnectionInterrupted
    from redis.exceptions import RedisError

    CACHE_ERRORS: tuple[type[BaseException], ...] = (ConnectionInterrupted, RedisError, OSError)
except ImportError:  # pragma: no cover
    CACHE_ERRORS = (OSError,)


class RateLimited(Exception):
    """A client went past a scope's limit; `retry_after` is in seconds."""

    def __init__(self, scope: str, retry_after: int):
        super().__init__(scope)
        self.scope = scope
        self.retry_after = retry_after


UNKNOWN_CLIENT = "0.0.0.0"


def client_ip(request: HttpRequest) -> str:
    """The client's IP address, as the rate limits and django-axes count it."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
        if _is_ip(forwarded):
            return forwarded
    remote = request.META.get("REMOTE_ADDR", "")
    # django-axes stores the address in an inet column: anything else must never reach it
    # (a request built without one, a unix-socket peer), so those share one unspecified key.
    return remote if _is_ip(remote) else UNKNOWN_CLIENT


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account a sign-in names, as the form reads it: `Jane@x` and ` jane@x` are one."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username", "")
    return str(name or "").strip().lower()


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def hit(*, scope: str, client: str) -> None:
    """Count one request of `client` in `scope`.

    Rule: at most RATE_LIMITS[scope] requests per window. Side effect: one cache counter
    per (scope, client, window), expiring with the window. Raises RateLimited past it."""
    allowed, seconds = settings.RATE_LIMITS[scope]
    now = time.time()
    window = int(now // seconds)
    key = f"ratelimit:{scope}:{client}:{window}"
    try:
        cache.add(key, 0, timeout=seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=seconds + 1)
            count = 1
    except CACHE_ERRORS:
        logger.warning("Rate limit %s not counted: the cache is unreachable", scope)
        return
    if count > allowed:
        raise RateLimited(scope, retry_after=max(1, int((window + 1) * seconds - now)))


def too_many_requests(request: HttpRequest, retry_after: int | None = None) -> HttpResponse:
    """The friendly 429 page (frontend_templates/429.html), in the visitor's language."""
    minutes = -(-retry_after // 60) if retry_after else None
    response = render(request, "429.html", {"retry_minutes": minutes}, status=429)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def limit_posts(scope: str) -> Callable:
    """A view decorator: each POST counts against `scope`; past it the 429 page answers."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                try:
                    hit(scope=scope, client=client_ip(request))
                except RateLimited as exc:
                    return too_many_requests(request, exc.retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE)."""
    cool_off = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return too_many_requests(request, cool_off)
