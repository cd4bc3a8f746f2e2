"""Batch identity is fixed at receipt: lot code, dates and village change only through a
recorded correction (traceability.corrections), shown on the trace page with its history,
and a QR code printed before a lot-code correction still resolves."""

import datetime

import pytest
from django.urls import reverse

from shop.models import Batch
from tests.factories import BatchFactory, StaffFactory, UserFactory, VillageFactory
from tests.shop.admin_forms import change_form_data
from traceability import corrections
from traceability.events import verify_chain
from traceability.links import digital_link_path
from traceability.models import BatchCorrection, EventKind, TraceEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch():
    return BatchFactory(lot_code="HN2611", quantity_received=10)


@pytest.fixture
def staff(batch):
    return StaffFactory(cooperative=batch.variant.product.cooperative)


def identity(batch: Batch) -> tuple:
    batch.refresh_from_db()
    return (
        batch.lot_code,
        batch.harvest_date,
        batch.packing_date,
        batch.best_before,
        batch.village_id,
        batch.quantity_received,
    )


def test_a_lot_code_correction_updates_the_batch_and_records_who_when_before_after_why(
    batch, staff
):
    correction = corrections.correct_batch(
        batch=batch, field="lot_code", value="HN2612", reason="Typo on receipt", actor=staff
    )

    batch.refresh_from_db()
    assert batch.lot_code == "HN2612"
    assert (correction.field, correction.before, correction.after) == (
        "lot_code",
        "HN2611",
        "HN2612",
    )
    assert (correction.reason, correction.actor) == ("Typo on receipt", staff)
    event = correction.event
    assert (event.batch_id, event.kind, event.recorded_by) == (
        batch.pk,
        EventKind.CORRECTION,
        staff,
    )
    assert event.notes_en == "lot code corrected from HN2611 to HN2612: Typo on receipt"
    assert event.notes_vi.startswith("mã lô")
    events = list(TraceEvent.objects.filter(batch=batch).prefetch_related("inputs"))
    assert verify_chain(events).valid


def test_a_date_correction_keeps_the_dates_in_order(batch, staff):
    before = identity(batch)
    with pytest.raises(corrections.InvalidCorrection) as refused:
        corrections.correct_batch(
            batch=batch,
            field="best_before",
            value=batch.packing_date - datetime.timedelta(days=1),
            reason="Wrong year",
            actor=staff,
        )
    assert refused.value.code == "dates"
    assert identity(batch) == before
    assert not BatchCorrection.objects.exists()

    right = batch.best_before + datetime.timedelta(days=30)
    corrections.correct_batch(
        batch=batch, field="best_before", value=right, reason="Wrong year", actor=staff
    )
    batch.refresh_from_db()
    assert batch.best_before == right


def test_the_quantity_received_is_not_correctable(batch, staff):
    with pytest.raises(corrections.NotCorrectable):
        corrections.correct_batch(
            batch=batch, field="quantity_received", value=12, reason="Count", actor=staff
        )
    assert identity(batch)[-1] == 10


@pytest.mark.parametrize("who", ["other_coop", "shopper"])
def test_only_the_batch_s_own_cooperative_or_a_superuser_may_correct(batch, who):
    actor = StaffFactory() if who == "other_coop" else UserFactory()
    before = identity(batch)
    with pytest.raises(corrections.CorrectionNotAllowed):
        corrections.correct_batch(
            batch=batch, field="lot_code", value="HN2699", reason="Mine", actor=actor
        )
    assert identity(batch) == before
    superuser = UserFactory(is_staff=True, is_superuser=True)
    corrections.correct_batch(
        batch=batch, field="lot_code", value="HN2699", reason="Checked", actor=superuser
    )
    assert identity(batch)[0] == "HN2699"


def test_a_lot_code_another_lot_has_or_had_is_refused(batch, staff):
    other = BatchFactory(variant=batch.variant, lot_code="OTHER1")
    corrections.correct_batch(
        batch=other, field="lot_code", value="OTHER2", reason="x", actor=staff
    )
    for taken in ("OTHER2", "OTHER1"):
        with pytest.raises(corrections.InvalidCorrection) as refused:
            corrections.correct_batch(
                batch=batch, field="lot_code", value=taken, reason="x", actor=staff
            )
        assert refused.value.code == "lot_taken"
    assert identity(batch)[0] == "HN2611"


