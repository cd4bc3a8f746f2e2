"""An order still unpaid past its deadline frees its stock at read time, like a hold, whether
or not beat's expire_unpaid_orders ran; paying it late takes the units again or is refused."""

import datetime

import pytest
from django.utils import timezone

from shop import availability, inventory
from shop.fulfilment import payment as paying
from shop.models import AllocationState, Batch, Order, OrderLineBatch, OrderStatus
from tests.factories import BatchFactory, CartFactory
from tests.shop.checkout_data import honey, placed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def honey_batch():
    return BatchFactory(variant=honey(), lot_code="HONEY1", quantity_received=10)


def lapse(order: Order) -> None:
    Order.objects.filter(pk=order.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )


def available(batch: Batch) -> int:
    return availability.annotate_available(Batch.objects.filter(pk=batch.pk)).get().available


def test_an_unpaid_order_keeps_its_units_until_its_deadline(honey_batch):
    # given an unpaid order for 8 of the 10 jars, still within its time to pay
    placed_order((honey_batch.variant, 8))

    # then only 2 are available to others
    assert available(honey_batch) == 2


def test_an_expired_unpaid_order_frees_its_units_without_beat(honey_batch):
    # given an unpaid order for 8 of the 10 jars whose deadline passed; beat did not run
    order = placed_order((honey_batch.variant, 8))
    lapse(order)

    # then all 10 jars are available again
    assert available(honey_batch) == 10
    # and another shopper can hold them
    other = CartFactory()
    inventory.hold(cart=other, variant=honey_batch.variant, quantity=10)
    assert available(honey_batch) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID


def test_paying_a_lapsed_order_whose_units_are_still_there_pays_it(honey_batch):
    # given a lapsed unpaid order for 8 jars, nobody took them
    order = placed_order((honey_batch.variant, 8))
    lapse(order)

    # when its payment arrives late
    paying.pay_order(order_id=order.pk, note="late")

    # then it is paid from the same lot, and 2 jars remain
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert list(
        OrderLineBatch.objects.filter(line__order=order).values_list("batch__lot_code", "state")
    ) == [("HONEY1", AllocationState.SOLD)]
    honey_batch.refresh_from_db()
    assert (honey_batch.on_hand, available(honey_batch)) == (2, 2)


def test_paying_a_lapsed_order_whose_units_were_taken_is_refused(honey_batch):
    # given a lapsed unpaid order for 8 jars, and another shopper holding 5 since
    order = placed_order((honey_batch.variant, 8))
    lapse(order)
    inventory.hold(cart=CartFactory(), variant=honey_batch.variant, quantity=5)

    # when its payment arrives late, then it is refused and nothing changed
    with pytest.raises(paying.SoldOut):
        paying.pay_order(order_id=order.pk, note="late")

    order.refresh_from_db()
    assert order.status == OrderStatus.UNPAID
    assert list(
        OrderLineBatch.objects.filter(line__order=order).values_list("quantity", "state")
    ) == [(8, AllocationState.ALLOCATED)]
    honey_batch.refresh_from_db()
    assert (honey_batch.on_hand, available(honey_batch)) == (10, 5)
