"""The trace page's HTML cache and its explicit invalidation.

Two layers. A rendered page is stored under a key made of the batch, a version token, the
batch's status, the language and today's date. In front of it, a scanned Digital Link is
answered from a *link entry* keyed by the link itself (GTIN, lot, language, date) that holds
the batch id and the HTML: no SQL, and one Redis round trip that also counts the scan
(traceability.link_cache). Production processes keep their hottest entries in memory for a
second and send their scans to Redis once a second (traceability.local_cache), so a QR code
scanned over and over is nearly as cheap as Django's own minimal response (bench/trace.py).

Writers that change what the page shows call one of the invalidate_* functions below (after
commit). They give the batch a fresh version token, so pages rendered earlier are never read
again, and then delete its link entries (found through a small index per batch and
language). A link entry stored while a writer was committing is caught the same way: it is
stored only if the batch's version did not change while the page was rendered, so a stale
page never outlives the invalidation that should have removed it. No signals: each service
that writes a batch, its events, its product, its cooperative or its village calls these
(traceability.events, traceability.recalls, the shop and traceability admins).

A link entry lives LINK_SECONDS; past that the link is looked up in the database again and
the page read by version, status and date. A writer that forgot to invalidate is therefore
seen within LINK_SECONDS (the status in the page key then shows a recall at once), and an
OCOP certificate that lapses overnight is shown as expired from the next morning.
"""

import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import timezone

from shop import cache_outage
from shop.models import Batch
from traceability import link_cache, local_cache
from traceability.models import TraceEvent

PAGE_SECONDS = getattr(settings, "TRACE_PAGE_CACHE_SECONDS", 60 * 60)
LINK_SECONDS = getattr(settings, "TRACE_LINK_CACHE_SECONDS", 10 * 60)
_VERSION_KEY = "trace:version:{batch_id}"
_PAGE_KEY = "trace:page:{batch_id}:{version}:{status}:{language}:{day}"
_LINK_KEY = "trace:link:{gtin}:{lot}:{language}:{day}"
_LINK_INDEX_KEY = "trace:links:{batch_id}:{language}"


def _version(batch_id: int) -> str:
    key = _VERSION_KEY.format(batch_id=batch_id)
    version = cache_outage.get(key)
    if version is None:
        # A missing token (never set, or evicted) becomes a new one, never an old one, so
        # a page cached under an earlier token cannot come back.
        cache_outage.add(key, uuid.uuid4().hex, None)
        version = cache_outage.get(key)
    return version


def _link_key(*, gtin: str, lot: str, language: str, day=None) -> str:
    # Lots are GS1 character set 82: no spaces or control characters, nothing a key forbids.
    day = (day or timezone.localdate()).isoformat()
    return _LINK_KEY.format(gtin=gtin, lot=lot, language=language, day=day)


def link_page(
    *, gtin: str, lot: str, language: str, scan_country: str | None = None
) -> tuple[int, bytes] | None:
    """(batch id, UTF-8 HTML) of the trace page answering this Digital Link, if cached. A
    hit with `scan_country` also counts the scan: in the same Redis round trip
    (traceability.link_cache), or in the process's buffer when it keeps one."""
    day = timezone.localdate()
    key = _link_key(gtin=gtin, lot=lot, language=language, day=day)
    buffered = local_cache.buffering()
    entry = link_cache.read(key=key, scan_country=None if buffered else scan_country, day=day)
    if entry is not None and buffered and scan_country is not None:
        local_cache.count_scan(batch_id=entry[0], country=scan_country, day=day)
    return entry


def cached_page(
    *,
    batch_id: int,
    status: str,
    language: str,
    render: Callable[[], str],
    link: tuple[str, str] | None = None,
) -> str:
    """The page's HTML from the cache, or rendered by `render()` and stored. With `link`
    (its GTIN-14 and lot), the link entry that answers the next scans is stored as well."""
    version = _version(batch_id)
    key = _PAGE_KEY.format(
        batch_id=batch_id,
        version=version,
        status=status,
        language=language,
        day=timezone.localdate().isoformat(),
    )
    html = cache_outage.get(key)
    if html is None:
        html = render()
        cache_outage.set(key, html, PAGE_SECONDS)
    if link is not None:
        _store_link(batch_id=batch_id, version=version, link=link, language=language, html=html)
    return html


def _store_link(*, batch_id: int, version: str, link: tuple[str, str], language: str, html: str):
    gtin, lot = link
    key = _link_key(gtin=gtin, lot=lot, language=language)
    index = _LINK_INDEX_KEY.format(batch_id=batch_id, language=language)
    cache_outage.set(index, key, LINK_SECONDS)
    link_cache.write(key=key, batch_id=batch_id, html=html, timeout=LINK_SECONDS)
    # An invalidation that ran while this page was read and rendered changed the version
    # (it changes it before deleting link entries): then this entry may be stale, drop it.
    if cache_outage.get(_VERSION_KEY.format(batch_id=batch_id)) != version:
        cache_outage.delete(key)


def invalidate_batches(batch_ids: Iterable[int]) -> None:
    """Give each batch, and every gift set assembled from it, a fresh page version."""
    ids = set(batch_ids)
    if not ids:
        return
    # A gift set's page shows its components' origins, so it goes stale with them.
    ids |= set(
        TraceEvent.objects.filter(inputs__in=ids).values_list("batch_id", flat=True).distinct()
    )
    local_cache.forget(ids)
    cache_outage.set_many({_VERSION_KEY.format(batch_id=i): uuid.uuid4().hex for i in ids}, None)
    # Then the link entries, after the version: see _store_link for why this order.
    indexes = [
        _LINK_INDEX_KEY.format(batch_id=i, language=language)
        for i in ids
        for language, _name in settings.LANGUAGES
    ]
    links = cache_outage.get_many(indexes)
    cache_outage.delete_many([*links.values(), *indexes])


def invalidate_batch_page(*, batch_id: int) -> None:
    """Call after a batch or its events change (status, dates, village, a new event)."""
    invalidate_batches([batch_id])


def invalidate_product(*, product_id: int) -> None:
    """Call after a product or any of its variants change (name, story, OCOP certificate)."""
    invalidate_batches(
        Batch.objects.filter(variant__product_id=product_id).values_list("pk", flat=True)
    )


def invalidate_cooperative(*, cooperative_id: int) -> None:
    """Call after a cooperative changes (name, address, story, photo)."""
    invalidate_batches(
        Batch.objects.filter(variant__product__cooperative_id=cooperative_id).values_list(
            "pk", flat=True
        )
    )


def invalidate_village(*, village_id: int) -> None:
    """Call after a village's name or coordinates change: the pages of batches from it and
    of batches with an event recorded there."""
    invalidate_batches(
        {
            *Batch.objects.filter(village_id=village_id).values_list("pk", flat=True),
            *TraceEvent.objects.filter(village_id=village_id).values_list("batch_id", flat=True),
        }
    )


def invalidate_province(*, province_id: int) -> None:
    """Call after a province's name changes: every page naming one of its villages."""
    invalidate_batches(
        {
            *Batch.objects.filter(village__province_id=province_id).values_list("pk", flat=True),
            *TraceEvent.objects.filter(village__province_id=province_id).values_list(
                "batch_id", flat=True
            ),
        }
    )
