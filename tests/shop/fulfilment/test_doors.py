"""The doors of shipments: the workspace acts on the cooperative's own shipment (delivered,
tracking link, a second tracking number refused), the buyer's order page shows each
parcel, the admin lists shipments per cooperative and refunds by line."""

from decimal import Decimal

import pytest
from django.urls import reverse

from shop.fulfilment import shipments
from shop.models import Batch, RefundLine, Shipment
from tests.factories import StaffFactory, UserFactory
from tests.shop.fulfilment.shipment_data import assert_ledger_agrees, paid_order, two_cooperatives

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    (coop_a, box, _), (coop_b, sauce, _) = two_cooperatives()
    order = paid_order((box, 1), (sauce, 2))
    return order, coop_a, coop_b


def test_the_workspace_ships_with_a_link_then_marks_delivered(client, world):
    order, coop_a, _coop_b = world
    client.force_login(StaffFactory(cooperative=coop_a))
    base = f"/coop/orders/{order.number}/"

    client.post(f"{base}packed/")
    client.post(
        f"{base}shipped/",
        {"carrier": "EMS", "tracking_number": "EE5", "tracking_url": "https://ems.example/EE5"},
    )
    page = client.get(base).content.decode()
    refused = client.post(f"{base}shipped/", {"carrier": "DHL", "tracking_number": "JD6"})
    delivered = client.post(f"{base}delivered/")

    assert 'href="https://ems.example/EE5"' in page
    assert f'action="{base}delivered/"' in page
    assert refused.status_code == 409
    assert "EE5" in refused.content.decode()
    assert delivered.status_code == 302
    own = order.shipments.get(cooperative=coop_a)
    assert (own.status, own.tracking_number) == ("delivered", "EE5")
    order.refresh_from_db()
    assert order.status == "partly_shipped"


def test_another_cooperatives_part_is_never_delivered_by_us(client, world):
    order, coop_a, coop_b = world
    theirs = order.shipments.get(cooperative=coop_b)
    shipments.mark_packed(shipment_id=theirs.pk, actor=None)
    shipments.mark_shipped(shipment_id=theirs.pk, carrier="DHL", tracking_number="1", actor=None)
    client.force_login(StaffFactory(cooperative=coop_a))

    client.post(f"/coop/orders/{order.number}/delivered/")

    theirs.refresh_from_db()
    assert theirs.status == "shipped"


def test_the_workspace_lists_each_cooperatives_own_parcels(client, world):
    order, coop_a, coop_b = world
    shipments.mark_packed(shipment_id=order.shipments.get(cooperative=coop_b).pk, actor=None)
    client.force_login(StaffFactory(cooperative=coop_a))

    response = client.get("/coop/orders/")

    assert [o.number for o in response.context["to_pack"]] == [order.number]
    assert list(response.context["to_ship"]) == []


def test_the_buyers_page_shows_each_parcel_and_its_tracking_link(client, world):
    order, coop_a, coop_b = world
    a = order.shipments.get(cooperative=coop_a)
    shipments.mark_packed(shipment_id=a.pk, actor=None)
    shipments.mark_shipped(
        shipment_id=a.pk,
        carrier="EMS",
        tracking_number="EE7",
        tracking_url="https://ems.example/EE7",
        actor=None,
    )

    html = client.get(reverse("shop:order", args=[order.token])).content.decode()

    assert "Your order travels in 2 parcels" in html
    assert f"From {coop_a.name}" in html and f"From {coop_b.name}" in html
    assert 'class="tracking-link" href="https://ems.example/EE7"' in html
    assert "Partly shipped" in html


def test_the_shipments_admin_shows_a_cooperative_only_its_own(client, world):
    order, coop_a, coop_b = world
    client.force_login(StaffFactory(cooperative=coop_a))

    listed = client.get(reverse("admin:shop_shipment_changelist"))
    theirs = order.shipments.get(cooperative=coop_b)
    other = client.get(reverse("admin:shop_shipment_change", args=[theirs.pk]))
    order_page = client.get(reverse("admin:shop_order_change", args=[order.pk])).content.decode()

    assert [s.cooperative_id for s in listed.context["cl"].result_list] == [coop_a.pk]
    assert other.status_code in (302, 403, 404)
    assert coop_a.name in order_page and coop_b.name not in order_page


