"""Two add-to-cart clicks at once on PostgreSQL: both units end up in the cart. The line's
current quantity is read under the cart's row lock (shop.carts.add_many), so the second
click adds to what the first one wrote instead of to what both read."""

import threading

import pytest
from django.db import connection, connections

from shop import carts
from shop.models import CartLine, StockHold
from tests.factories import BatchFactory, CartFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (run with CI=true)")


def test_two_clicks_at_once_add_both_units():
    batch = BatchFactory(quantity_received=50)
    rounds = 8
    for _ in range(rounds):
        cart = CartFactory()
        carts.add(cart=cart, variant_id=batch.variant_id, quantity=1)
        barrier = threading.Barrier(2)
        failures: list[BaseException] = []

        def click(cart=cart, barrier=barrier, failures=failures):
            try:
                barrier.wait(timeout=30)
                carts.add(cart=cart, variant_id=batch.variant_id, quantity=1)
            except BaseException as error:  # noqa: BLE001  reported by the assertion below
                failures.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=click) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert failures == []
        assert CartLine.objects.get(cart=cart).quantity == 3
        assert sum(StockHold.objects.filter(cart=cart).values_list("quantity", flat=True)) == 3
