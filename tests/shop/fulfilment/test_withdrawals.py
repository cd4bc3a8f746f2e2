"""Withdrawing a recalled lot from shipments that have not left
(shop.fulfilment.withdrawals.withdraw_lot), run as the recall runs it: inside a transaction,
after the lot is off sale."""

import datetime

import pytest
from django.db import transaction

from shop import inventory
from shop.fulfilment import shipments, withdrawals
from shop.models import AllocationState, Batch, BatchStatus, OrderLineBatch, StockMovement
from shop.models.fulfilment import Shipment, ShipmentStatus
from tests.factories import BatchFactory
from tests.traceability.recall_data import buy, honey_batch

pytestmark = pytest.mark.django_db


def withdraw(batch) -> list[withdrawals.LineOutcome]:
    with transaction.atomic():
        Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RECALLED)
        return withdrawals.withdraw_lot(batch_id=batch.pk)


def allocations(order) -> list[tuple[str, int, str]]:
    return list(
        OrderLineBatch.objects.filter(line__order=order)
        .order_by("pk")
        .values_list("batch__lot_code", "quantity", "state")
    )


def shipment_of(order) -> Shipment:
    return Shipment.objects.get(order=order)


def ledger_matches(*batches) -> None:
    for batch in batches:
        batch.refresh_from_db()
        assert batch.on_hand == inventory.ledger_on_hand(batch_id=batch.pk)


def test_an_unpacked_line_is_re_allocated_from_another_lot_and_its_shipment_released(today):
    # Given a paid order of 3 jars waiting to be packed, and a later lot of the same jar
    batch = honey_batch()
    later = BatchFactory(variant=batch.variant, lot_code="HN2504", best_before=batch.best_before)
    spare = BatchFactory(
        variant=batch.variant,
        lot_code="HN2509",
        best_before=batch.best_before + datetime.timedelta(days=30),
    )
    order = buy((batch.variant, 3), email="anna@example.de")

    # When the lot is withdrawn
    outcomes = withdraw(batch)

    # Then the line comes from the first lot in FEFO order, the recalled units are back
    line = order.lines.get()
    assert outcomes == [
        withdrawals.LineOutcome(
            order_id=order.pk,
            line_id=line.pk,
            shipment_id=shipment_of(order).pk,
            units=3,
            outcome=withdrawals.REPLACED,
            replacement_batch_id=later.pk,
            replacement_lot="HN2504",
        )
    ]
    assert allocations(order) == [
        ("HN2503", 3, AllocationState.RETURNED),
        ("HN2504", 3, AllocationState.SOLD),
    ]
    batch.refresh_from_db()
    later.refresh_from_db()
    spare.refresh_from_db()
    assert (batch.on_hand, later.on_hand, spare.on_hand) == (20, 17, 20)
    assert list(StockMovement.objects.filter(batch=batch).values_list("kind", "quantity")) == [
        ("received", 20),
        ("sold", -3),
        ("returned", 3),
    ]
    ledger_matches(batch, later, spare)
    # and the shipment went on hold (off the packing list) and back to be packed
    shipment = shipment_of(order)
    assert shipment.status == ShipmentStatus.TO_PACK
    assert list(shipment.history.values_list("from_status", "to_status", "note")) == [
        ("", ShipmentStatus.TO_PACK, ""),
        (ShipmentStatus.TO_PACK, ShipmentStatus.ON_HOLD, "recall"),
        (ShipmentStatus.ON_HOLD, ShipmentStatus.TO_PACK, ""),
    ]


def test_a_line_no_other_lot_can_fill_is_marked_for_refund_and_its_shipment_stays_held():
    # Given a paid order of 3 jars and another lot with only 2 left
    batch = honey_batch()
    BatchFactory(variant=batch.variant, lot_code="HN2504", quantity_received=2)
    order = buy((batch.variant, 3), email="anna@example.de")

    outcomes = withdraw(batch)

    assert [(o.units, o.outcome, o.replacement_lot) for o in outcomes] == [
        (3, withdrawals.NEEDS_REFUND, "")
    ]
    assert allocations(order) == [("HN2503", 3, AllocationState.RETURNED)]
    shipment = shipment_of(order)
    assert (shipment.status, shipment.hold_reason) == (ShipmentStatus.ON_HOLD, "recall")
    batch.refresh_from_db()
    assert batch.on_hand == 20
    ledger_matches(batch)


def test_a_packed_parcel_stays_on_hold_even_when_replaced():
    # Given a packed shipment: its parcel holds jars of the recalled lot
    batch = honey_batch()
    BatchFactory(variant=batch.variant, lot_code="HN2504")
    order = buy((batch.variant, 1), email="anna@example.de")
    shipments.mark_packed(shipment_id=shipment_of(order).pk, actor=None)

    [outcome] = withdraw(batch)

    assert outcome.outcome == withdrawals.REPLACED
    assert shipment_of(order).status == ShipmentStatus.ON_HOLD


def test_shipped_units_and_unpaid_allocations_are_left_alone():
    batch = honey_batch()
    BatchFactory(variant=batch.variant, lot_code="HN2504")
    shipped = buy((batch.variant, 2), email="anna@example.de", shipped=True)
    unpaid = buy((batch.variant, 1), email="binh@example.vn", paid=False)

    assert withdraw(batch) == []

    assert allocations(shipped) == [("HN2503", 2, AllocationState.SOLD)]
    assert allocations(unpaid) == [("HN2503", 1, AllocationState.ALLOCATED)]
    assert shipment_of(shipped).status == ShipmentStatus.SHIPPED
    batch.refresh_from_db()
    assert batch.on_hand == 18


def test_replacement_units_held_by_carts_are_not_taken():
    # Given a lot whose every unit a cart holds
    from tests.factories import CartFactory

    batch = honey_batch()
    order = buy((batch.variant, 1), email="anna@example.de")
    other = BatchFactory(
        variant=batch.variant,
        lot_code="HN2504",
        quantity_received=2,
        best_before=batch.best_before - datetime.timedelta(days=10),
    )
    inventory.hold(cart=CartFactory(), variant=batch.variant, quantity=2)
    assert Batch.objects.with_available().get(pk=other.pk).available == 0

    [outcome] = withdraw(batch)

    assert outcome.outcome == withdrawals.NEEDS_REFUND
    assert allocations(order) == [("HN2503", 1, AllocationState.RETURNED)]
