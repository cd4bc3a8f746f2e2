"""Counting scans of Digital Links without slowing the page, and flushing the counts.

A scan costs the page one Redis HINCRBY on a hash of pending counters, keyed by day, batch
and country. Celery beat runs flush_scans every minute: it renames the pending hash to a
uniquely named one (so new scans go to a fresh hash), adds its counts to ScanCount and
records the name as a ScanFlush in the same transaction, then deletes the hash. A flush
retried after a crash finds the leftover hash, sees its ScanFlush row and only deletes it,
so no scan is counted twice or lost.

The embedded default (no REDIS_URL) has no broker and no beat, so nothing would ever flush:
there TRACE_SCANS_WRITE_THROUGH (on by default without Redis) adds each scan to ScanCount as
it happens, one upsert statement, and the workspace sees it at once. Turned off without
Redis (the test settings), the counters live in Django's cache until flush_scans runs.

No personal data is kept: a day, a batch and a two-letter country code.
"""

import datetime
import functools
import logging
import uuid
from collections import Counter
from collections.abc import Mapping

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django_countries import countries

from shop import cache_outage
from shop.models import Batch
from traceability.models import ScanCount, ScanFlush

# Headers set by the CDN or proxy in front of us (Cloudflare, CloudFront, App Engine).
COUNTRY_HEADERS = getattr(
    settings,
    "TRACE_COUNTRY_HEADERS",
    ("HTTP_CF_IPCOUNTRY", "HTTP_CLOUDFRONT_VIEWER_COUNTRY", "HTTP_X_APPENGINE_COUNTRY"),
)
KEY_PREFIX = getattr(settings, "TRACE_SCAN_KEY_PREFIX", "ocop:trace:scans")

ScanKey = tuple[datetime.date, int, str]
logger = logging.getLogger(__name__)


def _country(code: str) -> str:
    code = (code or "").strip().upper()
    return code if len(code) == 2 and code in countries else ""


def country_from_request_meta(meta: dict) -> str:
    """The proxy's country header when present, else the region of the reader's most
    preferred language that names one ("vi-VN" -> "VN"), else "" (unknown)."""
    for header in COUNTRY_HEADERS:
        code = _country(meta.get(header, ""))
        if code:
            return code
    tags = []
    for position, item in enumerate(meta.get("HTTP_ACCEPT_LANGUAGE", "")[:200].split(",")):
        tag, _, params = item.strip().partition(";")
        try:
            weight = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            continue
        tags.append((-weight, position, tag.strip()))
    for _weight, _position, tag in sorted(tags):
        parts = tag.replace("_", "-").split("-")
        for part in parts[1:]:
            if len(part) == 2 and part.isalpha():
                return _country(part)
    return ""


def _encode(key: ScanKey) -> str:
    day, batch_id, country = key
    return f"{day.isoformat()}|{batch_id}|{country}"


def _decode(text: str) -> ScanKey:
    day, batch_id, country = text.split("|")
    return datetime.date.fromisoformat(day), int(batch_id), country


@functools.cache
def _redis(url: str) -> redis.Redis:
    seconds = getattr(settings, "CACHE_SOCKET_TIMEOUT", 0.5)
    return redis.Redis.from_url(url, socket_timeout=seconds, socket_connect_timeout=seconds)


def _redis_client() -> redis.Redis | None:
    url = getattr(settings, "REDIS_URL", "")
    return _redis(url) if url else None


def _write_through() -> bool:
    return bool(getattr(settings, "TRACE_SCANS_WRITE_THROUGH", False))


def _upsert_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(ScanCount._meta.db_table)
    batch_table, batch_pk = quote(Batch._meta.db_table), quote(Batch._meta.pk.column)
    batch, day, country, count = (
        quote(ScanCount._meta.get_field(name).column)
        for name in ("batch", "day", "country", "count")
    )
    # INSERT ... SELECT ... WHERE EXISTS: a scan of a batch deleted meanwhile adds nothing
    # (SQLite also needs that WHERE to read ON CONFLICT as the upsert clause).
    return (
        f"INSERT INTO {table} ({batch}, {day}, {country}, {count}) "
        f"SELECT %s, %s, %s, %s WHERE EXISTS (SELECT 1 FROM {batch_table} WHERE {batch_pk} = %s) "
        f"ON CONFLICT ({batch}, {day}, {country}) "
        f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )


def _add_now(counts: Mapping[ScanKey, int]) -> None:
    """Add scans to ScanCount straight away (TRACE_SCANS_WRITE_THROUGH): one upsert per
    (day, batch, country), in PostgreSQL and SQLite alike. A database that refuses (locked,
    gone) drops the scans with a warning: a scan is not worth the page's 500."""
    rows = [
        (batch_id, connection.ops.adapt_datefield_value(day), _country(country), count, batch_id)
        for (day, batch_id, country), count in sorted(counts.items())
        if count > 0
    ]
    if not rows:
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for row in rows:
                cursor.execute(_upsert_sql(), row)
    except DatabaseError as exc:
        logger.warning("%d scans not counted: %s", sum(row[3] for row in rows), exc)


