"""One shipment per cooperative: the split at payment, each shipment packed, shipped and
delivered on its own, the order's status derived from them, one shipped email per
shipment naming only its lines, and a cooperative acting only on its own shipments."""

import pytest
from django.core import mail

from shop.fulfilment import shipments
from shop.models import OrderStatus, Shipment, ShipmentStatus, ShipmentStatusChange
from tests.factories import StaffFactory
from tests.shop.fulfilment.shipment_data import assert_ledger_agrees, paid_order, two_cooperatives

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return two_cooperatives()


@pytest.fixture
def order(world):
    (_a, box, _box_lot), (_b, sauce, _sauce_lot) = world
    return paid_order((box, 1), (sauce, 2))


def own(order, coop) -> Shipment:
    return order.shipments.get(cooperative=coop)


def history(order) -> list[tuple[str, str]]:
    return list(order.history.values_list("from_status", "to_status"))


def test_a_paid_order_splits_into_one_shipment_per_cooperative(world, order):
    (coop_a, box, _), (coop_b, sauce, _) = world

    a, b = own(order, coop_a), own(order, coop_b)

    assert order.status == OrderStatus.PAID
    assert [line.variant_id for line in a.lines.all()] == [box.pk]
    assert [line.variant_id for line in b.lines.all()] == [sauce.pk]
    assert (a.status, b.status) == (ShipmentStatus.TO_PACK, ShipmentStatus.TO_PACK)
    assert list(a.history.values_list("from_status", "to_status")) == [("", "to_pack")]
    assert_ledger_agrees()


