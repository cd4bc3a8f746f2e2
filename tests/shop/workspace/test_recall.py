"""Recalling a batch takes two steps: the reason, then a page that asks to confirm it."""

import pytest

from shop.models import Batch, BatchStatus
from traceability.models import Recall

pytestmark = pytest.mark.django_db

VI = "Nắp chai bị hở, có thể nhiễm khuẩn."
EN = "The cap leaks: the sauce may be contaminated."


def test_the_first_post_only_asks_to_confirm_and_writes_nothing(staff_client, batch):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/recall/", {"reason_vi": VI, "reason_en": EN}
    )

    batch.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "coop/recall_confirm.html"
    assert VI in html
    assert EN in html
    assert f'name="reason_vi" value="{VI}"' in html
    assert 'name="confirm" value="True"' in html
    assert batch.status == BatchStatus.ON_SALE
    assert Recall.objects.count() == 0


def test_the_confirmed_post_recalls_the_batch_through_the_recall_service(
    staff_client, staff, batch
):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/recall/",
        {"reason_vi": VI, "reason_en": EN, "confirm": "True"},
    )

    batch.refresh_from_db()
    recall = Recall.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/coop/batches/{batch.pk}/"
    assert batch.status == BatchStatus.RECALLED
    assert (recall.batch_id, recall.reason_vi, recall.reason_en, recall.actor) == (
        batch.pk,
        VI,
        EN,
        staff,
    )


def test_a_reason_is_required(staff_client, batch):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/recall/", {"reason_vi": "  ", "reason_en": EN, "confirm": "True"}
    )

    assert response.status_code == 400
    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.ON_SALE


def test_the_english_reason_is_required_too(staff_client, batch):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/recall/", {"reason_vi": VI, "reason_en": "", "confirm": "True"}
    )

    assert response.status_code == 400
    assert 'name="reason_en"' in response.content.decode()
    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.ON_SALE


def test_a_recalled_batch_shows_that_it_is_recalled_and_no_form(staff_client, batch):
    staff_client.post(
        f"/coop/batches/{batch.pk}/recall/",
        {"reason_vi": "Hỏng nắp chai.", "reason_en": "Broken caps.", "confirm": "True"},
    )

    page = staff_client.get(f"/coop/batches/{batch.pk}/recall/").content.decode()
    again = staff_client.post(
        f"/coop/batches/{batch.pk}/recall/",
        {"reason_vi": "Lần nữa.", "reason_en": "Once more.", "confirm": "True"},
    )

    assert 'name="reason_vi"' not in page
    assert again.status_code == 200
    assert Recall.objects.count() == 1
