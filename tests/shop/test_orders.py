import datetime

import pytest
from django.core import mail
from django.utils import timezone

from shop import orders
from shop.models import (
    AllocationState,
    Batch,
    MovementKind,
    Order,
    OrderLineBatch,
    OrderStatus,
    StockMovement,
)
from tests.factories import BatchFactory, StaffFactory
from tests.shop.checkout_data import honey, placed_order

pytestmark = pytest.mark.django_db


def available(batch) -> int:
    return Batch.objects.with_available().get(pk=batch.pk).available


def history(order) -> list[tuple[str, str]]:
    return list(order.history.values_list("from_status", "to_status"))


@pytest.fixture
def jar_and_batch():
    jar = honey()
    return jar, BatchFactory(variant=jar, lot_code="HONEY1", quantity_received=10)


def test_mark_paid_sells_the_allocated_units_and_queues_the_confirmation(
    jar_and_batch, django_capture_on_commit_callbacks
):
    jar, batch = jar_and_batch
    order = placed_order((jar, 3))
    staff = StaffFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        paid = orders.mark_paid(order_id=order.pk, actor=staff)

    batch.refresh_from_db()
    assert paid.status == OrderStatus.PAID
    assert paid.paid_at is not None
    assert batch.on_hand == 7
    assert available(batch) == 7
    assert list(
        StockMovement.objects.filter(batch=batch, kind=MovementKind.SOLD).values_list("quantity")
    ) == [(-3,)]
    assert set(OrderLineBatch.objects.values_list("state", flat=True)) == {"sold"}
    assert history(paid) == [("", "unpaid"), ("unpaid", "paid")]
    assert paid.history.last().actor == staff
    # the confirmation, and the product's pages refreshed for the units sold
    assert len(callbacks) == 2
    assert [m.to for m in mail.outbox] == [["anna@example.de"]]


def test_mark_paid_twice_changes_nothing_the_second_time(
    jar_and_batch, django_capture_on_commit_callbacks
):
    jar, batch = jar_and_batch
    order = placed_order((jar, 1))
    orders.mark_paid(order_id=order.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        orders.mark_paid(order_id=order.pk)
    batch.refresh_from_db()
    assert batch.on_hand == 9
    assert callbacks == []
    assert history(order) == [("", "unpaid"), ("unpaid", "paid")]


def test_a_move_the_rules_do_not_allow_is_refused_and_changes_nothing(jar_and_batch):
    # A paid order is cancelled only with its money and units (refunds.cancel_order).
    jar, batch = jar_and_batch
    order = placed_order((jar, 1))
    orders.mark_paid(order_id=order.pk)
    with pytest.raises(orders.InvalidTransition) as refused:
        orders.cancel(order_id=order.pk)
    assert (refused.value.from_status, refused.value.to_status) == ("paid", "cancelled")
    order.refresh_from_db()
    batch.refresh_from_db()
    assert (order.status, batch.on_hand) == ("paid", 9)
    assert history(order) == [("", "unpaid"), ("unpaid", "paid")]


def test_cancel_gives_an_unpaid_orders_units_back(jar_and_batch):
    jar, batch = jar_and_batch
    order = placed_order((jar, 4))
    assert available(batch) == 6

    cancelled = orders.cancel(order_id=order.pk, note="Customer asked")

    assert cancelled.status == OrderStatus.CANCELLED
    assert available(batch) == 10
    assert set(OrderLineBatch.objects.values_list("state", flat=True)) == {"released"}
    assert cancelled.history.last().note == "Customer asked"


def test_expire_unpaid_orders_cancels_only_those_past_their_time(jar_and_batch):
    jar, batch = jar_and_batch
    late = placed_order((jar, 2))
    fresh = placed_order((jar, 3))
    paid = placed_order((jar, 1))
    orders.mark_paid(order_id=paid.pk)
    now = timezone.now()
    Order.objects.filter(pk__in=[late.pk, paid.pk]).update(
        expires_at=now - datetime.timedelta(minutes=1)
    )

    expired = orders.expire_unpaid_orders(now=now)

    assert expired == 1
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {late.pk: "cancelled", fresh.pk: "unpaid", paid.pk: "paid"}
    assert available(batch) == 10 - 3 - 1
    assert late.history.last().shown_note == "Not paid in time"
    assert orders.expire_unpaid_orders(now=now) == 0


def test_an_expired_order_cannot_be_paid_afterwards(jar_and_batch):
    jar, batch = jar_and_batch
    order = placed_order((jar, 2))
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now())
    orders.expire_unpaid_orders()
    with pytest.raises(orders.InvalidTransition):
        orders.mark_paid(order_id=order.pk)
    batch.refresh_from_db()
    assert batch.on_hand == 10


# Packing, shipping and delivering are moves of shipments now:
# tests/shop/fulfilment/test_shipments.py.


def test_order_by_token_finds_the_order_and_refuses_bad_tokens(jar_and_batch):
    jar, _batch = jar_and_batch
    order = placed_order((jar, 1))
    assert orders.order_by_token(token=str(order.token)).pk == order.pk
    for token in ("nope", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(Order.DoesNotExist):
            orders.order_by_token(token=token)


def test_allocations_stay_allocated_until_paid(jar_and_batch):
    jar, _batch = jar_and_batch
    placed_order((jar, 1))
    assert list(OrderLineBatch.objects.values_list("state", flat=True)) == [
        AllocationState.ALLOCATED
    ]
