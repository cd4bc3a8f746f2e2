"""The daily digest carries the buyers' reports received since the last digest: its own
cooperative's only, each once, and a day with nothing but a report still sends."""

import datetime

import pytest
from django.core import mail

from shop.models import DigestSent
from shop.workspace import digest
from traceability import reports
from traceability.models import SuspiciousProductReport
from worker.tasks.digest import send_daily_digests

pytestmark = pytest.mark.django_db

DAY_ONE = datetime.datetime(2026, 3, 1, 23, 0, tzinfo=datetime.UTC)  # 06:00, 2 March, Vietnam


@pytest.fixture(autouse=True)
def quiet_stock(settings):
    settings.LOW_STOCK_THRESHOLD = 0  # nothing low: only the reports are news


def filed(batch, details: str, at: datetime.datetime, lot: str | None = None):
    report = reports.file_report(
        gtin=batch.variant.gtin,
        lot=batch.lot_code if lot is None else lot,
        reason="counterfeit",
        details=details,
    )
    SuspiciousProductReport.objects.filter(pk=report.pk).update(created_at=at)
    return report


def test_a_new_report_alone_sends_the_digest_with_it(coop, staff, batch, other_batch):
    filed(batch, "Seal looks printed, not embossed.", DAY_ONE - datetime.timedelta(hours=5))
    filed(batch, "A lot printed on a sticker.", DAY_ONE - datetime.timedelta(hours=4), "FAKE-1")
    filed(other_batch, "Tea smells of smoke.", DAY_ONE - datetime.timedelta(hours=3))
    reports.file_report(gtin="04890000000423", lot="Z9", reason="other", details="Not ours.")
    staff.preferred_language = "en"
    staff.save()

    sent = digest.send_digest(cooperative_id=coop.pk, now=DAY_ONE)

    assert sent == 1
    [message] = mail.outbox
    assert message.subject == (
        "2 reports from buyers · HTX Nước mắm Hàm Ninh today: 0 to pack, 0 low, 0 expiring"
    )
    assert "Reports from buyers:" in message.body
    # 18:00 UTC on 1 March is 01:00 on 2 March in Vietnam.
    assert (
        "- 02/03/2026 01:00 · I think it is counterfeit · Phu Quoc fish sauce, NMPQ-1: "
        "Seal looks printed, not embossed." in message.body
    )
    assert f"{batch.variant.gtin} FAKE-1 (a lot code you have no record of)" in message.body
    assert "Tea smells of smoke." not in message.body
    assert "Not ours." not in message.body
    assert "https://ocop.example/coop/reports/" in message.body
    html, _kind = message.alternatives[0]
    assert "Seal looks printed, not embossed." in html


def test_the_next_digest_carries_only_the_reports_received_since(coop, staff, batch):
    filed(batch, "First report, about the seal.", DAY_ONE - datetime.timedelta(hours=2))
    digest.send_digest(cooperative_id=coop.pk, now=DAY_ONE)
    filed(batch, "Second report, about the taste.", DAY_ONE + datetime.timedelta(hours=3))
    day_two = DAY_ONE + datetime.timedelta(days=1)

    sent = digest.send_digest(cooperative_id=coop.pk, now=day_two)

    assert sent == 1
    second = mail.outbox[1]
    assert "Second report, about the taste." in second.body
    assert "First report, about the seal." not in second.body
    assert DigestSent.objects.count() == 2


def test_a_day_after_a_digest_with_no_new_report_sends_nothing(coop, staff, batch):
    filed(batch, "Only report, about the seal.", DAY_ONE - datetime.timedelta(hours=2))
    digest.send_digest(cooperative_id=coop.pk, now=DAY_ONE)

    sent = digest.send_digest(cooperative_id=coop.pk, now=DAY_ONE + datetime.timedelta(days=1))

    assert sent == 0
    assert len(mail.outbox) == 1


def test_the_first_digest_carries_every_open_report(coop, staff, batch):
    old = filed(batch, "Reported weeks ago, still open.", DAY_ONE - datetime.timedelta(days=30))
    done = filed(batch, "Reported and already resolved.", DAY_ONE - datetime.timedelta(days=29))
    reports.mark_resolved(report_id=done.pk, cooperative_id=coop.pk)

    built = digest.build_digest(cooperative_id=coop.pk, now=DAY_ONE)

    assert [r.pk for r in built.reports] == [old.pk]


def test_the_beat_task_sends_a_digest_that_has_only_reports(coop, staff, batch):
    reports.file_report(
        gtin=batch.variant.gtin, lot=batch.lot_code, reason="label", details="Label is crooked."
    )

    assert send_daily_digests.delay(cooperative_id=coop.pk).get() == 1
    assert "Label is crooked." in mail.outbox[0].body
