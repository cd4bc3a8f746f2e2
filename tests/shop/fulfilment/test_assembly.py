"""Gift boxes are made, then sold: assembly runs move component units into a box lot."""

import datetime

import pytest
from django.utils import timezone

from shop import inventory
from shop.fulfilment import assembly
from shop.models import (
    AssemblyInput,
    AssemblyRun,
    Batch,
    BatchStatus,
    MovementKind,
    StockMovement,
    Transfer,
    TransferStatus,
)
from tests.factories import (
    BatchFactory,
    CartFactory,
    GiftSetComponentFactory,
    StaffFactory,
    UserFactory,
    VariantFactory,
    assembled_box_lot,
)
from traceability.models import EventKind, TraceEvent

pytestmark = pytest.mark.django_db


def gift_set_of(*recipe, cooperative=None):
    """A gift set of the given (component variant, units per box) pairs."""
    gift_set = VariantFactory(
        product__is_gift_set=True, **({"product__cooperative": cooperative} if cooperative else {})
    )
    for component, units in recipe:
        GiftSetComponentFactory(gift_set=gift_set, component=component, quantity=units)
    return gift_set


def own_variant(gift_set_cooperative, **kwargs):
    return VariantFactory(product__cooperative=gift_set_cooperative, **kwargs)


def everything():
    return (
        Batch.objects.count(),
        StockMovement.objects.count(),
        AssemblyRun.objects.count(),
        AssemblyInput.objects.count(),
        Transfer.objects.count(),
        TraceEvent.objects.count(),
        sorted(Batch.objects.values_list("pk", "on_hand", "status")),
    )


def ledger_matches(batch) -> bool:
    batch.refresh_from_db()
    return inventory.ledger_on_hand(batch_id=batch.pk) == batch.on_hand


def test_a_run_moves_component_units_out_and_opens_the_box_lot(today):
    # given a set of 1 tea and 2 honey jars, all of the set's own cooperative
    box = VariantFactory(product__is_gift_set=True)
    coop = box.product.cooperative
    tea, honey = own_variant(coop), own_variant(coop)
    GiftSetComponentFactory(gift_set=box, component=tea, quantity=1)
    GiftSetComponentFactory(gift_set=box, component=honey, quantity=2)
    tea_lot = BatchFactory(variant=tea, quantity_received=20)
    honey_lot = BatchFactory(
        variant=honey,
        quantity_received=30,
        harvest_date=today - datetime.timedelta(days=90),
        best_before=today + datetime.timedelta(days=100),
    )

    # when 6 boxes are assembled
    run = assembly.assemble(gift_set=box, boxes=6, actor=None, lot_code="TET-01")

    # then tea −6, honey −12, the box lot +6, and every counter matches its ledger
    lot = run.box_batch
    assert (lot.variant_id, lot.lot_code, lot.on_hand, lot.quantity_received) == (
        box.pk,
        "TET-01",
        6,
        6,
    )
    assert lot.status == BatchStatus.ON_SALE
    tea_lot.refresh_from_db()
    honey_lot.refresh_from_db()
    assert (tea_lot.on_hand, honey_lot.on_hand) == (14, 18)
    assert list(
        StockMovement.objects.filter(kind=MovementKind.ASSEMBLED)
        .order_by("batch_id")
        .values_list("batch_id", "quantity", "reason_code", "reason_params")
    ) == [
        (tea_lot.pk, -6, "assembled_into", {"lot": "TET-01"}),
        (honey_lot.pk, -12, "assembled_into", {"lot": "TET-01"}),
        (lot.pk, 6, "", {}),
    ]
    assert all(ledger_matches(b) for b in (tea_lot, honey_lot, lot))
    # dates: earliest component harvest and best-before, packed today, in the assembler's village
    assert lot.harvest_date == honey_lot.harvest_date
    assert lot.best_before == honey_lot.best_before
    assert lot.packing_date == today
    assert lot.village_id == coop.village_id
    assert sorted(run.inputs.values_list("batch_id", "quantity")) == [
        (tea_lot.pk, 6),
        (honey_lot.pk, 12),
    ]
    assert (run.boxes, run.assembler_id, run.transfers.count()) == (6, coop.pk, 0)
    event = TraceEvent.objects.get(batch=lot)
    assert event.kind == EventKind.TRANSFORMATION
    assert sorted(event.inputs.values_list("pk", flat=True)) == sorted([tea_lot.pk, honey_lot.pk])


