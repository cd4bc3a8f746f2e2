import pytest
from django.core.exceptions import ValidationError

from shop import inventory
from shop.models import Batch, MovementKind, StockMovement
from tests.factories import BatchFactory, VariantFactory, VillageFactory

pytestmark = pytest.mark.django_db


def test_receive_batch_writes_one_received_movement():
    batch = BatchFactory(quantity_received=12)

    movements = list(batch.movements.values_list("kind", "quantity"))
    assert movements == [(MovementKind.RECEIVED, 12)]
    assert batch.on_hand == 12
    assert inventory.ledger_on_hand(batch_id=batch.pk) == 12


def test_counter_matches_ledger_after_mixed_movements():
    batch = BatchFactory(quantity_received=10)

    inventory.record_movement(batch_id=batch.pk, kind=MovementKind.SOLD, quantity=-3)
    inventory.record_movement(batch_id=batch.pk, kind=MovementKind.DAMAGED, quantity=-1)
    inventory.record_movement(batch_id=batch.pk, kind=MovementKind.RETURNED, quantity=2)
    inventory.record_movement(batch_id=batch.pk, kind=MovementKind.ADJUSTED, quantity=-5)

    batch.refresh_from_db()
    assert batch.on_hand == 3
    assert inventory.ledger_on_hand(batch_id=batch.pk) == 3


def test_movement_below_zero_is_refused_and_writes_nothing():
    batch = BatchFactory(quantity_received=2)

    with pytest.raises(inventory.InsufficientStock) as refused:
        inventory.record_movement(batch_id=batch.pk, kind=MovementKind.DAMAGED, quantity=-3)

    assert refused.value.available == 2
    batch.refresh_from_db()
    assert batch.on_hand == 2
    assert StockMovement.objects.filter(batch=batch).count() == 1


@pytest.mark.parametrize(
    ("kind", "quantity"),
    [(MovementKind.RECEIVED, -1), (MovementKind.SOLD, 1), (MovementKind.ADJUSTED, 0)],
)
def test_movement_sign_must_fit_its_kind(kind, quantity):
    batch = BatchFactory(quantity_received=5)

    with pytest.raises(inventory.InvalidMovement):
        inventory.record_movement(batch_id=batch.pk, kind=kind, quantity=quantity)

    assert StockMovement.objects.filter(batch=batch).count() == 1


def test_receive_batch_rejects_bad_lot_code_without_writing(today):
    variant = VariantFactory()

    with pytest.raises(ValidationError):
        inventory.receive_batch(
            variant=variant,
            lot_code="LOT WITH SPACE",
            harvest_date=today,
            packing_date=today,
            best_before=today,
            village=VillageFactory(),
            quantity=3,
        )

    assert Batch.objects.count() == 0
    assert StockMovement.objects.count() == 0
