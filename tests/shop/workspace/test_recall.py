"""Recalling a batch takes two steps: the reason, then a page that asks to confirm it."""

import pytest

from shop.models import Batch, BatchStatus
from traceability.models import Recall

pytestmark = pytest.mark.django_db


def test_the_first_post_only_asks_to_confirm_and_writes_nothing(staff_client, batch):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/recall/", {"reason": "Nắp chai bị hở, có thể nhiễm khuẩn."}
    )

    batch.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "coop/recall_confirm.html"
    assert "Nắp chai bị hở, có thể nhiễm khuẩn." in html
    assert 'name="confirm" value="True"' in html
    assert batch.status == BatchStatus.ON_SALE
    assert Recall.objects.count() == 0


def test_the_confirmed_post_recalls_the_batch_through_the_recall_service(
    staff_client, staff, batch
):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/recall/",
        {"reason": "Nắp chai bị hở, có thể nhiễm khuẩn.", "confirm": "True"},
    )

    batch.refresh_from_db()
    recall = Recall.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/coop/batches/{batch.pk}/"
    assert batch.status == BatchStatus.RECALLED
    assert (recall.batch_id, recall.reason, recall.actor) == (
        batch.pk,
        "Nắp chai bị hở, có thể nhiễm khuẩn.",
        staff,
    )


def test_a_reason_is_required(staff_client, batch):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/recall/", {"reason": "  ", "confirm": "True"}
    )

    assert response.status_code == 400
    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.ON_SALE


def test_a_recalled_batch_shows_that_it_is_recalled_and_no_form(staff_client, batch):
    staff_client.post(
        f"/coop/batches/{batch.pk}/recall/", {"reason": "Hỏng nắp chai.", "confirm": "True"}
    )

    page = staff_client.get(f"/coop/batches/{batch.pk}/recall/").content.decode()
    again = staff_client.post(
        f"/coop/batches/{batch.pk}/recall/", {"reason": "Lần nữa.", "confirm": "True"}
    )

    assert 'name="reason"' not in page
    assert again.status_code == 200
    assert Recall.objects.count() == 1