def test_a_qr_code_printed_before_a_lot_code_correction_still_resolves(
    client, batch, staff, django_capture_on_commit_callbacks
):
    old_path = digital_link_path(gtin=batch.variant.gtin, lot="HN2611")
    assert client.get(old_path).status_code == 200  # cached under the old code
    with django_capture_on_commit_callbacks(execute=True):
        corrections.correct_batch(
            batch=batch, field="lot_code", value="HN2612", reason="Typo", actor=staff
        )

    response = client.get(old_path + "?linkType=gs1:traceability")

    new_path = digital_link_path(gtin=batch.variant.gtin, lot="HN2612")
    assert response.status_code == 307
    assert response["Location"] == new_path + "?linkType=gs1:traceability"
    page = client.get(new_path).content.decode()
    assert "HN2612" in page
    assert "lot code corrected from HN2611 to HN2612: Typo" in page


def test_the_trace_page_shows_the_corrected_village_with_its_history(
    client, batch, staff, django_capture_on_commit_callbacks
):
    right = VillageFactory(name="Làng Đông Hồ")
    assert (
        "Làng Đông Hồ"
        not in client.get(
            digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
        ).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        corrections.correct_batch(
            batch=batch, field="village", value=right, reason="Wrong village picked", actor=staff
        )

    page = client.get(digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code))

    html = page.content.decode()
    assert "Làng Đông Hồ" in html
    assert "village of origin corrected from" in html
    assert "Wrong village picked" in html


def test_the_admin_change_page_does_not_edit_the_identity(client, batch, staff):
    client.force_login(staff)
    change = reverse("admin:shop_batch_change", args=[batch.pk])
    data = change_form_data(client.get(change))
    data.update(
        lot_code="SNEAKY1",
        harvest_date="2020-01-01",
        packing_date="2020-01-02",
        best_before="2030-01-01",
        village=VillageFactory().pk,
    )
    before = identity(batch)

    response = client.post(change, data)

    assert response.status_code == 302
    assert identity(batch) == before


def test_the_admin_correct_page_records_a_correction_and_refreshes_the_trace_page(
    client, batch, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    url = reverse("admin:shop_batch_correct", args=[batch.pk])
    assert client.get(url).status_code == 200
    trace = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    assert "2, 2025" not in client.get(trace).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"field": "harvest_date", "day": "2025-01-02", "reason": "Typo"}
        )

    assert response.status_code == 302
    assert identity(batch)[1] == datetime.date(2025, 1, 2)
    assert BatchCorrection.objects.get().actor == staff
    assert "2, 2025" in client.get(trace).content.decode()


def test_the_admin_action_opens_the_correct_page(client, batch, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:shop_batch_changelist"),
        {"action": "correct_mistake", "_selected_action": [batch.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:shop_batch_correct", args=[batch.pk])


def test_the_workspace_form_corrects_a_date_and_says_quantity_is_not_correctable(
    client, batch, staff
):
    client.force_login(staff)
    url = reverse("coop:correct", args=[batch.pk])
    client.cookies["django_language"] = "en"
    form_page = client.get(url).content.decode()
    assert "The quantity received cannot be corrected" in form_page
    right = batch.harvest_date - datetime.timedelta(days=2)

    response = client.post(
        url, {"field": "harvest_date", "day": right.isoformat(), "reason": "Wrong day"}
    )

    assert response.status_code == 302
    assert identity(batch)[1] == right


def test_the_workspace_form_refuses_an_unchanged_value_and_writes_nothing(client, batch, staff):
    client.force_login(staff)
    response = client.post(
        reverse("coop:correct", args=[batch.pk]),
        {"field": "lot_code", "lot_code": "HN2611", "reason": "Same"},
    )
    assert response.status_code == 400
    assert not BatchCorrection.objects.exists()
    assert not TraceEvent.objects.filter(kind=EventKind.CORRECTION).exists()


def test_another_cooperative_cannot_open_the_workspace_form(client, batch):
    client.force_login(StaffFactory())
    assert client.get(reverse("coop:correct", args=[batch.pk])).status_code == 404
