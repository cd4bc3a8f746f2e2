"""Scan counting: one counter bump per scan, flushed to ScanCount once, even when retried."""

import datetime
import os

import pytest
import redis
from django.conf import settings as django_settings
from django.utils import timezone

from tests.factories import BatchFactory
from traceability import scans, selectors
from traceability.links import digital_link_path
from traceability.models import ScanCount, ScanFlush
from worker.tasks.scans import flush_scan_counts

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 1)


@pytest.fixture(params=["cache", "redis"])
def store(request, settings):
    """Run a test against the Django-cache counters (embedded) and real Redis (production)."""
    if request.param == "cache":
        settings.REDIS_URL = ""
        yield "cache"
        return
    url = django_settings.REDIS_URL or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but Redis is unreachable")
        pytest.skip("Redis is not running here")
    settings.REDIS_URL = url
    yield "redis"
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{scans.KEY_PREFIX}:*"):
        client.delete(key)


def counts() -> dict:
    return {(row.batch_id, row.day, row.country): row.count for row in ScanCount.objects.all()}


@pytest.mark.parametrize(
    ("meta", "country"),
    [
        ({"HTTP_CF_IPCOUNTRY": "de", "HTTP_ACCEPT_LANGUAGE": "vi-VN"}, "DE"),
        ({"HTTP_CLOUDFRONT_VIEWER_COUNTRY": "JP"}, "JP"),
        ({"HTTP_CF_IPCOUNTRY": "XX", "HTTP_ACCEPT_LANGUAGE": "vi-VN,vi;q=0.9"}, "VN"),
        ({"HTTP_CF_IPCOUNTRY": "T1", "HTTP_ACCEPT_LANGUAGE": "en"}, ""),
        ({"HTTP_ACCEPT_LANGUAGE": "en;q=0.5, de-AT;q=0.9"}, "AT"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-Hant-TW"}, "TW"),
        ({"HTTP_ACCEPT_LANGUAGE": "es-419,fr"}, ""),
        ({"HTTP_ACCEPT_LANGUAGE": "en-QQ"}, ""),
        ({"HTTP_ACCEPT_LANGUAGE": "en-US;q=abc"}, ""),
        ({}, ""),
    ],
)
def test_country_comes_from_the_proxy_header_else_the_language_region(meta, country):
    assert scans.country_from_request_meta(meta) == country


def test_scans_are_counted_by_day_and_country_and_flushed_once(store):
    # Given scans of two batches from two countries on one day
    first, second = BatchFactory(), BatchFactory()
    for _ in range(3):
        scans.record_scan(batch_id=first.pk, country="DE", day=DAY)
    scans.record_scan(batch_id=first.pk, country="vn", day=DAY)
    scans.record_scan(batch_id=second.pk, country="", day=DAY)

    # When the counters are flushed twice
    added = scans.flush_scans()
    added_again = scans.flush_scans()

    # Then each scan was counted exactly once
    assert (added, added_again) == (5, 0)
    assert counts() == {
        (first.pk, DAY, "DE"): 3,
        (first.pk, DAY, "VN"): 1,
        (second.pk, DAY, ""): 1,
    }


def test_later_scans_add_to_the_same_row(store):
    batch = BatchFactory()
    scans.record_scan(batch_id=batch.pk, country="US", day=DAY)
    scans.flush_scans()

    scans.record_scan(batch_id=batch.pk, country="US", day=DAY)
    scans.record_scan(batch_id=batch.pk, country="US", day=DAY)
    flush_scan_counts.delay()

    assert counts() == {(batch.pk, DAY, "US"): 3}


def test_a_flush_that_stopped_after_writing_is_not_counted_twice(settings, store):
    if store != "redis":
        pytest.skip("crash recovery is the Redis store's promise")
    # Given a flush that wrote its counts and recorded its token, then died before DEL
    batch = BatchFactory()
    scans.record_scan(batch_id=batch.pk, country="FR", day=DAY)
    client = redis.Redis.from_url(settings.REDIS_URL)
    leftover = f"{scans.KEY_PREFIX}:flushing:crashed"
    client.rename(f"{scans.KEY_PREFIX}:pending", leftover)
    scans._apply("crashed", {(DAY, batch.pk, "FR"): 1})

    # When the next flush runs
    scans.record_scan(batch_id=batch.pk, country="FR", day=DAY)
    scans.flush_scans()

    # Then the leftover was dropped, not added again, and the new scan was added
    assert counts() == {(batch.pk, DAY, "FR"): 2}
    assert not client.exists(leftover)
    assert ScanFlush.objects.filter(token="crashed").count() == 1


def test_a_flush_that_stopped_before_writing_is_finished_by_the_next(settings, store):
    if store != "redis":
        pytest.skip("crash recovery is the Redis store's promise")
    batch = BatchFactory()
    scans.record_scan(batch_id=batch.pk, country="FR", day=DAY)
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.rename(f"{scans.KEY_PREFIX}:pending", f"{scans.KEY_PREFIX}:flushing:died-early")

    scans.flush_scans()

    assert counts() == {(batch.pk, DAY, "FR"): 1}


def test_scans_of_a_deleted_batch_are_dropped(store):
    batch = BatchFactory()
    scans.record_scan(batch_id=batch.pk + 1000, country="FR", day=DAY)
    scans.record_scan(batch_id=batch.pk, country="FR", day=DAY)

    scans.flush_scans()

    assert counts() == {(batch.pk, DAY, "FR"): 1}


def test_opening_the_page_counts_a_scan_but_head_and_machine_reads_do_not(client, store):
    # Given a batch
    batch = BatchFactory()
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)

    # When it is opened twice by a phone in Germany (the second time from the page cache),
    # once through gs1:pip, and read by machines
    client.get(path, HTTP_CF_IPCOUNTRY="DE")
    client.get(path, HTTP_CF_IPCOUNTRY="DE")
    client.get(path + "?linkType=gs1:pip", HTTP_ACCEPT_LANGUAGE="vi-VN")
    client.head(path)
    client.get(path, HTTP_ACCEPT="application/linkset+json")
    client.get(path, {"linkType": "gs1:recallStatus"})
    scans.flush_scans()

    # Then three scans were counted, with no personal data beside them
    today = timezone.localdate()
    assert counts() == {(batch.pk, today, "DE"): 2, (batch.pk, today, "VN"): 1}


def test_the_selector_lists_scans_by_day_and_country(store):
    batch, other = BatchFactory(), BatchFactory()
    for day, country, times in [(DAY, "DE", 2), (DAY, "VN", 5), (DAY.replace(day=2), "DE", 1)]:
        for _ in range(times):
            scans.record_scan(batch_id=batch.pk, country=country, day=day)
    scans.record_scan(batch_id=other.pk, country="DE", day=DAY)
    scans.flush_scans()

    rows = selectors.scans_by_day_and_country(batch_id=batch.pk)
    recent = selectors.scans_by_day_and_country(batch_id=batch.pk, since=DAY.replace(day=2))

    assert rows == [
        {"day": DAY.replace(day=2), "country": "DE", "count": 1},
        {"day": DAY, "country": "VN", "count": 5},
        {"day": DAY, "country": "DE", "count": 2},
    ]
    assert recent == [{"day": DAY.replace(day=2), "country": "DE", "count": 1}]