def test_each_shipment_moves_on_its_own_and_the_order_follows(world, order):
    (coop_a, _, _), (coop_b, _, _) = world
    lan, minh = StaffFactory(cooperative=coop_a), StaffFactory(cooperative=coop_b)
    a, b = own(order, coop_a), own(order, coop_b)

    shipments.mark_packed(shipment_id=a.pk, actor=lan, cooperative_id=coop_a.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    shipments.mark_shipped(shipment_id=a.pk, carrier="VNPost", tracking_number="EE1VN", actor=lan)
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTLY_SHIPPED
    shipments.mark_packed(shipment_id=b.pk, actor=minh)
    shipments.mark_shipped(shipment_id=b.pk, carrier="DHL", tracking_number="JD2", actor=minh)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    shipments.mark_delivered(shipment_id=a.pk, actor=None)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    shipments.mark_delivered(shipment_id=b.pk, actor=None)
    order.refresh_from_db()

    assert order.status == OrderStatus.DELIVERED
    assert history(order) == [
        ("", "unpaid"),
        ("unpaid", "paid"),
        ("paid", "partly_shipped"),
        ("partly_shipped", "shipped"),
        ("shipped", "delivered"),
    ]
    assert list(order.history.values_list("actor", flat=True))[2:4] == [lan.pk, minh.pk]
    a.refresh_from_db()
    assert (a.carrier, a.tracking_number, a.status) == ("VNPost", "EE1VN", "delivered")
    assert a.packed_at and a.shipped_at and a.delivered_at
    assert_ledger_agrees()


def test_a_second_shipped_with_another_tracking_number_is_an_error(world, order):
    (coop_a, _, _), _b = world
    a = own(order, coop_a)
    shipments.mark_packed(shipment_id=a.pk, actor=None)
    shipments.mark_shipped(shipment_id=a.pk, carrier="VNPost", tracking_number="EE1", actor=None)
    rows = ShipmentStatusChange.objects.count()

    again = shipments.mark_shipped(
        shipment_id=a.pk, carrier="VNPost", tracking_number="EE1", actor=None
    )
    with pytest.raises(shipments.AlreadyShipped) as refused:
        shipments.mark_shipped(shipment_id=a.pk, carrier="DHL", tracking_number="JD9", actor=None)

    assert again.tracking_number == "EE1"
    assert (refused.value.carrier, refused.value.tracking_number) == ("VNPost", "EE1")
    a.refresh_from_db()
    assert (a.carrier, a.tracking_number) == ("VNPost", "EE1")
    assert ShipmentStatusChange.objects.count() == rows


def test_shipping_before_packing_or_without_tracking_is_refused(world, order):
    (coop_a, _, _), _b = world
    a = own(order, coop_a)

    with pytest.raises(shipments.InvalidShipmentMove):
        shipments.mark_shipped(shipment_id=a.pk, carrier="DHL", tracking_number="1", actor=None)
    shipments.mark_packed(shipment_id=a.pk, actor=None)
    with pytest.raises(shipments.TrackingMissing):
        shipments.mark_shipped(shipment_id=a.pk, carrier="DHL", tracking_number=" ", actor=None)

    a.refresh_from_db()
    assert (a.status, a.tracking_number) == (ShipmentStatus.PACKED, "")


def test_another_cooperatives_shipment_is_not_found_and_nothing_is_written(world, order):
    (coop_a, _, _), (coop_b, _, _) = world
    b = own(order, coop_b)
    rows = ShipmentStatusChange.objects.count()

    for move in (shipments.mark_packed, shipments.mark_delivered):
        with pytest.raises(Shipment.DoesNotExist):
            move(shipment_id=b.pk, actor=None, cooperative_id=coop_a.pk)
    with pytest.raises(Shipment.DoesNotExist):
        shipments.mark_shipped(
            shipment_id=b.pk,
            carrier="DHL",
            tracking_number="X",
            actor=None,
            cooperative_id=coop_a.pk,
        )

    b.refresh_from_db()
    assert b.status == ShipmentStatus.TO_PACK
    assert ShipmentStatusChange.objects.count() == rows


def test_the_shipped_email_names_only_its_lines_and_its_tracking_link(
    world, order, django_capture_on_commit_callbacks
):
    (coop_a, _, _), (coop_b, _, _) = world
    b = own(order, coop_b)
    shipments.mark_packed(shipment_id=b.pk, actor=None)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        shipments.mark_shipped(
            shipment_id=b.pk,
            carrier="Viettel Post",
            tracking_number="VTP123",
            tracking_url="https://viettelpost.example/track/VTP123",
            actor=None,
        )
    with django_capture_on_commit_callbacks(execute=True) as again:
        shipments.mark_shipped(
            shipment_id=b.pk, carrier="Viettel Post", tracking_number="VTP123", actor=None
        )

    [email] = mail.outbox
    html = email.alternatives[0][0]
    assert "Phú Quốc fish sauce" in email.body
    assert "Tết gift box" not in email.body and "Tết gift box" not in html
    assert "VTP123" in email.body
    assert "https://viettelpost.example/track/VTP123" in email.body
    assert 'href="https://viettelpost.example/track/VTP123"' in html
    assert again == []
    assert list(order.emails.values_list("kind", flat=True)) == [f"shipped:{b.pk}"]


def test_the_shipped_email_speaks_the_orders_language(world, django_capture_on_commit_callbacks):
    (coop_a, box, _), _b = world
    order = paid_order((box, 1), language="vi")
    a = own(order, coop_a)
    shipments.mark_packed(shipment_id=a.pk, actor=None)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        shipments.mark_shipped(shipment_id=a.pk, carrier="EMS", tracking_number="E9", actor=None)

    [email] = mail.outbox
    assert "Mã vận đơn" in email.body
    assert "Hộp quà Tết" in email.body or "Tết gift box" in email.body


def test_a_held_shipment_leaves_the_lists_and_comes_back_where_it_was(world, order):
    (coop_a, _, _), _b = world
    a = own(order, coop_a)
    shipments.mark_packed(shipment_id=a.pk, actor=None)

    held = shipments.hold(shipment_id=a.pk, reason_code="recall")
    with pytest.raises(shipments.InvalidShipmentMove):
        shipments.mark_shipped(shipment_id=a.pk, carrier="DHL", tracking_number="1", actor=None)
    released = shipments.release(shipment_id=a.pk)

    assert (held.status, held.hold_reason) == (ShipmentStatus.ON_HOLD, "recall")
    assert (released.status, released.hold_reason) == (ShipmentStatus.PACKED, "")
    with pytest.raises(shipments.UnknownHoldReason):
        shipments.hold(shipment_id=a.pk, reason_code="because")
