"""A recall racing 40 shoppers who hold, order and pay for the same lot, on PostgreSQL with
real row locks: nobody meets an error other than a typed refusal (no deadlock), and no unit
of the recalled lot stays sold after the recall committed. Nothing ships in this race, so
every unit sold before the recall is withdrawn by it (re-allocated or refunded), and any
unit of the lot still sold at the end was sold after the recall: there must be none."""

import dataclasses
import datetime
import random
import threading
from collections import Counter

import pytest
from django.db import connection, connections, transaction

from shop import carts, checkout, inventory, orders
from shop.models import AllocationState, Batch, OrderLineBatch, OrderStatus, Payment
from shop.money import to_minor_units
from shop.payments import PaymentError, dummy, settlement
from shop.payments import stripe as stripe_gateway
from tests.factories import BatchFactory, CartFactory
from tests.shop.checkout_data import GERMANY, honey, shipping_zones
from tests.traceability.recall_data import LOT, REASON, staff_of
from traceability import recalls
from traceability.models import NoticeAction, Recall, RecallNotice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SHOPPERS = 40
# Few enough jars in the other lot that some withdrawn lines are replaced, others refunded.
SPARE = 6
# What a shopper may be told when the recall (or another shopper) got there first.
REFUSALS = (
    inventory.InventoryError,  # OutOfStock while holding, HoldExpired at checkout
    PaymentError,  # ItemWithdrawn, OrderNotPayable from the dummy gateway
    orders.OrderError,  # LotWithdrawn, InvalidTransition
    checkout.CheckoutError,
    carts.CartError,
)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (run with CI=true)")


def stripe_pays(order) -> None:
    """The Stripe webhook's path for a succeeded intent (no call to Stripe: the settlement
    decides under the locks; refunds it opens stay pending, as when Stripe is away)."""
    reference = f"pi_race_{order.pk}"
    Payment.objects.create(
        order=order,
        gateway=stripe_gateway.NAME,
        reference=reference,
        amount=order.total,
        currency=order.currency,
    )
    intent = {
        "id": reference,
        "status": "succeeded",
        "amount_received": to_minor_units(order.total, order.currency),
        "currency": order.currency.lower(),
        "metadata": {},
    }
    with transaction.atomic():
        settlement.succeeded(intent=intent)


def dummy_pays(order) -> None:
    started = dummy.DummyGateway().start_payment(order=order)
    dummy.complete(reference=started.payment.reference, approve=True)


@pytest.mark.parametrize("round_", range(3))
def test_a_recall_racing_forty_buyers_and_payers_never_deadlocks_or_sells_the_lot(round_):
    # Given lot HN2503 (60 jars), a later lot HN2504 (6 jars) and 40 shoppers ready to pay
    jar = honey(product__name_en="Longan honey")
    lot = BatchFactory(variant=jar, lot_code=LOT, quantity_received=60)
    spare = BatchFactory(
        variant=jar,
        lot_code="HN2504",
        quantity_received=SPARE,
        best_before=lot.best_before + datetime.timedelta(days=30),
    )
    staff = staff_of(lot)
    method = shipping_zones()["Europe"][0].pk
    shoppers = [CartFactory() for _ in range(SHOPPERS)]
    barrier = threading.Barrier(SHOPPERS + 1)
    outcomes: dict[str, str] = {}
    failures: list[str] = []
    rng = random.Random(round_)
    # Shoppers arrive over a second; the recall lands among them, so some have paid (their
    # units are withdrawn), some are paying, holding or ordering when it takes the locks.
    arrivals = [rng.uniform(0, 1.0) for _ in shoppers]
    delay = rng.uniform(0.4, 0.7)

    def shop(number: int, cart) -> None:
        try:
            barrier.wait(timeout=30)
            threading.Event().wait(arrivals[number])
            carts.add(cart=cart, variant_id=jar.pk, quantity=1 + number % 2)
            details = dataclasses.replace(GERMANY, email=f"b{number}@example.de")
            checkout.save_details(cart=cart, details=details)
            order = checkout.place_order(
                cart=cart, shipping_method_id=method, currency="USD", language="en"
            )
            (stripe_pays if number % 4 == 3 else dummy_pays)(order)
            outcomes[f"shopper {number}"] = "paid"
        except REFUSALS as refused:
            outcomes[f"shopper {number}"] = type(refused).__name__
        except Exception as error:  # noqa: BLE001 - any other error (deadlock) is the failure
            failures.append(f"shopper {number}: {error!r}")
        finally:
            connections.close_all()

    def recall() -> None:
        try:
            barrier.wait(timeout=30)
            threading.Event().wait(delay)
            recalls.recall_batch(batch=Batch.objects.get(pk=lot.pk), reason=REASON, actor=staff)
            outcomes["recall"] = "committed"
        except Exception as error:  # noqa: BLE001 - the recall must never fail
            failures.append(f"recall: {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=shop, args=(n, c)) for n, c in enumerate(shoppers)]
    threads.append(threading.Thread(target=recall))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # Then nobody met anything but a typed refusal, and the recall committed
    told_of = Counter(RecallNotice.objects.values_list("action", flat=True))
    print(f"round {round_}: {sorted(Counter(outcomes.values()).items())}, notices {dict(told_of)}")
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert outcomes["recall"] == "committed"
    # no unit of the lot is sold: what was sold before the recall came back to it
    assert not OrderLineBatch.objects.filter(batch=lot, state=AllocationState.SOLD).exists()
    # the ledgers and their cached counters agree, and on hand is the lot's 60 jars again
    for batch in (lot, spare):
        batch.refresh_from_db()
        assert batch.on_hand == inventory.ledger_on_hand(batch_id=batch.pk)
    assert lot.on_hand == 60
    # every paid order that had jars of the lot was told what became of them, once
    recall_row = Recall.objects.get(batch=lot)
    withdrawn = set(
        OrderLineBatch.objects.filter(batch=lot, state=AllocationState.RETURNED).values_list(
            "line__order_id", flat=True
        )
    )
    told = dict(recall_row.notices.values_list("order_id", "action"))
    assert withdrawn <= set(told)
    assert {told[o] for o in withdrawn} <= {NoticeAction.REPLACED, NoticeAction.REFUNDED}
    assert RecallNotice.objects.values("order_id").distinct().count() == len(told)
    # the other lot's sold units are exactly what left its shelf
    sold = OrderLineBatch.objects.filter(batch=spare, state=AllocationState.SOLD)
    assert sum(sold.values_list("quantity", flat=True)) == SPARE - spare.on_hand
    # no order of the lot was paid after the recall committed: any order still holding
    # units of it is unpaid (its notice cancels it) or was cancelled
    assert set(
        OrderLineBatch.objects.filter(batch=lot, state=AllocationState.ALLOCATED).values_list(
            "line__order__status", flat=True
        )
    ) <= {OrderStatus.UNPAID, OrderStatus.CANCELLED}
