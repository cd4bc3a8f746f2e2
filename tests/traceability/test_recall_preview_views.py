"""What staff see of a recall before and after it: the figures on the workspace's and the
admin's confirmation pages, and the lot with nothing sellable and its units to quarantine."""

import re

import pytest
from django.urls import reverse

from tests.traceability.recall_data import (
    BOX_LOT,
    REASON,
    buy,
    gift_box_with,
    honey_batch,
    staff_of,
    superuser,
)
from traceability import recalls

pytestmark = pytest.mark.django_db


def figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'<dd data-figure="([a-z-]+)">([^<]*)</dd>', html))


@pytest.fixture
def busy_batch():
    """Lot HN2503: one shipped order (2 jars), one waiting to be packed (3 jars), one unpaid
    (1 jar), three boxes assembled from it (none sold): 15 jars on hand."""
    batch = honey_batch()
    gift_box_with(batch, boxes=3)
    buy((batch.variant, 2), email="anna@example.de", shipped=True)
    buy((batch.variant, 3), email="binh@example.vn")
    buy((batch.variant, 1), email="chloe@example.fr", paid=False)
    return batch


def test_the_workspace_confirmation_shows_what_the_recall_will_touch(client, busy_batch):
    client.force_login(staff_of(busy_batch))

    response = client.post(
        reverse("coop:recall", args=[busy_batch.pk]),
        {"reason_vi": "Lô bị nhiễm khuẩn.", "reason_en": REASON},
    )

    assert response.status_code == 200
    assert figures(response.content.decode()) == {
        "orders": "3",
        "buyers": "3",
        "unpaid": "1",
        "on-hold": "1",
        "withdrawn": "3",
        "shipped": "2",
        "boxes": f"1: {BOX_LOT}",
        "quarantine": str(12 + 3 + 3),
    }


def test_the_admin_add_page_shows_the_figures_for_the_chosen_batch(client, busy_batch):
    client.force_login(superuser())

    url = reverse("admin:traceability_recall_add") + f"?batch={busy_batch.pk}"
    html = client.get(url).content.decode()

    assert figures(html)["on-hold"] == "1"
    assert figures(html)["quarantine"] == "18"


def test_after_the_recall_the_lot_shows_nothing_to_sell_and_its_units_to_quarantine(
    client, busy_batch
):
    staff = staff_of(busy_batch)
    recalls.recall_batch(batch=busy_batch, reason=REASON, actor=staff)
    client.force_login(staff)

    page = client.get(reverse("coop:batch", args=[busy_batch.pk])).content.decode()
    dashboard = client.get(reverse("coop:dashboard")).content.decode()

    # 12 on the shelf and the 3 jars taken back from the unpacked order
    busy_batch.refresh_from_db()
    assert busy_batch.on_hand == 15
    # (the workspace speaks Vietnamese: "Can sell", "To quarantine")
    for html in (page, dashboard):
        assert "<dt>Còn bán được</dt><dd>0</dd>" in html
        assert "<dt>Cần cách ly</dt><dd>15</dd>" in html
