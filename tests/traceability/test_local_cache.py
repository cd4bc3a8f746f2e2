"""A process's own copy of its hottest link entries and its buffer of scans
(traceability.local_cache), as production turns them on: pages from memory until they expire
or this process invalidates them, scans sent to the shared counters in one batch."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.models import Product
from tests.factories import BatchFactory
from tests.traceability.factories import add_events
from traceability import cache as page_cache
from traceability import local_cache, scans
from traceability.links import digital_link_path
from traceability.models import ScanCount

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_process_state():
    local_cache._pages.clear()
    local_cache._buffer.clear()
    yield
    local_cache._pages.clear()
    local_cache._buffer.clear()


@pytest.fixture
def batch():
    batch = BatchFactory()
    add_events(batch, 2)
    return batch


def get(client, batch):
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def forget_shared_entry(batch) -> None:
    """The shared cache loses the link entry (evicted): only this process may still have it."""
    cache.delete(page_cache._link_key(gtin=batch.variant.gtin, lot=batch.lot_code, language="en"))


def counted(batch) -> list[tuple[str, int]]:
    scans.flush_scans()
    return list(ScanCount.objects.filter(batch=batch).values_list("country", "count"))


def test_a_hot_page_comes_from_the_process_memory(client, batch, settings):
    settings.TRACE_LOCAL_PAGE_SECONDS = 60
    first, _ = get(client, batch)  # rendered
    get(client, batch)  # from the shared cache, and kept by this process

    forget_shared_entry(batch)
    again, queries = get(client, batch)

    assert (again, queries) == (first, 0)
    assert counted(batch) == [("", 3)]  # without buffering, each scan is counted at once


def test_another_accept_language_or_query_is_another_answer(client, batch, settings):
    settings.TRACE_LOCAL_PAGE_SECONDS = 60
    for _ in range(2):
        get(client, batch)
    forget_shared_entry(batch)
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)

    vietnamese = client.get(path, HTTP_ACCEPT_LANGUAGE="vi")
    linkset = client.get(path, {"linkType": "linkset"})

    assert vietnamese["Content-Language"] == "vi"
    assert linkset["Content-Type"] == "application/linkset+json"


def test_the_copy_expires(client, batch, settings):
    settings.TRACE_LOCAL_PAGE_SECONDS = 0.05
    get(client, batch)
    get(client, batch)

    time.sleep(0.1)
    forget_shared_entry(batch)
    _html, queries = get(client, batch)

    assert queries == 1  # the lookup by link; the page itself is in the shared cache


def test_an_invalidation_in_this_process_drops_its_copy_at_once(client, batch, settings):
    settings.TRACE_LOCAL_PAGE_SECONDS = 60
    get(client, batch)
    get(client, batch)
    Product.objects.filter(pk=batch.variant.product_id).update(name_en="Renamed in the admin")

    page_cache.invalidate_product(product_id=batch.variant.product_id)

    html, _queries = get(client, batch)
    assert "Renamed in the admin" in html


def test_buffered_scans_reach_the_counters_when_flushed(client, batch, settings):
    settings.TRACE_LOCAL_PAGE_SECONDS = 60
    settings.TRACE_SCAN_BUFFER_SECONDS = 3600
    for _ in range(3):
        get(client, batch)
    assert counted(batch) == []

    sent = local_cache.flush()

    assert sent == 3
    assert counted(batch) == [("", 3)]


def test_only_the_newest_pages_are_kept(settings):
    settings.TRACE_LOCAL_PAGE_SECONDS = 60
    for n in range(local_cache.LOCAL_ENTRIES + 1):
        local_cache.put(f"key-{n}", (n, b"<p>page</p>"))

    assert local_cache.get("key-0") is None
    assert local_cache.get(f"key-{local_cache.LOCAL_ENTRIES}") == (
        local_cache.LOCAL_ENTRIES,
        b"<p>page</p>",
    )
    assert len(local_cache._pages) == local_cache.LOCAL_ENTRIES


def test_both_are_off_by_default(client, batch):
    get(client, batch)
    forget_shared_entry(batch)

    _html, queries = get(client, batch)

    assert queries == 1
    assert counted(batch) == [("", 2)]
