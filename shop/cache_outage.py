"""The shared cache's reads and writes that survive a Redis outage.

The cache only saves work: every page it holds can be rendered again. So on the request path
(storefront page cache, GraphQL result cache, trace pages and link entries, scan counters)
a lost connection to Redis is a miss, and a write that cannot be made is skipped: the page
is rendered without the cache, never answered with a 500.

What counts as an outage: django-redis' ConnectionInterrupted (it wraps redis' connection
and timeout errors) and redis' own ConnectionError and TimeoutError from a raw client. Short
socket timeouts (CACHE_SOCKET_TIMEOUT, in the cache's OPTIONS) bound the wait when Redis does
not answer at all. After a failure this process skips the cache for CACHE_RETRY_SECONDS, so
an outage costs one timeout per process now and then rather than one per cache call; then
the next call tries again, and caching resumes by itself when Redis is back. One warning is
logged per process and outage window, not one per request.

Invalidations made during an outage are lost with the rest: a Redis that restarts empty
holds nothing stale, and one that was only unreachable serves its pages until they expire
(PAGE_CACHE_SECONDS; trace pages carry the batch's status in their key, so a recall shows).
"""

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from django.conf import settings
from django.core.cache import cache
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger(__name__)

# Specific on purpose: a bug (a wrong key type, a pickling error) must still surface.
ERRORS: tuple[type[Exception], ...] = (
    ConnectionInterrupted,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)

T = TypeVar("T")

_down_until = 0.0


def available() -> bool:
    """False while this process is skipping the cache after a failure."""
    return time.monotonic() >= _down_until


def failed(exc: Exception, *, operation: str) -> None:
    """Note an outage: skip the cache for CACHE_RETRY_SECONDS; log once per window."""
    global _down_until
    if available():
        logger.warning("Cache unavailable (%s: %s): serving without it", operation, exc)
    _down_until = time.monotonic() + getattr(settings, "CACHE_RETRY_SECONDS", 5.0)


def reset() -> None:
    """Try the cache again at the next call (tests; a process that knows Redis is back)."""
    global _down_until
    _down_until = 0.0


def attempt(operation: Callable[[], T], *, default: T, name: str = "cache") -> T:
    """`operation()`, or `default` when the cache is down (now, or within the retry window)."""
    if not available():
        return default
    try:
        return operation()
    except ERRORS as exc:
        failed(exc, operation=name)
        return default


def get(key: str, default: Any = None) -> Any:
    return attempt(lambda: cache.get(key, default), default=default, name="get")


def get_many(keys: list[str]) -> dict[str, Any]:
    return attempt(lambda: cache.get_many(keys), default={}, name="get_many")


def set(key: str, value: Any, timeout: float | None) -> None:  # noqa: A001 (the cache's verb)
    attempt(lambda: cache.set(key, value, timeout), default=None, name="set")


def set_many(values: dict[str, Any], timeout: float | None) -> None:
    attempt(lambda: cache.set_many(values, timeout), default=None, name="set_many")


def add(key: str, value: Any, timeout: float | None) -> bool:
    return attempt(lambda: cache.add(key, value, timeout), default=False, name="add")


def delete(key: str) -> None:
    attempt(lambda: cache.delete(key), default=None, name="delete")


def delete_many(keys: list[str]) -> None:
    attempt(lambda: cache.delete_many(keys), default=None, name="delete_many")
