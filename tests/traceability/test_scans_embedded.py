"""Scans on the embedded default (no Redis, no broker, no beat): each scan reaches ScanCount
as it happens, one upsert, so the workspace shows them without a flush. The Redis path is
tests/traceability/test_scans.py's."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import BatchFactory, StaffFactory
from tests.traceability.factories import add_events
from traceability import scans
from traceability.links import digital_link_path
from traceability.models import ScanCount

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def embedded(settings):
    """The embedded default's scan settings: no Redis, scans written through."""
    settings.REDIS_URL = ""
    settings.TRACE_SCANS_WRITE_THROUGH = True
    settings.TRACE_SCAN_BUFFER_SECONDS = 0
    settings.TRACE_LOCAL_PAGE_SECONDS = 0


def counts() -> dict:
    return {(row.batch_id, row.country): row.count for row in ScanCount.objects.all()}


def test_scanning_a_trace_page_n_times_shows_n_in_the_workspace(client, embedded):
    # Given a batch of a cooperative whose staff member reads the workspace in English
    batch = BatchFactory(lot_code="EMB-1")
    add_events(batch, 2)
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)

    # When its Digital Link is scanned 7 times (the first renders, the rest are cache hits)
    answers = [client.get(path, HTTP_ACCEPT_LANGUAGE="vi-VN").status_code for _ in range(7)]

    # Then all 7 are in ScanCount at once, with no flush and no beat
    assert answers == [200] * 7
    assert counts() == {(batch.pk, "VN"): 7}
    staff = StaffFactory(cooperative=batch.variant.product.cooperative)
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    insight = client.get(f"/coop/insight/?batch={batch.pk}")
    assert "7 scans of EMB-1 in the last 30 days" in insight.content.decode()
    # and a flush (were a beat to run after all) adds nothing twice
    assert scans.flush_scans() == 0
    assert counts() == {(batch.pk, "VN"): 7}


def test_a_cached_scan_costs_one_statement_the_upsert(client, embedded):
    batch = BatchFactory()
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    client.get(path)

    with CaptureQueriesContext(connection) as queries:
        client.get(path)

    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1
    assert statements[0].startswith(f'INSERT INTO "{ScanCount._meta.db_table}"')
    assert counts() == {(batch.pk, ""): 2}


def test_scans_by_day_and_country_add_to_one_row_each(embedded):
    batch = BatchFactory()
    today = timezone.localdate()

    for country in ["de", "DE", "JP", "XX"]:
        scans.record_scan(batch_id=batch.pk, country=country, day=today)
    scans.record_scans(counts={(today, batch.pk, "JP"): 3})

    assert counts() == {(batch.pk, "DE"): 2, (batch.pk, "JP"): 4, (batch.pk, ""): 1}


def test_a_scan_of_a_batch_deleted_meanwhile_adds_nothing_and_raises_nothing(embedded):
    scans.record_scan(batch_id=987654321, country="VN")

    assert ScanCount.objects.count() == 0


def test_with_write_through_off_scans_wait_for_the_flush_as_in_production(settings):
    settings.REDIS_URL = ""
    settings.TRACE_SCANS_WRITE_THROUGH = False
    batch = BatchFactory()

    scans.record_scan(batch_id=batch.pk, country="VN")

    assert ScanCount.objects.count() == 0
    assert scans.flush_scans() == 1
    assert counts() == {(batch.pk, "VN"): 1}


@pytest.mark.parametrize(("redis_url", "expected"), [(None, "True"), ("redis://x:1/0", "False")])
def test_the_base_settings_write_through_only_without_redis(tmp_path, redis_url, expected):
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env |= {"OCOP_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "shop.settings.base"}
    if redis_url:
        env["REDIS_URL"] = redis_url
    code = "from django.conf import settings; print(settings.TRACE_SCANS_WRITE_THROUGH)"

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )

    assert result.stdout.strip() == expected, result.stderr