def test_fefo_takes_the_earliest_best_before_first_and_spills_over(today):
    box = VariantFactory(product__is_gift_set=True)
    tea = own_variant(box.product.cooperative)
    GiftSetComponentFactory(gift_set=box, component=tea, quantity=1)
    late = BatchFactory(
        variant=tea, quantity_received=10, best_before=today + datetime.timedelta(days=300)
    )
    early = BatchFactory(
        variant=tea, quantity_received=4, best_before=today + datetime.timedelta(days=30)
    )

    run = assembly.assemble(gift_set=box, boxes=6, actor=None)

    assert sorted(run.inputs.values_list("batch_id", "quantity")) == sorted(
        [(early.pk, 4), (late.pk, 2)]
    )
    assert run.box_batch.best_before == early.best_before
    assert run.box_batch.lot_code == f"BOX{today:%y%m%d}-1"


def test_fefo_skips_held_units_and_lots_not_on_sale(today):
    box = VariantFactory(product__is_gift_set=True)
    tea = own_variant(box.product.cooperative)
    GiftSetComponentFactory(gift_set=box, component=tea, quantity=1)
    held = BatchFactory(
        variant=tea, quantity_received=3, best_before=today + datetime.timedelta(days=20)
    )
    recalled = BatchFactory(
        variant=tea, quantity_received=9, best_before=today + datetime.timedelta(days=25)
    )
    Batch.objects.filter(pk=recalled.pk).update(status=BatchStatus.RECALLED)
    rest = BatchFactory(
        variant=tea, quantity_received=10, best_before=today + datetime.timedelta(days=90)
    )
    inventory.hold(cart=CartFactory(), variant=tea, quantity=2)  # 2 of `held` are in a cart

    run = assembly.assemble(gift_set=box, boxes=4, actor=None)

    assert sorted(run.inputs.values_list("batch_id", "quantity")) == sorted(
        [(held.pk, 1), (rest.pk, 3)]
    )


def test_chosen_lots_are_used_as_given(today):
    box = VariantFactory(product__is_gift_set=True)
    tea = own_variant(box.product.cooperative)
    GiftSetComponentFactory(gift_set=box, component=tea, quantity=2)
    BatchFactory(variant=tea, quantity_received=10, best_before=today + datetime.timedelta(days=30))
    newer = BatchFactory(variant=tea, quantity_received=10)

    run = assembly.assemble(gift_set=box, boxes=3, actor=None, lots={newer.pk: 6})

    assert list(run.inputs.values_list("batch_id", "quantity")) == [(newer.pk, 6)]


def test_a_component_lot_of_another_cooperative_makes_a_transfer_and_waits():
    box = VariantFactory(product__is_gift_set=True)
    own = own_variant(box.product.cooperative)
    theirs = VariantFactory()
    GiftSetComponentFactory(gift_set=box, component=own)
    GiftSetComponentFactory(gift_set=box, component=theirs, quantity=2)
    BatchFactory(variant=own)
    their_lot = BatchFactory(variant=theirs)

    run = assembly.assemble(gift_set=box, boxes=3, actor=None)

    transfer = Transfer.objects.get()
    assert (transfer.run_id, transfer.batch_id, transfer.quantity, transfer.status) == (
        run.pk,
        their_lot.pk,
        6,
        TransferStatus.REQUESTED,
    )
    assert (transfer.from_cooperative_id, transfer.to_cooperative_id) == (
        theirs.product.cooperative_id,
        box.product.cooperative_id,
    )
    assert run.box_batch.status == BatchStatus.ASSEMBLING
    assert not Batch.objects.on_sale().filter(pk=run.box_batch.pk).exists()
    with pytest.raises(inventory.OutOfStock):
        inventory.hold(cart=CartFactory(), variant=box, quantity=1)