def record_scan(*, batch_id: int, country: str, day: datetime.date | None = None) -> None:
    """Count one scan of a batch's link. One Redis round trip; never touches the database,
    except on the embedded default (TRACE_SCANS_WRITE_THROUGH): one upsert there.

    A Redis outage drops the count rather than the page (logged once per outage window by
    shop.cache_outage): the scan is not worth a 500, and counting it in the database would
    put a write on every scan just when the cache in front of the pages is gone.
    """
    day = day or timezone.localdate()
    if _write_through():
        _add_now({(day, batch_id, country): 1})
        return
    field = _encode((day, batch_id, _country(country)))
    client = _redis_client()
    if client is not None:
        if not cache_outage.available():
            return
        try:
            client.hincrby(f"{KEY_PREFIX}:pending", field, 1)
        except cache_outage.ERRORS as exc:
            cache_outage.failed(exc, operation="scan count")
        except redis.RedisError:
            return
        return
    key = f"{KEY_PREFIX}:c:{field}"
    if not cache.add(key, 1, None):
        cache.incr(key)
    index = cache.get(f"{KEY_PREFIX}:index") or set()
    if field not in index:
        cache.set(f"{KEY_PREFIX}:index", index | {field}, None)


def record_scans(*, counts: Mapping[ScanKey, int]) -> None:
    """Count many scans at once, (day, batch id, country) -> scans: a web process's buffer
    (traceability.local_cache). One Redis round trip; never touches the database, but for
    the embedded default's upserts (TRACE_SCANS_WRITE_THROUGH)."""
    if _write_through():
        _add_now(counts)
        return
    client = _redis_client()
    if client is None:
        for (day, batch_id, country), count in counts.items():
            for _ in range(count):
                record_scan(batch_id=batch_id, country=country, day=day)
        return
    if not cache_outage.available():
        return
    pipe = client.pipeline(transaction=False)
    for (day, batch_id, country), count in counts.items():
        pipe.hincrby(f"{KEY_PREFIX}:pending", _encode((day, batch_id, _country(country))), count)
    try:
        pipe.execute()
    except cache_outage.ERRORS as exc:
        cache_outage.failed(exc, operation="scan counts")
    except redis.RedisError:
        return


def _apply(token: str, counts: Counter) -> int:
    """Add one set of counters to ScanCount, once: a token already applied adds nothing."""
    existing = set(
        Batch.objects.filter(pk__in={key[1] for key in counts}).values_list("pk", flat=True)
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                ScanFlush.objects.create(token=token, scans=sum(counts.values()))
        except IntegrityError:
            return 0
        for (day, batch_id, country), count in sorted(counts.items()):
            if batch_id not in existing or count <= 0:
                continue
            filters = {"batch_id": batch_id, "day": day, "country": country}
            if not ScanCount.objects.filter(**filters).update(count=F("count") + count):
                try:
                    with transaction.atomic():
                        ScanCount.objects.create(**filters, count=count)
                except IntegrityError:
                    ScanCount.objects.filter(**filters).update(count=F("count") + count)
    return sum(counts.values())


def _flush_redis(client: redis.Redis) -> int:
    pending = f"{KEY_PREFIX}:pending"
    # Leftovers of a flush that stopped half-way come first; then the current counters.
    names = [name.decode() for name in client.scan_iter(f"{KEY_PREFIX}:flushing:*")]
    if client.exists(pending):
        name = f"{KEY_PREFIX}:flushing:{uuid.uuid4().hex}"
        try:
            client.rename(pending, name)
            names.append(name)
        except redis.ResponseError:
            pass  # the pending hash vanished between EXISTS and RENAME: nothing to do
    total = 0
    for name in names:
        raw = client.hgetall(name)
        counts = Counter({_decode(k.decode()): int(v) for k, v in raw.items()})
        total += _apply(name.rsplit(":", 1)[-1], counts)
        client.delete(name)
    return total


def _flush_cache() -> int:
    index_key = f"{KEY_PREFIX}:index"
    fields = cache.get(index_key) or set()
    values = cache.get_many([f"{KEY_PREFIX}:c:{field}" for field in fields])
    counts = Counter(
        {_decode(key.split(":c:", 1)[1]): int(value) for key, value in values.items() if value}
    )
    total = _apply(uuid.uuid4().hex, counts)
    for key, value in values.items():
        if value:
            cache.decr(key, int(value))
    return total


def flush_scans() -> int:
    """Move the pending scan counters into ScanCount. Idempotent; returns scans added."""
    client = _redis_client()
    return _flush_redis(client) if client is not None else _flush_cache()
