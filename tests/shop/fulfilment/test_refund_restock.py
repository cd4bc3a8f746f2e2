"""Money and stock move together: a partial refund restocks exactly its units, and only
units that never shipped; cancelling a paid order refunds it and returns its units; shipped
units come back only as a recorded return."""

from decimal import Decimal

import pytest

from shop.fulfilment import returns, shipments
from shop.models import (
    AllocationState,
    LineReturn,
    MovementKind,
    OrderLineBatch,
    OrderStatus,
    RefundLine,
    ShipmentStatus,
    StockMovement,
)
from shop.payments import refunds
from tests.factories import StaffFactory
from tests.shop.fulfilment.shipment_data import assert_ledger_agrees, paid_order, two_cooperatives

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return two_cooperatives()


@pytest.fixture
def operator():
    return StaffFactory(cooperative=None, is_superuser=True)


def line_of(order, variant):
    return order.lines.get(variant=variant)


def test_a_partial_refund_restocks_exactly_its_units(world, operator):
    (_a, box, box_lot), (_b, sauce, sauce_lot) = world
    order = paid_order((box, 1), (sauce, 3))
    sauce_line = line_of(order, sauce)

    refund = refunds.refund_order(
        order_id=order.pk,
        amount=Decimal("12.50"),
        lines={sauce_line.pk: 1},
        restock=True,
        reason="One bottle broke",
        actor=operator,
    )

    sauce_lot.refresh_from_db()
    box_lot.refresh_from_db()
    assert sauce_lot.on_hand == 10 - 3 + 1
    assert box_lot.on_hand == 4
    assert list(RefundLine.objects.values_list("line_id", "quantity", "restocked")) == [
        (sauce_line.pk, 1, 1)
    ]
    assert sorted(sauce_line.batches.values_list("state", "quantity")) == [
        (AllocationState.RETURNED, 1),
        (AllocationState.SOLD, 2),
    ]
    [movement] = StockMovement.objects.filter(kind=MovementKind.RETURNED)
    assert (movement.batch_id, movement.quantity) == (sauce_lot.pk, 1)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.shipments.get(cooperative=sauce.product.cooperative).status == "to_pack"
    assert refund.restocked is True
    assert_ledger_agrees()


def test_a_refund_never_restocks_shipped_units(world, operator):
    (coop_a, box, box_lot), (_b, sauce, sauce_lot) = world
    order = paid_order((box, 2), (sauce, 1))
    shipment = order.shipments.get(cooperative=coop_a)
    shipments.mark_packed(shipment_id=shipment.pk, actor=None)
    shipments.mark_shipped(shipment_id=shipment.pk, carrier="EMS", tracking_number="E1", actor=None)

    with pytest.raises(refunds.NothingToRestock):
        refunds.refund_order(
            order_id=order.pk,
            amount=Decimal("79.00"),
            lines={line_of(order, box).pk: 1},
            restock=True,
            reason="Crushed box",
            actor=operator,
        )
    refunds.refund_order(
        order_id=order.pk,
        amount=Decimal("79.00"),
        lines={line_of(order, box).pk: 1},
        restock=False,
        reason="Crushed box",
        actor=operator,
    )

    box_lot.refresh_from_db()
    assert box_lot.on_hand == 5 - 2
    assert not StockMovement.objects.filter(kind=MovementKind.RETURNED).exists()
    assert_ledger_agrees()


def test_restocking_every_unit_of_a_shipment_cancels_it(world, operator):
    (coop_a, box, _), (coop_b, sauce, sauce_lot) = world
    order = paid_order((box, 1), (sauce, 2))
    a = order.shipments.get(cooperative=coop_a)
    shipments.mark_packed(shipment_id=a.pk, actor=None)
    shipments.mark_shipped(shipment_id=a.pk, carrier="EMS", tracking_number="E1", actor=None)

    refunds.refund_order(
        order_id=order.pk,
        amount=Decimal("25.00"),
        lines={line_of(order, sauce).pk: 2},
        restock=True,
        reason="Out of the region",
        actor=operator,
    )

    order.refresh_from_db()
    assert order.shipments.get(cooperative=coop_b).status == ShipmentStatus.CANCELLED
    # The one live shipment left: the order is shipped.
    assert order.status == OrderStatus.SHIPPED
    sauce_lot.refresh_from_db()
    assert sauce_lot.on_hand == 10
    assert_ledger_agrees()


