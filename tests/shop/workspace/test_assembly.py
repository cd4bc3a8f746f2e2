"""The workspace's gift-box pages: assembling the cooperative's own gift sets, and sending
and receiving the transfers of component units. Another cooperative's ids answer 404."""

import pytest
from django.test import Client

from shop.models import (
    AssemblyRun,
    Batch,
    BatchStatus,
    StockMovement,
    Transfer,
    TransferStatus,
)
from tests.factories import (
    BatchFactory,
    GiftSetComponentFactory,
    StaffFactory,
    VariantFactory,
)
from traceability.models import TraceEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def box(coop, variant, batch, other_variant, other_batch):
    """Our gift set: one bottle of our fish sauce and two tins of the other cooperative's tea."""
    gift_set = VariantFactory(
        product__cooperative=coop,
        product__is_gift_set=True,
        product__name_vi="Hộp quà Tết",
        product__name_en="Tết box",
        sku="HQ-TET",
    )
    GiftSetComponentFactory(gift_set=gift_set, component=variant, quantity=1)
    GiftSetComponentFactory(gift_set=gift_set, component=other_variant, quantity=2)
    return gift_set


def snapshot():
    return (
        list(Batch.objects.order_by("pk").values_list("pk", "status", "on_hand")),
        StockMovement.objects.count(),
        AssemblyRun.objects.count(),
        list(Transfer.objects.order_by("pk").values_list("pk", "status")),
        TraceEvent.objects.count(),
    )


def test_the_assemble_page_suggests_lots_in_vietnamese(staff_client, box):
    html = staff_client.get(f"/coop/boxes/{box.pk}/").content.decode()

    assert '<html lang="vi">' in html
    assert "Hộp quà Tết" in html
    assert "1 từ lô NMPQ-1" in html and "2 từ lô TEA-1" in html
    assert "HTX Chè Tân Cương" in html  # the tea will be sent by its cooperative


def test_assembling_makes_the_box_lot_and_the_partner_a_transfer(
    staff_client, staff, box, batch, other_batch
):
    response = staff_client.post(f"/coop/boxes/{box.pk}/", {"boxes": "6", "lot_code": "TET-1"})

    assert response.status_code == 302 and response["Location"] == "/coop/boxes/"
    run = AssemblyRun.objects.get()
    assert (run.boxes, run.created_by, run.box_batch.lot_code) == (6, staff, "TET-1")
    assert run.box_batch.status == BatchStatus.ASSEMBLING
    batch.refresh_from_db()
    other_batch.refresh_from_db()
    assert (batch.on_hand, other_batch.on_hand) == (34, 18)
    transfer = Transfer.objects.get()
    assert (transfer.batch_id, transfer.quantity) == (other_batch.pk, 12)


def test_lots_chosen_by_hand_are_used(staff_client, box, variant, batch, other_batch):
    newer = BatchFactory(variant=variant, lot_code="NMPQ-2", quantity_received=10)

    staff_client.post(
        f"/coop/boxes/{box.pk}/",
        {
            "boxes": "2",
            f"lot_{variant.pk}": str(newer.pk),
            f"lot_{box.components.last().component_id}": str(other_batch.pk),
        },
    )

    run = AssemblyRun.objects.get()
    assert sorted(run.inputs.values_list("batch__lot_code", "quantity")) == [
        ("NMPQ-2", 2),
        ("TEA-1", 4),
    ]


def test_asking_for_too_many_boxes_says_so_and_writes_nothing(staff_client, box):
    before = snapshot()

    response = staff_client.post(f"/coop/boxes/{box.pk}/", {"boxes": "16"})

    assert response.status_code == 400
    assert "Không đủ" in response.content.decode() or "Not enough" in response.content.decode()
    assert snapshot() == before


def test_another_cooperatives_gift_set_answers_404_and_writes_nothing(
    staff_client, other_coop, other_variant, other_batch
):
    theirs = VariantFactory(product__cooperative=other_coop, product__is_gift_set=True)
    GiftSetComponentFactory(gift_set=theirs, component=other_variant)
    before = snapshot()

    assert staff_client.get(f"/coop/boxes/{theirs.pk}/").status_code == 404
    assert staff_client.post(f"/coop/boxes/{theirs.pk}/", {"boxes": "1"}).status_code == 404

    assert snapshot() == before


def test_the_partner_sends_and_the_assembler_receives_from_their_lists(
    staff_client, staff, box, other_coop
):
    staff_client.post(f"/coop/boxes/{box.pk}/", {"boxes": "6", "lot_code": "TET-1"})
    transfer = Transfer.objects.get()
    client = Client()
    client.force_login(StaffFactory(cooperative=other_coop))

    # the partner sees what to send, and marks it sent
    html = client.get("/coop/boxes/").content.decode()
    assert "Gửi 12 đơn vị của lô TEA-1 cho HTX Nước mắm Hàm Ninh" in html
    client.post(f"/coop/transfers/{transfer.pk}/sent/")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SENT

    # the assembler sees it coming, and marks it received: the boxes go on sale
    assert (
        "12 đơn vị của lô TEA-1 từ HTX Chè Tân Cương"
        in staff_client.get("/coop/boxes/").content.decode()
    )
    staff_client.post(f"/coop/transfers/{transfer.pk}/received/")
    transfer.refresh_from_db()
    assert (transfer.status, transfer.received_by) == (TransferStatus.RECEIVED, staff)
    assert transfer.run.box_batch.status == BatchStatus.ON_SALE


def test_a_transfer_is_moved_only_by_its_own_side_others_get_404(staff_client, box, other_coop):
    staff_client.post(f"/coop/boxes/{box.pk}/", {"boxes": "6"})
    transfer = Transfer.objects.get()
    before = snapshot()
    client = Client()

    # the assembler cannot mark the partner's transfer sent; a stranger can do nothing
    assert staff_client.post(f"/coop/transfers/{transfer.pk}/sent/").status_code == 404
    client.force_login(StaffFactory())
    assert client.post(f"/coop/transfers/{transfer.pk}/sent/").status_code == 404
    assert client.post(f"/coop/transfers/{transfer.pk}/received/").status_code == 404
    # nor can the partner mark it received
    client.force_login(StaffFactory(cooperative=other_coop))
    assert client.post(f"/coop/transfers/{transfer.pk}/received/").status_code == 404

    assert snapshot() == before


def test_the_nav_links_the_gift_box_page(staff_client):
    assert 'href="/coop/boxes/"' in staff_client.get("/coop/").content.decode()


def test_a_box_lot_waiting_for_components_shows_on_the_dashboard_as_not_for_sale(staff_client, box):
    staff_client.post(f"/coop/boxes/{box.pk}/", {"boxes": "6", "lot_code": "TET-1"})

    response = staff_client.get("/coop/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "TET-1" in html and "Chờ thành phần" in html
