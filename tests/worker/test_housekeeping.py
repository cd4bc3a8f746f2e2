"""Beat tasks: clearing old expired holds away, and expiring unpaid orders so their stock
comes back."""

import datetime

import pytest
from django.utils import timezone

from shop import inventory
from shop.models import AllocationState, Batch, OrderLineBatch, OrderStatus, StockHold
from tests.factories import BatchFactory, CartFactory, OrderFactory, OrderLineBatchFactory
from worker.celery import app
from worker.tasks import housekeeping

pytestmark = pytest.mark.django_db


def available(batch) -> int:
    return Batch.objects.with_available().get(pk=batch.pk).available


def allocate(batch, units: int, **order_fields):
    """An order holding `units` of `batch` as an allocation, as checkout leaves it."""
    order = OrderFactory(**order_fields)
    OrderLineBatchFactory(
        line__order=order,
        line__variant=batch.variant,
        line__quantity=units,
        batch=batch,
        quantity=units,
    )
    return order


def test_housekeeping_deletes_only_holds_expired_over_an_hour_ago():
    now = timezone.now()
    batch = BatchFactory(quantity_received=20)
    long_expired, recently_expired, live = CartFactory(), CartFactory(), CartFactory()
    inventory.hold(
        cart=long_expired, variant=batch.variant, quantity=1, now=now - datetime.timedelta(hours=2)
    )
    inventory.hold(
        cart=recently_expired,
        variant=batch.variant,
        quantity=3,
        now=now - datetime.timedelta(minutes=30),
    )
    inventory.hold(cart=live, variant=batch.variant, quantity=2)
    assert available(batch) == 18

    deleted = housekeeping.delete_expired_holds.delay().get()

    assert deleted == 1
    assert sorted(StockHold.objects.values_list("cart_id", "quantity")) == [
        (recently_expired.pk, 3),
        (live.pk, 2),
    ]
    assert available(batch) == 18


def test_housekeeping_with_nothing_expired_deletes_nothing():
    batch = BatchFactory(quantity_received=5)
    cart = CartFactory()
    inventory.hold(cart=cart, variant=batch.variant, quantity=5)

    assert housekeeping.delete_expired_holds.delay().get() == 0
    assert StockHold.objects.filter(cart=cart).count() == 1
    assert available(batch) == 0


def test_expiring_unpaid_orders_gives_their_stock_back_and_is_idempotent():
    now = timezone.now()
    batch = BatchFactory(quantity_received=20)
    stale = allocate(batch, 3, expires_at=now - datetime.timedelta(minutes=1))
    fresh = allocate(batch, 2, expires_at=now + datetime.timedelta(minutes=30))
    paid = allocate(
        batch, 4, status=OrderStatus.PAID, paid_at=now, expires_at=now - datetime.timedelta(hours=1)
    )
    # the stale order's 3 units are available already, before beat runs (a predicate)
    assert available(batch) == 14

    first = housekeeping.expire_unpaid_orders.delay().get()
    after_first = available(batch)
    second = housekeeping.expire_unpaid_orders.delay().get()

    assert (first, second) == (1, 0)
    assert after_first == 14
    assert available(batch) == 14
    stale.refresh_from_db()
    fresh.refresh_from_db()
    paid.refresh_from_db()
    assert (stale.status, fresh.status, paid.status) == (
        OrderStatus.CANCELLED,
        OrderStatus.UNPAID,
        OrderStatus.PAID,
    )
    assert list(
        OrderLineBatch.objects.filter(line__order=stale).values_list("state", "quantity")
    ) == [(AllocationState.RELEASED, 3)]
    assert list(
        OrderLineBatch.objects.filter(line__order__in=[fresh, paid])
        .order_by("quantity")
        .values_list("state", "quantity")
    ) == [(AllocationState.ALLOCATED, 2), (AllocationState.ALLOCATED, 4)]


def test_beat_runs_both_housekeeping_tasks():
    schedule = app.conf.beat_schedule

    assert schedule["delete-expired-holds"] == {
        "task": "worker.tasks.housekeeping.delete_expired_holds",
        "schedule": 15 * 60,
    }
    assert schedule["expire-unpaid-orders"] == {
        "task": "worker.tasks.housekeeping.expire_unpaid_orders",
        "schedule": 60,
    }
    assert housekeeping.delete_expired_holds.name in app.tasks
    assert housekeeping.expire_unpaid_orders.name in app.tasks
