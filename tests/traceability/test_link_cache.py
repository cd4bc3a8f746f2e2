"""The link entries in front of the trace page cache: a scanned Digital Link is answered
without SQL and its scan counted (in one Redis round trip when the cache is Redis), HEAD is
answered but not counted, and a page rendered while a writer commits is not kept."""

import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import BatchFactory
from tests.traceability.factories import add_events
from traceability import cache as page_cache
from traceability import link_cache, scans
from traceability.links import digital_link_path
from traceability.models import ScanCount

pytestmark = pytest.mark.django_db


def path_of(batch) -> str:
    return digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)


def get(client, batch, method="get", **headers):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path_of(batch), **headers)
    assert response.status_code == 200
    return response, len(queries)


def counted(batch) -> list[tuple[str, int]]:
    scans.flush_scans()
    return list(ScanCount.objects.filter(batch=batch).values_list("country", "count"))


@pytest.fixture
def redis_cache(settings):
    """The cache on the same Redis as the scan counters, as in production (django-redis)."""
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (run with CI=true or REDIS_URL)")
    prefix = f"test-links-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    assert link_cache._raw_redis() is not None
    yield
    client = link_cache._raw_redis()
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_a_scanned_link_is_answered_without_sql_and_every_scan_counted(client):
    batch = BatchFactory()
    add_events(batch, 3)
    first, rendered = get(client, batch, HTTP_ACCEPT_LANGUAGE="de-DE")

    answers = [get(client, batch, HTTP_ACCEPT_LANGUAGE="de-DE") for _ in range(3)]

    # The lot, the page's batch, its events (with inputs) and its signed head.
    assert rendered == 4
    assert [queries for _response, queries in answers] == [0, 0, 0]
    assert {response.content for response, _ in answers} == {first.content}
    assert answers[0][0]["Link"] == first["Link"]
    assert counted(batch) == [("DE", 4)]


def test_head_is_answered_from_the_cache_but_not_counted(client):
    batch = BatchFactory()
    get(client, batch)

    response, queries = get(client, batch, method="head")

    assert (queries, response.content) == (0, b"")
    assert counted(batch) == [("", 1)]


def test_a_page_rendered_while_a_writer_commits_is_not_kept(client):
    # Given a render that a writer's invalidation overtakes (it commits mid-render)
    batch = BatchFactory()
    add_events(batch, 1)

    def render_then_writer_commits() -> str:
        page_cache.invalidate_batch_page(batch_id=batch.pk)
        return "<p>stale</p>"

    page_cache.cached_page(
        batch_id=batch.pk,
        status=batch.status,
        language="en",
        render=render_then_writer_commits,
        link=(batch.variant.gtin, batch.lot_code),
    )

    # Then no link entry answers the next scan: it is read and rendered again
    assert page_cache.link_page(gtin=batch.variant.gtin, lot=batch.lot_code, language="en") is None
    response, queries = get(client, batch)
    assert b"stale" not in response.content
    assert queries == 4  # lookup, batch, events with their inputs, the latest signed head


def test_with_redis_a_hit_is_one_script_call_that_also_counts_the_scan(
    client, redis_cache, monkeypatch
):
    # Given a page already scanned once (rendered, its link entry stored in Redis)
    batch = BatchFactory()
    add_events(batch, 2)
    get(client, batch, HTTP_ACCEPT_LANGUAGE="vi-VN")

    # When it is scanned five times more, with the separate scan counter out of reach
    def no_second_round_trip(**kwargs):
        raise AssertionError("a hit must count its scan inside the cache read")

    monkeypatch.setattr(scans, "record_scan", no_second_round_trip)
    answers = [get(client, batch, HTTP_ACCEPT_LANGUAGE="vi-VN") for _ in range(5)]

    # Then no SQL was run, and the script counted every scan in the same round trip
    assert [queries for _response, queries in answers] == [0] * 5
    assert counted(batch) == [("VN", 6)]


def test_with_redis_an_invalidation_drops_the_entry(client, redis_cache):
    batch = BatchFactory()
    add_events(batch, 1)
    get(client, batch)
    batch.variant.product.__class__.objects.filter(pk=batch.variant.product_id).update(
        name_en="Renamed at the cooperative"
    )

    page_cache.invalidate_product(product_id=batch.variant.product_id)

    response, queries = get(client, batch)
    assert "Renamed at the cooperative" in response.content.decode()
    assert queries == 4  # lookup, batch, events with their inputs, the latest signed head


def test_with_redis_an_entry_of_another_shape_is_a_miss_not_an_error(client, redis_cache):
    batch = BatchFactory()
    add_events(batch, 1)
    key = page_cache._link_key(gtin=batch.variant.gtin, lot=batch.lot_code, language="en")
    from django.core.cache import cache

    cache.set(key, ("not", "ours"))  # pickled by django-redis, as an older release stored it

    response, queries = get(client, batch)

    assert queries == 4  # lookup, batch, events with their inputs, the latest signed head
    assert counted(batch) == [("", 1)]
    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL
