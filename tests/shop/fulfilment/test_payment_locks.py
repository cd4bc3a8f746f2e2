"""On PostgreSQL: payments take the batch locks before the order lock, so a recall that
holds the batch lock and writes rows referencing the orders (notices, history) never
deadlocks with them, and no payment sells the lot after the recall committed."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from shop.inventory.locks import lock_batches
from shop.models import (
    Batch,
    BatchStatus,
    MovementKind,
    OrderStatus,
    OrderStatusChange,
    StockMovement,
)
from shop.payments import ItemWithdrawn, PaymentError, dummy
from tests.shop.checkout_data import placed_order
from tests.shop.fulfilment.shipment_data import assert_ledger_agrees, two_cooperatives

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (run with CI=true)")


def test_payments_queued_behind_a_recall_never_deadlock_and_never_sell_the_lot():
    _a, (_b, sauce, lot) = two_cooperatives()
    orders = [placed_order((sauce, 1)) for _ in range(6)]
    references = [dummy.DummyGateway().start_payment(order=o).payment.reference for o in orders]
    locked = threading.Event()
    outcomes: list = [None] * len(references)

    def recall():
        try:
            with transaction.atomic():
                lock_batches([lot.pk])
                Batch.objects.filter(pk=lot.pk).update(status=BatchStatus.RECALLED)
                locked.set()
                time.sleep(1)  # the payers queue up meanwhile
                # Rows referencing the orders: their foreign-key checks need the orders.
                OrderStatusChange.objects.bulk_create(
                    OrderStatusChange(order=o, from_status="unpaid", to_status="unpaid")
                    for o in orders
                )
        finally:
            connections.close_all()

    def pay(index, reference):
        locked.wait(timeout=30)
        try:
            outcomes[index] = dummy.complete(reference=reference, approve=True)
        except PaymentError as refused:
            outcomes[index] = refused
        finally:
            connections.close_all()

    threads = [threading.Thread(target=recall)] + [
        threading.Thread(target=pay, args=(i, ref)) for i, ref in enumerate(references)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert all(isinstance(o, ItemWithdrawn) for o in outcomes), outcomes
    assert not StockMovement.objects.filter(kind=MovementKind.SOLD, batch=lot).exists()
    assert {o.status for o in type(orders[0]).objects.filter(pk__in=[o.pk for o in orders])} == {
        OrderStatus.CANCELLED
    }
    assert_ledger_agrees()
