"""The one state machine: every transition of both tables is walked here through the
service that makes it, and after each the ledger, the cached counters and the
allocations agree (assert_ledger_agrees)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from shop import orders
from shop.fulfilment import payment as paying
from shop.fulfilment import shipments, transitions
from shop.models import Order, OrderStatus, ShipmentStatus
from shop.payments import refunds
from tests.shop.checkout_data import placed_order
from tests.shop.fulfilment.shipment_data import assert_ledger_agrees, paid_order, two_cooperatives

pytestmark = pytest.mark.django_db
OS, SS = OrderStatus, ShipmentStatus


def _ship(shipment, number="T1"):
    shipments.mark_packed(shipment_id=shipment.pk, actor=None)
    shipments.mark_shipped(
        shipment_id=shipment.pk, carrier="EMS", tracking_number=number, actor=None
    )


def _restock_all(order, shipment):
    lines = {line.pk: line.quantity for line in shipment.lines.all()}
    refunds.refund_order(
        order_id=order.pk,
        amount=Decimal("1.00"),
        lines=lines,
        restock=True,
        reason="restock",
        actor=None,
    )


def _two(world):
    (coop_a, box, _), (coop_b, sauce, _) = world
    order = paid_order((box, 1), (sauce, 1))
    return order, order.shipments.get(cooperative=coop_a), order.shipments.get(cooperative=coop_b)


def _one(world):
    _a, (_coop_b, sauce, _) = world
    order = paid_order((sauce, 1))
    return order, order.shipments.get()


def _order_to(world, status):
    """An order brought to `status` through the services; returns it."""
    if status == OS.UNPAID:
        return placed_order((world[1][1], 1))
    if status == OS.PAID:
        return _one(world)[0]
    if status == OS.PACKED:
        order = _one(world)[0]
        Order.objects.filter(pk=order.pk).update(status=OS.PACKED)  # before shipments existed
        return order
    if status == OS.PARTLY_SHIPPED:
        order, a, _b = _two(world)
        _ship(a)
        return order
    if status == OS.SHIPPED:
        order, shipment = _one(world)
        _ship(shipment)
        return order
    if status == OS.DELIVERED:
        order, shipment = _one(world)
        _ship(shipment)
        shipments.mark_delivered(shipment_id=shipment.pk, actor=None)
        return order
    if status == OS.CANCELLED:
        order = placed_order((world[1][1], 1))
        Order.objects.filter(pk=order.pk).update(expires_at=timezone.now())
        orders.expire_unpaid_orders()
        return order
    raise AssertionError(status)


def _order_move(world, source, target):
    if (source, target) == (OS.UNPAID, OS.PAID):
        order = _order_to(world, source)
        paying.pay_order(order_id=order.pk)
    elif (source, target) == (OS.UNPAID, OS.CANCELLED):
        order = _order_to(world, source)
        orders.cancel(order_id=order.pk)
    elif (source, target) == (OS.CANCELLED, OS.PAID):
        order = _order_to(world, source)
        assert paying.pay_order_after_expiry(order_id=order.pk)
    elif (source, target) == (OS.PAID, OS.CANCELLED):
        order = paid_order((world[1][1], 1))
        refunds.cancel_order(order_id=order.pk, reason="asked", actor=None)
    elif target == OS.REFUNDED:
        order = _order_to(world, source)
        if not order.payments.exists():
            order = paid_order((world[1][1], 1))
            Order.objects.filter(pk=order.pk).update(status=source)
        refunds.refund_order(
            order_id=order.pk, amount=None, restock=False, reason="all", actor=None
        )
    elif (source, target) in ((OS.PAID, OS.PARTLY_SHIPPED), (OS.PACKED, OS.PARTLY_SHIPPED)):
        order, a, _b = _two(world)
        Order.objects.filter(pk=order.pk).update(status=source)
        _ship(a)
    elif (source, target) in ((OS.PAID, OS.SHIPPED), (OS.PACKED, OS.SHIPPED)):
        order = _order_to(world, source)
        _ship(order.shipments.get())
    elif (source, target) == (OS.PARTLY_SHIPPED, OS.SHIPPED):
        order, a, b = _two(world)
        _ship(a)
        _ship(b, "T2")
    elif (source, target) == (OS.PARTLY_SHIPPED, OS.DELIVERED):
        order, a, b = _two(world)
        _ship(a)
        shipments.mark_delivered(shipment_id=a.pk, actor=None)
        _restock_all(order, b)
    elif (source, target) == (OS.SHIPPED, OS.DELIVERED):
        order = _order_to(world, source)
        shipments.mark_delivered(shipment_id=order.shipments.get().pk, actor=None)
    else:
        raise AssertionError(f"no walk for {source} → {target}")
    order.refresh_from_db()
    return order


def _shipment_move(world, source, target):
    order, shipment = _one(world)
    if source == "":
        pass
    elif source == SS.PACKED:
        shipments.mark_packed(shipment_id=shipment.pk, actor=None)
    elif source == SS.SHIPPED:
        _ship(shipment)
    elif source == SS.ON_HOLD:
        if target == SS.PACKED:
            shipments.mark_packed(shipment_id=shipment.pk, actor=None)
        shipments.hold(shipment_id=shipment.pk, reason_code="recall")
    if target == SS.PACKED and source != SS.ON_HOLD:
        shipments.mark_packed(shipment_id=shipment.pk, actor=None)
    elif target == SS.SHIPPED:
        shipments.mark_shipped(
            shipment_id=shipment.pk, carrier="EMS", tracking_number="T1", actor=None
        )
    elif target == SS.DELIVERED:
        shipments.mark_delivered(shipment_id=shipment.pk, actor=None)
    elif target == SS.ON_HOLD:
        shipments.hold(shipment_id=shipment.pk, reason_code="recall")
    elif source == SS.ON_HOLD and target in (SS.TO_PACK, SS.PACKED):
        shipments.release(shipment_id=shipment.pk)
    elif target == SS.CANCELLED:
        _restock_all(order, shipment)
    shipment.refresh_from_db()
    return shipment


@pytest.mark.parametrize(
    "move", transitions.ORDER_TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}"
)
def test_every_order_transition_keeps_the_ledger_true(move):
    world = two_cooperatives()

    order = _order_move(world, move.source, move.target)

    assert order.status == move.target
    assert (move.source, move.target) in set(order.history.values_list("from_status", "to_status"))
    assert_ledger_agrees()


@pytest.mark.parametrize(
    "move", transitions.SHIPMENT_TRANSITIONS, ids=lambda t: f"{t.source or 'new'}->{t.target}"
)
def test_every_shipment_transition_keeps_the_ledger_true(move):
    world = two_cooperatives()

    shipment = _shipment_move(world, move.source, move.target)

    assert shipment.status == move.target
    rows = set(shipment.history.values_list("from_status", "to_status"))
    assert (move.source, move.target) in rows
    assert_ledger_agrees()


def test_moves_outside_the_tables_are_refused():
    assert not transitions.order_may_move(OS.SHIPPED, OS.CANCELLED)
    assert not transitions.order_may_move(OS.CANCELLED, OS.REFUNDED)
    assert not transitions.shipment_may_move(SS.SHIPPED, SS.CANCELLED)
    assert not transitions.shipment_may_move(SS.TO_PACK, SS.SHIPPED)


def test_the_orders_module_makes_only_the_tables_pre_payment_moves():
    table = {(t.source, t.target) for t in transitions.ORDER_TRANSITIONS}
    assert orders.PRE_PAYMENT_MOVES <= table


@pytest.mark.parametrize(
    "statuses, derived",
    [
        ([SS.TO_PACK, SS.PACKED], OS.PAID),
        ([SS.SHIPPED, SS.TO_PACK], OS.PARTLY_SHIPPED),
        ([SS.DELIVERED, SS.ON_HOLD], OS.PARTLY_SHIPPED),
        ([SS.SHIPPED, SS.DELIVERED], OS.SHIPPED),
        ([SS.DELIVERED, SS.CANCELLED], OS.DELIVERED),
        ([SS.CANCELLED, SS.CANCELLED], None),
        ([], None),
    ],
)
def test_the_order_status_follows_its_shipments(statuses, derived):
    assert transitions.derived_order_status(statuses) == derived


def test_an_expired_order_cannot_be_paid_through_mark_paid():
    world = two_cooperatives()
    order = _order_to(world, OS.CANCELLED)
    order.refresh_from_db()
    assert order.status == OS.CANCELLED
    with pytest.raises(orders.InvalidTransition):
        orders.mark_paid(order_id=order.pk)
