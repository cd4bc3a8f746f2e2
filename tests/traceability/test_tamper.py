"""The trace page's seal: "record intact" only when the chain recomputes, its head is the
one the shop last signed, the batch's facts are the chain's and every photo is the one
recorded; each of the issue's eight tamperings is named on the page (tampering.py)."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import StaffFactory, VillageFactory
from tests.traceability import tampering
from traceability import corrections, selectors
from traceability.links import digital_link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tampering.sealed_lot()


def page_html(client, batch, language="en") -> str:
    batch.refresh_from_db()
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def assert_page_names(client, batch, case: str):
    tamper, failed_checks, _verifier_line = tampering.CASES[case]
    # when an insider tampers with the record
    tamper(batch)
    # then the page shows no green seal and names the check that failed
    html = page_html(client, batch)
    assert "Record intact" not in html
    assert 'class="seal seal-broken"' in html
    named = [
        check for check in ("chain", "signed", "facts", "photos") if f"seal-failure-{check}" in html
    ]
    assert tuple(named) == failed_checks
    assert selectors.trace_page(batch_id=batch.pk).seal.failures == failed_checks


def test_an_untouched_record_is_intact_on_the_page(client, lot):
    html = page_html(client, lot)

    assert "Record intact: all 4 stages below are sealed" in html
    assert "seal-failure" not in html
    assert f'href="/trace/checkpoints/?batch={lot.pk}"' in html


def test_page_detects_a_changed_field(client, lot):
    assert_page_names(client, lot, "changed_field")


def test_page_detects_a_deleted_middle_event(client, lot):
    assert_page_names(client, lot, "deleted_middle_event")


def test_page_detects_a_deleted_last_event(client, lot):
    assert_page_names(client, lot, "deleted_last_event")


def test_page_detects_two_events_swapped(client, lot):
    assert_page_names(client, lot, "two_events_swapped")


def test_page_detects_an_event_rewritten_with_every_later_hash_recomputed(client, lot):
    assert_page_names(client, lot, "rewritten_with_later_hashes_recomputed")


def test_page_detects_a_forged_event_appended_with_a_correct_hash(client, lot):
    assert_page_names(client, lot, "forged_event_appended")


def test_page_detects_a_batch_fact_edited_in_the_database(client, lot):
    assert_page_names(client, lot, "batch_fact_edited")


def test_page_detects_a_swapped_photo_file(client, lot):
    assert_page_names(client, lot, "photo_file_swapped")


def test_the_failed_checks_are_named_in_vietnamese(client, lot):
    tampering.delete_the_last_event(lot)
    tampering.edit_a_batch_fact(lot)

    html = page_html(client, lot, language="vi")

    assert "Record intact" not in html
    assert "Các bước không khớp với bản niêm phong có chữ ký gần nhất" in html
    assert "Mã lô, ngày hoặc làng hiển thị khác với thông tin ghi trong các bước." in html


def test_a_corrected_batch_is_still_intact(client, lot):
    # given staff of the cooperative correcting the harvest date, the village and the lot code
    staff = StaffFactory(cooperative=lot.variant.product.cooperative)
    new_day = lot.harvest_date - datetime.timedelta(days=1)
    corrections.correct_batch(
        batch=lot, field="harvest_date", value=new_day, reason="Typo", actor=staff
    )
    corrections.correct_batch(
        batch=lot, field="village", value=VillageFactory(), reason="Wrong village", actor=staff
    )
    corrections.correct_batch(
        batch=lot, field="lot_code", value="SEAL-2612", reason="Misprint", actor=staff
    )

    # then the page is intact: the chain's facts fold to the corrected batch
    html = page_html(client, lot)
    assert "Record intact: all 7 stages below are sealed" in html
    page = selectors.trace_page(batch_id=lot.pk)
    assert page.seal.failures == ()
    assert page.events[-1].facts == {"lot": "SEAL-2612"}
    assert page.events[4].facts == {"harvest_date": new_day.isoformat()}


def test_an_unsigned_record_written_by_hand_is_not_intact(client, lot):
    # given a signed record whose checkpoint rows were removed by an insider
    from traceability.models import CheckpointHead

    CheckpointHead.objects.filter(batch_id=lot.pk).delete()

    html = page_html(client, lot)

    assert "Record intact" not in html
    assert 'class="seal-failure-signed"' in html


def test_the_seal_is_checked_when_the_page_renders_not_later(
    client, lot, django_capture_on_commit_callbacks
):
    # given a page rendered and cached while intact
    assert "Record intact" in page_html(client, lot)
    # when a stage is appended through the service, the page is rendered again and intact
    from traceability import events

    with django_capture_on_commit_callbacks(execute=True):
        events.append_event(
            batch=lot, kind="shipping", occurred_at=timezone.now(), place="Cảng", actor="Xe"
        )
    assert "Record intact: all 5 stages below are sealed" in page_html(client, lot)
