"""Paying through pay_order: every gateway sells through it, and none sells a lot that was
recalled or went past best-before while the shopper was paying."""

import datetime

import pytest
from django.contrib.messages import get_messages

from shop.fulfilment import payment as paying
from shop.models import (
    AllocationState,
    Batch,
    BatchStatus,
    MovementKind,
    OrderLineBatch,
    OrderStatus,
    PaymentStatus,
    Shipment,
    StockMovement,
)
from shop.payments import ItemWithdrawn, dummy
from tests.shop.checkout_data import placed_order
from tests.shop.fulfilment.shipment_data import assert_ledger_agrees, two_cooperatives

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return two_cooperatives()


def test_pay_order_sells_splits_and_is_idempotent(world):
    (_a, box, box_lot), (_b, sauce, sauce_lot) = world
    order = placed_order((box, 1), (sauce, 3))

    paid = paying.pay_order(order_id=order.pk, note="test")
    again = paying.pay_order(order_id=order.pk)

    assert paid.status == again.status == OrderStatus.PAID
    assert Shipment.objects.filter(order=order).count() == 2
    sauce_lot.refresh_from_db()
    assert sauce_lot.on_hand == 7
    assert StockMovement.objects.filter(kind=MovementKind.SOLD).count() == 2
    assert_ledger_agrees()


@pytest.mark.parametrize("withdrawal", ["recalled", "past best-before"])
def test_the_dummy_gateway_refuses_a_lot_withdrawn_while_paying(world, withdrawal):
    (_a, box, _box_lot), (_b, sauce, sauce_lot) = world
    order = placed_order((box, 1), (sauce, 2))
    payment = dummy.DummyGateway().start_payment(order=order).payment
    if withdrawal == "recalled":
        Batch.objects.filter(pk=sauce_lot.pk).update(status=BatchStatus.RECALLED)
    else:
        yesterday = datetime.date.today() - datetime.timedelta(days=2)
        Batch.objects.filter(pk=sauce_lot.pk).update(best_before=yesterday)

    with pytest.raises(ItemWithdrawn) as refused:
        dummy.complete(reference=payment.reference, approve=True)

    order.refresh_from_db()
    payment.refresh_from_db()
    sauce_lot.refresh_from_db()
    assert refused.value.lot_codes == ["NM-B1"]
    assert order.status == OrderStatus.CANCELLED
    assert payment.status == PaymentStatus.CANCELLED
    assert not StockMovement.objects.filter(kind=MovementKind.SOLD).exists()
    assert not Shipment.objects.exists()
    assert set(OrderLineBatch.objects.values_list("state", flat=True)) == {AllocationState.RELEASED}
    assert sauce_lot.on_hand == 10
    assert_ledger_agrees()


def test_the_shopper_is_told_nothing_was_charged(client, world):
    (_a, _box, _), (_b, sauce, sauce_lot) = world
    order = placed_order((sauce, 1))
    payment = dummy.DummyGateway().start_payment(order=order).payment
    Batch.objects.filter(pk=sauce_lot.pk).update(status=BatchStatus.RECALLED)

    response = client.post(f"/pay/dummy/{payment.reference}/", {"action": "pay"})

    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "recalled or sold out" in message
    assert "Nothing was charged" in message


def test_pay_order_raises_lot_withdrawn_and_writes_nothing(world):
    (_a, _box, _), (_b, sauce, sauce_lot) = world
    order = placed_order((sauce, 1))
    Batch.objects.filter(pk=sauce_lot.pk).update(status=BatchStatus.RECALLED)

    with pytest.raises(paying.LotWithdrawn):
        paying.pay_order(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    assert not StockMovement.objects.filter(kind=MovementKind.SOLD).exists()
    assert list(order.history.values_list("to_status", flat=True)) == ["unpaid"]
