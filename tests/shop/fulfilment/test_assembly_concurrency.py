"""Assembly racing sales of the same component lot on PostgreSQL: no unit is used twice.

Assembly runs, cart holds and checkouts (hold, order, sale) all ask for the same tea lot at
the same instant, each on its own thread and connection. Whoever wins, the lot's on-hand
never goes below zero, what was held, allocated, sold and assembled never exceeds what was
received, and every counter matches its ledger.
"""

import threading

import pytest
from django.db import DatabaseError, connection, connections
from django.db.models import Sum

from shop import checkout, inventory
from shop.fulfilment import assembly
from shop.models import (
    AllocationState,
    Batch,
    MovementKind,
    OrderLineBatch,
    StockHold,
    StockMovement,
)
from tests.factories import BatchFactory, CartFactory, GiftSetComponentFactory, VariantFactory
from tests.shop.checkout_data import GERMANY, shipping_zones

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RECEIVED = 40


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (run with CI=true)")


def run_concurrently(jobs) -> list:
    """Start every job at the same instant on its own thread and connection; a typed refusal
    is an outcome, a database error (a deadlock) is kept to fail the test, and any other
    error leaves the outcome None."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = job()
        except (inventory.InventoryError, assembly.AssemblyError) as refused:
            outcomes[index] = refused
        except DatabaseError as unexpected:  # a deadlock or a lock timeout: reported below
            outcomes[index] = ("unexpected", repr(unexpected))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def units(queryset) -> int:
    return queryset.aggregate(total=Sum("quantity"))["total"] or 0


def test_assembly_racing_holds_and_sales_of_the_same_lot_never_oversells():
    # given a gift set of one tin of tea, the tea lot of 40 tins, and honey for the carts
    gift_set = VariantFactory(product__is_gift_set=True)
    tea = VariantFactory(product__cooperative=gift_set.product.cooperative)
    GiftSetComponentFactory(gift_set=gift_set, component=tea, quantity=1)
    tea_lot = BatchFactory(variant=tea, quantity_received=RECEIVED)
    honey = BatchFactory(quantity_received=100).variant
    method = shipping_zones()["Europe"][0]
    buyers = []
    for _ in range(16):
        cart = CartFactory()
        inventory.hold(cart=cart, variant=honey, quantity=1)
        checkout.save_details(cart=cart, details=GERMANY)
        buyers.append(cart)
    holders = [CartFactory() for _ in range(8)]

    def assemble():
        return assembly.assemble(gift_set=gift_set, boxes=3, actor=None)

    def buy(cart):
        inventory.hold(cart=cart, variant=tea, quantity=2)
        order = checkout.place_order(
            cart=cart, shipping_method_id=method.pk, currency="USD", language="en"
        )
        inventory.confirm_sale(order_id=order.pk)
        return order

    def hold(cart):
        return inventory.hold(cart=cart, variant=tea, quantity=2)

    # when 8 assembly runs of 3 boxes, 16 buyers of 2 tins and 8 carts of 2 tins race
    jobs = [assemble] * 8
    jobs += [lambda cart=cart: buy(cart) for cart in buyers]
    jobs += [lambda cart=cart: hold(cart) for cart in holders]
    outcomes = run_concurrently(jobs)

    # then nothing failed other than by a typed refusal
    assert [o for o in outcomes if o is None or isinstance(o, tuple)] == []
    runs = [o for o in outcomes[:8] if not isinstance(o, Exception)]
    sales = [o for o in outcomes[8:24] if not isinstance(o, Exception)]
    holds = [o for o in outcomes[24:] if not isinstance(o, Exception)]
    assert runs and (sales or holds)  # the race had more than one kind of winner

    # and the tea lot gave each unit once: assembled + sold + allocated + held <= received
    tea_lot.refresh_from_db()
    assembled = -units(StockMovement.objects.filter(batch=tea_lot, kind=MovementKind.ASSEMBLED))
    sold = -units(StockMovement.objects.filter(batch=tea_lot, kind=MovementKind.SOLD))
    allocated = units(OrderLineBatch.objects.filter(batch=tea_lot, state=AllocationState.ALLOCATED))
    held = units(StockHold.objects.filter(batch=tea_lot).live())
    assert (assembled, sold, held) == (3 * len(runs), 2 * len(sales), 2 * len(holds))
    assert allocated == 0
    assert assembled + sold + allocated + held <= RECEIVED
    assert tea_lot.on_hand == RECEIVED - assembled - sold >= 0
    assert tea_lot.on_hand >= held + allocated
    # and every counter, the box lots' too, matches its ledger
    for batch in Batch.objects.all():
        assert batch.on_hand == inventory.ledger_on_hand(batch_id=batch.pk) >= 0
    assert units(
        StockMovement.objects.filter(batch__variant=gift_set, kind=MovementKind.ASSEMBLED)
    ) == 3 * len(runs)