def test_cancelling_a_paid_order_refunds_it_and_returns_its_units(world, operator):
    (_a, box, box_lot), (_b, sauce, sauce_lot) = world
    order = paid_order((box, 1), (sauce, 2))

    cancelled = refunds.cancel_order(order_id=order.pk, reason="Buyer asked", actor=operator)

    box_lot.refresh_from_db()
    sauce_lot.refresh_from_db()
    payment = order.payments.get()
    assert cancelled.status == OrderStatus.CANCELLED
    assert (box_lot.on_hand, sauce_lot.on_hand) == (5, 10)
    assert payment.status == "refunded"
    assert payment.refunded_amount == order.total
    assert set(order.shipments.values_list("status", flat=True)) == {ShipmentStatus.CANCELLED}
    assert set(OrderLineBatch.objects.values_list("state", flat=True)) == {AllocationState.RETURNED}
    assert list(cancelled.history.values_list("to_status", flat=True)) == [
        "unpaid",
        "paid",
        "cancelled",
    ]
    assert_ledger_agrees()


def test_a_paid_order_with_a_shipped_part_cannot_be_cancelled(world, operator):
    (coop_a, box, box_lot), (_b, sauce, _) = world
    order = paid_order((box, 1), (sauce, 2))
    a = order.shipments.get(cooperative=coop_a)
    shipments.mark_packed(shipment_id=a.pk, actor=None)
    shipments.mark_shipped(shipment_id=a.pk, carrier="EMS", tracking_number="E1", actor=None)

    with pytest.raises(refunds.OrderAlreadyShipped):
        refunds.cancel_order(order_id=order.pk, reason="Too late", actor=operator)

    order.refresh_from_db()
    assert order.status == OrderStatus.PARTLY_SHIPPED
    assert not order.payments.get().refunds.exists()
    assert_ledger_agrees()


def test_shipped_units_come_back_through_a_recorded_return(world, operator):
    (coop_a, box, box_lot), _b = world
    order = paid_order((box, 2))
    a = order.shipments.get(cooperative=coop_a)
    line = line_of(order, box)

    with pytest.raises(returns.NotShipped):
        returns.record_return(line_id=line.pk, quantity=1, reason="x", actor=operator)
    shipments.mark_packed(shipment_id=a.pk, actor=None)
    shipments.mark_shipped(shipment_id=a.pk, carrier="EMS", tracking_number="E1", actor=None)
    with pytest.raises(returns.TooManyReturned):
        returns.record_return(line_id=line.pk, quantity=3, reason="x", actor=operator)
    returns.record_return(line_id=line.pk, quantity=1, reason="Refused at the door", actor=operator)

    box_lot.refresh_from_db()
    assert box_lot.on_hand == 5 - 2 + 1
    assert list(LineReturn.objects.values_list("line_id", "batch_id", "quantity")) == [
        (line.pk, box_lot.pk, 1)
    ]
    assert_ledger_agrees()


def test_refund_lines_beyond_what_was_bought_are_refused(world, operator):
    (_a, _box, _), (_b, sauce, sauce_lot) = world
    order = paid_order((sauce, 2))

    with pytest.raises(refunds.InvalidRefundLines):
        refunds.refund_order(
            order_id=order.pk,
            amount=Decimal("1.00"),
            lines={line_of(order, sauce).pk: 3},
            restock=True,
            reason="x",
            actor=operator,
        )

    assert not order.payments.get().refunds.exists()
    sauce_lot.refresh_from_db()
    assert sauce_lot.on_hand == 8
