"""Real concurrency on PostgreSQL: many shoppers, one scarce batch; carts taking the same
batches in opposite order. SQLite serialises writers, so these run only on PostgreSQL
(which CI=true always uses)."""

import threading

import pytest
from django.db import connection, connections

from shop import inventory
from shop.models import Batch, StockHold
from tests.factories import BatchFactory, CartFactory, VariantFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (run with CI=true)")


def run_concurrently(jobs) -> list:
    """Start every job at the same instant on its own thread and connection."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = job()
        except inventory.InventoryError as refused:
            outcomes[index] = refused
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_fifty_shoppers_racing_for_five_units_get_exactly_five():
    batch = BatchFactory(quantity_received=5)
    carts = [CartFactory() for _ in range(50)]

    outcomes = run_concurrently(
        [
            lambda cart=cart: inventory.hold(cart=cart, variant=batch.variant, quantity=1)
            for cart in carts
        ]
    )

    won = [o for o in outcomes if not isinstance(o, inventory.InventoryError)]
    refused = [o for o in outcomes if isinstance(o, inventory.OutOfStock)]
    assert (len(won), len(refused)) == (5, 45)
    assert sum(StockHold.objects.values_list("quantity", flat=True)) == 5
    assert Batch.objects.with_available().get(pk=batch.pk).available == 0


def test_mixed_quantities_never_oversell_and_ledger_stays_true():
    variant = VariantFactory()
    first = BatchFactory(variant=variant, quantity_received=4)
    second = BatchFactory(variant=variant, quantity_received=3)
    carts = [CartFactory() for _ in range(50)]

    outcomes = run_concurrently(
        [
            lambda cart=cart, n=i: inventory.hold(cart=cart, variant=variant, quantity=1 + n % 3)
            for i, cart in enumerate(carts)
        ]
    )

    held = sum(StockHold.objects.values_list("quantity", flat=True))
    won = sum(o.quantity for o in outcomes if not isinstance(o, inventory.InventoryError))
    assert held == won
    assert held <= 7
    assert held >= 5  # a refused shopper only loses when fewer units remain than asked
    for batch in (first, second):
        fresh = Batch.objects.with_available().get(pk=batch.pk)
        assert fresh.available >= 0
        assert fresh.on_hand == inventory.ledger_on_hand(batch_id=batch.pk)


def test_carts_taking_the_same_batches_in_opposite_order_never_deadlock():
    tea, honey, rice = VariantFactory(), VariantFactory(), VariantFactory()
    for variant in (tea, honey, rice):
        BatchFactory(variant=variant, quantity_received=1000)
    carts = [CartFactory() for _ in range(8)]

    def shopper(cart, forwards):
        def job():
            for round_ in range(15):
                items = [(tea, 1 + round_ % 3), (honey, 1), (rice, 2)]
                inventory.hold_many(cart=cart, items=items if forwards else items[::-1])
            return "done"

        return job

    outcomes = run_concurrently([shopper(cart, i % 2 == 0) for i, cart in enumerate(carts)])

    assert outcomes == ["done"] * 8


def test_fifty_shoppers_holding_ordering_and_paying_sell_exactly_the_batch():
    from shop import checkout
    from shop.models import MovementKind, Order, OrderStatus, StockMovement
    from shop.payments import dummy
    from tests.shop.checkout_data import GERMANY, shipping_zones

    batch = BatchFactory(quantity_received=5)
    airmail = shipping_zones()["Europe"][0]
    carts = [CartFactory() for _ in range(50)]

    def shopper(cart):
        def job():
            inventory.hold(cart=cart, variant=batch.variant, quantity=1)
            checkout.save_details(cart=cart, details=GERMANY)
            order = checkout.place_order(
                cart=cart, shipping_method_id=airmail.pk, currency="USD", language="en"
            )
            start = dummy.DummyGateway().start_payment(order=order)
            dummy.complete(reference=start.payment.reference, approve=True)
            return order.pk

        return job

    outcomes = run_concurrently([shopper(cart) for cart in carts])

    paid = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, inventory.OutOfStock)]
    assert (len(paid), len(refused)) == (5, 45)
    assert Order.objects.filter(status=OrderStatus.PAID).count() == 5
    sold = StockMovement.objects.filter(batch=batch, kind=MovementKind.SOLD)
    assert sum(sold.values_list("quantity", flat=True)) == -5
    fresh = Batch.objects.with_available().get(pk=batch.pk)
    assert (fresh.on_hand, fresh.available) == (0, 0)
    assert inventory.ledger_on_hand(batch_id=batch.pk) == 0