def test_the_admin_marks_parcels_delivered(client, world):
    order, coop_a, _b = world
    a = order.shipments.get(cooperative=coop_a)
    shipments.mark_packed(shipment_id=a.pk, actor=None)
    shipments.mark_shipped(shipment_id=a.pk, carrier="EMS", tracking_number="E1", actor=None)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    client.post(
        reverse("admin:shop_shipment_changelist"),
        {"action": "mark_delivered", "_selected_action": [s.pk for s in Shipment.objects.all()]},
    )

    assert dict(order.shipments.values_list("cooperative_id", "status")) == {
        coop_a.pk: "delivered",
        order.shipments.exclude(pk=a.pk).get().cooperative_id: "to_pack",
    }


def test_the_admin_refunds_named_units_of_a_line(client, world):
    order, _coop_a, _coop_b = world
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    sauce_line = order.lines.get(product_name__contains="fish sauce")
    box_line = order.lines.exclude(pk=sauce_line.pk).get()

    response = client.post(
        reverse("admin:shop_order_refund", args=[order.pk]),
        {
            "amount": "12.50",
            "restock": "on",
            "reason": "One bottle broke",
            f"line_{sauce_line.pk}": "1",
            f"line_{box_line.pk}": "",
        },
    )

    assert response.status_code == 302
    assert list(RefundLine.objects.values_list("line_id", "quantity", "restocked")) == [
        (sauce_line.pk, 1, 1)
    ]
    assert Batch.objects.get(lot_code="NM-B1").on_hand == 9
    assert Decimal(order.payments.get().refunded_amount) == Decimal("12.50")
    assert_ledger_agrees()


def test_the_admin_cancels_a_paid_order_and_puts_every_unit_back(client, world):
    order, coop_a, _coop_b = world
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:shop_order_refund", args=[order.pk]),
        {"reason": "Buyer asked", "cancel": "on"},
    )

    order.refresh_from_db()
    assert response.status_code == 302
    assert order.status == "cancelled"
    assert Batch.objects.get(lot_code="NM-B1").on_hand == 10
    assert Batch.objects.get(lot_code="BOX-A1").on_hand == 5
    assert order.payments.get().status == "refunded"
    assert_ledger_agrees()


def test_the_admin_refuses_to_cancel_once_a_parcel_left(client, world):
    order, coop_a, _coop_b = world
    a = order.shipments.get(cooperative=coop_a)
    shipments.mark_packed(shipment_id=a.pk, actor=None)
    shipments.mark_shipped(shipment_id=a.pk, carrier="EMS", tracking_number="E1", actor=None)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("admin:shop_order_refund", args=[order.pk]),
        {"reason": "Buyer asked", "cancel": "on"},
    )

    order.refresh_from_db()
    assert response.status_code == 200
    assert "A parcel of this order has left" in response.content.decode()
    assert order.status == "partly_shipped"
    assert not order.payments.get().refunds.exists()


def test_the_buyers_page_speaks_vietnamese(client, world):
    order, _coop_a, _coop_b = world

    html = client.get(
        reverse("shop:order", args=[order.token]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()

    assert "Đơn hàng của bạn được gửi trong 2 kiện" in html
    assert "Cần đóng gói" in html


def test_a_packed_parcel_held_for_a_recall_goes_back_to_packing_when_staff_repack(client, world):
    order, coop_a, coop_b = world
    own = order.shipments.get(cooperative=coop_a)
    shipments.mark_packed(shipment_id=own.pk, actor=None)
    shipments.hold(shipment_id=own.pk, reason_code="recall")
    shipments.release(shipment_id=own.pk)
    own.refresh_from_db()
    assert own.status == "packed"  # a plain release puts the sealed parcel back as it was
    shipments.hold(shipment_id=own.pk, reason_code="recall")
    client.force_login(StaffFactory(cooperative=coop_a))

    page = client.get(f"/coop/orders/{order.number}/").content.decode()
    repacked = client.post(f"/coop/orders/{order.number}/repack/")

    assert f'action="/coop/orders/{order.number}/repack/"' in page
    assert repacked.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.hold_reason) == ("to_pack", "")


def test_another_cooperative_cannot_repack_our_parcel(client, world):
    order, coop_a, coop_b = world
    own = order.shipments.get(cooperative=coop_a)
    shipments.hold(shipment_id=own.pk, reason_code="recall")
    theirs = order.shipments.get(cooperative=coop_b)
    shipments.hold(shipment_id=theirs.pk, reason_code="recall")
    client.force_login(StaffFactory(cooperative=coop_b))

    client.post(f"/coop/orders/{order.number}/repack/")

    own.refresh_from_db()
    theirs.refresh_from_db()
    assert own.status == "on_hold"
    assert theirs.status == "to_pack"
