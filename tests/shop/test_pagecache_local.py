"""The process's own copy of the pages it served (shop.pagecache, PAGE_LOCAL_SECONDS):
answered again without the shared cache while fresh, dropped at once by this process's
invalidations, read from the shared cache again once it expires."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shop import inventory, pagecache
from shop.models import MovementKind, Product
from tests.shop.test_pagecache import lotus_tea  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_copies(settings):
    settings.PAGE_CACHE_SECONDS = 30
    settings.PAGE_LOCAL_SECONDS = 1
    cache.clear()
    pagecache._local.clear()
    yield
    pagecache._local.clear()
    cache.clear()


def html_of(url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_page_served_a_moment_ago_is_answered_from_memory(lotus_tea):  # noqa: F811
    url = lotus_tea.get_absolute_url()
    html_of(url)
    # the shared cache loses everything and the name changes without an invalidation
    cache.clear()
    Product.objects.filter(pk=lotus_tea.pk).update(name_en="Renamed tea")

    html, queries = html_of(url)

    assert queries == 0
    assert "West Lake lotus tea" in html


def test_this_processs_invalidation_drops_its_copies_at_once(
    lotus_tea,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    url = lotus_tea.get_absolute_url()
    batch = lotus_tea.variants.get().batches.get()
    assert "left in this batch" not in html_of(url)[0]

    with django_capture_on_commit_callbacks(execute=True):
        inventory.record_movement(
            batch_id=batch.pk, kind=MovementKind.DAMAGED, quantity=-18, reason="Crushed boxes"
        )

    assert "Only 2 left in this batch" in html_of(url)[0]


def test_an_expired_copy_is_read_again_from_the_shared_cache(lotus_tea, monkeypatch):  # noqa: F811
    url = lotus_tea.get_absolute_url()
    html_of(url)
    Product.objects.filter(pk=lotus_tea.pk).update(name_en="Renamed tea")
    pagecache.invalidate()  # as another process would, but keep a stale copy here
    pagecache._local.clear()
    html_of(url)  # the new version rendered and kept
    clock = pagecache.time.monotonic() + 5
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock)
    cache.clear()

    html, queries = html_of(url)

    assert queries > 0  # rendered again: the copy had expired and the cache was empty
    assert "Renamed tea" in html


def test_with_the_local_copy_off_nothing_is_kept(lotus_tea, settings):  # noqa: F811
    settings.PAGE_LOCAL_SECONDS = 0
    html_of(lotus_tea.get_absolute_url())
    assert not pagecache._local


def test_at_most_so_many_pages_are_kept(lotus_tea, monkeypatch):  # noqa: F811
    monkeypatch.setattr(pagecache, "LOCAL_PAGES", 3)
    for page in range(1, 6):
        Client().get("/products/", {"page": page})
    assert len(pagecache._local) == 3