@pytest.mark.parametrize("boxes", [0, -1, 1001, "3", 2.0, None])
def test_an_invalid_number_of_boxes_writes_nothing(boxes):
    box_lot = assembled_box_lot(boxes=1)
    before = everything()

    with pytest.raises(assembly.InvalidBoxes):
        assembly.assemble(gift_set=box_lot.variant, boxes=boxes, actor=None)

    assert everything() == before


def test_not_enough_components_says_what_is_available_and_writes_nothing():
    box = VariantFactory(product__is_gift_set=True)
    tea, honey = own_variant(box.product.cooperative), own_variant(box.product.cooperative)
    GiftSetComponentFactory(gift_set=box, component=tea)
    GiftSetComponentFactory(gift_set=box, component=honey, quantity=3)
    BatchFactory(variant=tea, quantity_received=20)
    BatchFactory(variant=honey, quantity_received=10)
    before = everything()

    with pytest.raises(assembly.NotEnoughComponents) as refused:
        assembly.assemble(gift_set=box, boxes=4, actor=None)

    assert (refused.value.variant_id, refused.value.needed, refused.value.available) == (
        honey.pk,
        12,
        10,
    )
    assert everything() == before


def test_a_plain_variant_is_not_a_gift_set():
    batch = BatchFactory()
    before = everything()

    with pytest.raises(assembly.NotAGiftSet):
        assembly.assemble(gift_set=batch.variant, boxes=1, actor=None)

    assert everything() == before


def test_chosen_lots_must_be_components_on_sale_and_add_up():
    box_lot = assembled_box_lot(boxes=1)
    gift_set = box_lot.variant
    parts = list(Batch.objects.exclude(pk=box_lot.pk).order_by("pk"))
    stranger = BatchFactory()
    before = everything()

    with pytest.raises(assembly.LotNotUsable):
        assembly.assemble(
            gift_set=gift_set, boxes=1, actor=None, lots={stranger.pk: 1, parts[0].pk: 1}
        )
    with pytest.raises(assembly.NotEnoughComponents):
        assembly.assemble(gift_set=gift_set, boxes=2, actor=None, lots={p.pk: 1 for p in parts})
    with pytest.raises(assembly.NotEnoughComponents):
        assembly.assemble(gift_set=gift_set, boxes=1, actor=None, lots={parts[0].pk: 1})

    assert everything() == before


def test_a_taken_lot_code_is_refused_and_nothing_is_written():
    box_lot = assembled_box_lot(boxes=1, lot_code="SAME-1")
    before = everything()

    with pytest.raises(assembly.InvalidLotCode):
        assembly.assemble(gift_set=box_lot.variant, boxes=1, actor=None, lot_code="SAME-1")

    assert everything() == before


def test_only_the_assemblers_staff_or_a_superuser_may_assemble():
    box_lot = assembled_box_lot(boxes=1)
    gift_set = box_lot.variant
    before = everything()

    with pytest.raises(assembly.NotAllowed):
        assembly.assemble(gift_set=gift_set, boxes=1, actor=StaffFactory())
    with pytest.raises(assembly.NotAllowed):
        assembly.assemble(gift_set=gift_set, boxes=1, actor=UserFactory())
    assert everything() == before

    staff = StaffFactory(cooperative=gift_set.product.cooperative)
    run = assembly.assemble(gift_set=gift_set, boxes=1, actor=staff)
    assert run.created_by == staff
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert assembly.assemble(gift_set=gift_set, boxes=1, actor=admin).created_by == admin


def test_the_transformation_is_recorded_when_it_happened():
    moment = timezone.now() - datetime.timedelta(hours=3)
    box_lot = assembled_box_lot(boxes=2, now=moment)

    assert box_lot.assembly.created_at == moment
    assert TraceEvent.objects.get(batch=box_lot).occurred_at == moment
