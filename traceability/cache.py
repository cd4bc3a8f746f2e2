"""The trace page's HTML cache and its explicit invalidation.

A page is stored under a key made of the batch, a version token, the batch's status, the
language and today's date. Writers that change what the page shows call one of the
invalidate_* functions below (after commit) to give the batch a fresh token, so old copies
are never read again and expire on their own. No signals: each service that writes a batch,
its events, its product or its cooperative calls these.

The status and the date in the key are a second line of defence: a recall shows at once
even if a writer forgot to invalidate, and an OCOP certificate that lapses overnight is
shown as expired from the next morning.
"""

import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from shop.models import Batch
from traceability.models import TraceEvent

PAGE_SECONDS = getattr(settings, "TRACE_PAGE_CACHE_SECONDS", 60 * 60)
_VERSION_KEY = "trace:version:{batch_id}"
_PAGE_KEY = "trace:page:{batch_id}:{version}:{status}:{language}:{day}"


def _version(batch_id: int) -> str:
    key = _VERSION_KEY.format(batch_id=batch_id)
    version = cache.get(key)
    if version is None:
        # A missing token (never set, or evicted) becomes a new one, never an old one, so
        # a page cached under an earlier token cannot come back.
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return version


def page_key(*, batch_id: int, status: str, language: str) -> str:
    return _PAGE_KEY.format(
        batch_id=batch_id,
        version=_version(batch_id),
        status=status,
        language=language,
        day=timezone.localdate().isoformat(),
    )


def cached_page(*, batch_id: int, status: str, language: str, render: Callable[[], str]) -> str:
    """The page's HTML from the cache, or rendered by `render()` and stored."""
    key = page_key(batch_id=batch_id, status=status, language=language)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, PAGE_SECONDS)
    return html


def invalidate_batches(batch_ids: Iterable[int]) -> None:
    """Give each batch, and every gift set assembled from it, a fresh page version."""
    ids = set(batch_ids)
    if not ids:
        return
    # A gift set's page shows its components' origins, so it goes stale with them.
    ids |= set(
        TraceEvent.objects.filter(inputs__in=ids).values_list("batch_id", flat=True).distinct()
    )
    cache.set_many({_VERSION_KEY.format(batch_id=i): uuid.uuid4().hex for i in ids}, None)


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
    """Call after a village's name or coordinates change."""
    invalidate_batches(Batch.objects.filter(village_id=village_id).values_list("pk", flat=True))
