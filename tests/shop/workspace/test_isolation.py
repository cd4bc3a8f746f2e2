"""Every page, form, download and chart of the workspace with another cooperative's ids
answers 404 (or refuses the form) and never shows or writes anything of theirs."""

import pytest
from django.utils import timezone

from shop.fulfilment import shipments
from shop.fulfilment.payment import pay_order
from shop.models import Batch, BatchStatus, Order, OrderStatus, StockMovement
from tests.shop.checkout_data import placed_order
from traceability.models import Recall, TraceEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def their_order(other_variant, other_batch):
    return pay_order(order_id=placed_order((other_variant, 2)).pk)


def snapshot():
    return (
        list(Batch.objects.order_by("pk").values_list("pk", "status", "on_hand")),
        StockMovement.objects.count(),
        TraceEvent.objects.count(),
        Recall.objects.count(),
        list(Order.objects.order_by("pk").values_list("pk", "status", "carrier")),
    )


GET_PAGES = [
    "/coop/batches/{batch}/",
    "/coop/batches/{batch}/adjust/",
    "/coop/batches/{batch}/events/add/",
    "/coop/batches/{batch}/recall/",
    "/coop/orders/{order}/",
    "/coop/orders/{order}/slip/",
    "/coop/labels/?batch={batch}",
    "/coop/insight/?batch={batch}",
]


@pytest.mark.parametrize("template", GET_PAGES)
def test_pages_with_another_cooperatives_ids_are_404(
    staff_client, batch, other_batch, their_order, template
):
    url = template.format(batch=other_batch.pk, order=their_order.number)

    response = staff_client.get(url)

    assert response.status_code == 404
    html = response.content.decode()
    assert other_batch.lot_code not in html
    assert "Chè Tân Cương" not in html
    assert "Hauptstraße" not in html  # their buyer's address
    assert "Phu Quoc" not in html and "Nước mắm" not in html


EVENT = {"kind": "harvest", "occurred_at": "2025-01-01T08:00", "place": "x", "notes": ""}
POSTS = [
    ("/coop/batches/{batch}/adjust/", {"change": "damaged", "quantity": "1", "note": ""}),
    ("/coop/batches/{batch}/events/add/", EVENT),
    (
        "/coop/batches/{batch}/recall/",
        {
            "reason_vi": "Thu hồi lô của người khác",
            "reason_en": "Recall another's lot",
            "confirm": "True",
        },
    ),
    ("/coop/orders/{order}/packed/", {}),
    ("/coop/orders/{order}/shipped/", {"carrier": "DHL", "tracking_number": "X1"}),
]


@pytest.mark.parametrize("template, data", POSTS, ids=[p[0].split("/")[-2] for p in POSTS])
def test_posting_to_another_cooperatives_batch_or_order_is_404_and_writes_nothing(
    staff_client, batch, other_batch, their_order, template, data
):
    if "shipped" in template:
        shipments.mark_packed(shipment_id=their_order.shipments.get().pk, actor=None)
    before = snapshot()

    response = staff_client.post(
        template.format(batch=other_batch.pk, order=their_order.number), data
    )

    assert response.status_code == 404
    assert snapshot() == before


def test_a_packed_order_of_theirs_cannot_be_shipped_by_us(staff_client, their_order):
    shipments.mark_packed(shipment_id=their_order.shipments.get().pk, actor=None)

    staff_client.post(
        f"/coop/orders/{their_order.number}/shipped/", {"carrier": "DHL", "tracking_number": "X1"}
    )

    their_order.refresh_from_db()
    shipment = their_order.shipments.get()
    assert their_order.status == OrderStatus.PAID
    assert (shipment.status, shipment.carrier, shipment.tracking_number) == ("packed", "", "")


def test_lists_charts_and_downloads_show_nothing_of_theirs(
    staff_client, batch, other_batch, their_order
):
    pages = ["/coop/", "/coop/batches/", "/coop/orders/", "/coop/labels/", "/coop/insight/"]
    for url in pages:
        html = staff_client.get(url).content.decode()
        assert other_batch.lot_code not in html, url
        assert their_order.number not in html, url
        assert "Chè Tân Cương" not in html, url
    template = staff_client.get("/coop/import/template.csv").content.decode("utf-8-sig")
    assert "TEA" not in template


def test_their_batch_ids_in_a_label_request_print_nothing(staff_client, batch, other_batch):
    response = staff_client.post(
        "/coop/labels/",
        {
            f"count_{batch.pk}": "0",
            f"count_{other_batch.pk}": "10",
            "per_sheet": "24",
            "language": "vi",
        },
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_their_unknown_or_missing_ids_look_the_same(staff_client, other_batch):
    missing = Batch.objects.order_by("-pk").first().pk + 1000

    theirs = staff_client.get(f"/coop/batches/{other_batch.pk}/")
    nobody = staff_client.get(f"/coop/batches/{missing}/")

    assert theirs.status_code == nobody.status_code == 404
    # The pages differ only by the address asked for (echoed in the language switcher).
    theirs_html = theirs.content.decode().replace(f"/coop/batches/{other_batch.pk}/", "URL")
    nobody_html = nobody.content.decode().replace(f"/coop/batches/{missing}/", "URL")
    assert theirs_html == nobody_html


def test_staff_of_the_other_cooperative_see_their_own_batch_not_ours(
    client, batch, other_batch, other_coop
):
    from tests.factories import StaffFactory

    client.force_login(StaffFactory(cooperative=other_coop))

    assert client.get(f"/coop/batches/{other_batch.pk}/").status_code == 200
    assert client.get(f"/coop/batches/{batch.pk}/").status_code == 404
    assert other_batch.status == BatchStatus.ON_SALE
    assert timezone.now()
