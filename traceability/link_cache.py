"""Link entries: a scanned Digital Link's trace page and its scan count in one Redis round trip.

An entry holds the batch id and the page's HTML under a key made of the link (see
traceability.cache, which decides what is stored and when it is dropped). When the cache
and the scan counters share one Redis (django-redis on REDIS_URL, as in production), an
entry is stored as raw bytes, `<batch id>\\n<HTML>`, and read by a small Lua script that also
adds the scan to the counters of traceability.scans in the same round trip: the page then
costs the same one network wait as a plain cache read. Anywhere else (the embedded
local-memory cache, a cache on another server) the entry is an ordinary cache value and the
scan is counted by traceability.scans.record_scan.

Keys always go through the cache's own make_key, so the cache's prefix and version apply and
`cache.delete_many` removes entries of either kind.
"""

import datetime
import functools

import redis
from django.conf import settings
from django.core.cache import cache

from shop import cache_outage
from traceability import scans

# Adds one scan to the pending counters, in traceability.scans' field format
# (day|batch id|country), when the entry exists and a scan is to be counted.
_READ_AND_COUNT = """
local entry = redis.call('GET', KEYS[1])
if entry and ARGV[1] ~= '' then
  local batch_id = string.match(entry, '^(%d+)\\n')
  if batch_id then
    redis.call('HINCRBY', KEYS[2], ARGV[1] .. '|' .. batch_id .. '|' .. ARGV[2], 1)
  end
end
return entry
"""


@functools.cache
def _script(client: redis.Redis):
    return client.register_script(_READ_AND_COUNT)


def _raw_redis() -> redis.Redis | None:
    """django-redis' own connection, when the cache lives where the scan counters do."""
    config = settings.CACHES["default"]
    if "django_redis" not in config["BACKEND"] or config.get("LOCATION") != settings.REDIS_URL:
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def read(*, key: str, scan_country: str | None, day: datetime.date) -> tuple[int, bytes] | None:
    """(batch id, UTF-8 HTML) stored under `key`, or None. With `scan_country` (a normalised
    code, "" for unknown) the hit also counts one scan of that batch on `day`. A Redis error
    is a miss: the caller then answers the slow way, and the page is not lost for a counter
    (shop.cache_outage)."""
    client = _raw_redis()
    if client is None:
        entry = cache_outage.get(key)
        if entry is not None and scan_country is not None:
            scans.record_scan(batch_id=entry[0], country=scan_country, day=day)
        return entry
    if not cache_outage.available():
        return None
    counting = "" if scan_country is None else day.isoformat()
    try:
        value = _script(client)(
            keys=[cache.make_key(key), f"{scans.KEY_PREFIX}:pending"],
            args=[counting, scan_country or ""],
        )
    except cache_outage.ERRORS as exc:
        cache_outage.failed(exc, operation="link entry")
        return None
    except redis.RedisError:
        return None
    if value is None:
        return None
    head, _, html = value.partition(b"\n")
    if not head.isdigit():
        return None  # not an entry of ours (written by an older release): the slow way
    return int(head), html


def write(*, key: str, batch_id: int, html: str, timeout: int) -> None:
    client = _raw_redis()
    if client is None:
        cache_outage.set(key, (batch_id, html.encode()), timeout)
        return
    value = f"{batch_id}\n".encode() + html.encode()
    cache_outage.attempt(
        lambda: client.set(cache.make_key(key), value, ex=timeout), default=None, name="link"
    )
