import datetime

import pytest
from django.utils import timezone

from shop import inventory
from shop.models import Batch, BatchStatus, CartLine, StockHold
from tests.factories import BatchFactory, CartFactory, VariantFactory, assembled_box_lot

pytestmark = pytest.mark.django_db


def available(batch) -> int:
    return Batch.objects.with_available().get(pk=batch.pk).available


def held(cart) -> list[tuple[str, int]]:
    return list(
        StockHold.objects.filter(cart=cart)
        .order_by("pk")
        .values_list("batch__lot_code", "quantity")
    )


def test_hold_takes_earliest_best_before_first(today):
    variant = VariantFactory()
    later = BatchFactory(
        variant=variant, lot_code="LATE", best_before=today + datetime.timedelta(days=300)
    )
    sooner = BatchFactory(
        variant=variant, lot_code="SOON", best_before=today + datetime.timedelta(days=30)
    )
    cart = CartFactory()

    inventory.hold(cart=cart, variant=variant, quantity=3)

    assert held(cart) == [("SOON", 3)]
    assert available(sooner) == 17
    assert available(later) == 20


def test_hold_spans_two_batches_when_one_is_not_enough(today):
    variant = VariantFactory()
    BatchFactory(
        variant=variant,
        lot_code="A",
        quantity_received=2,
        best_before=today + datetime.timedelta(days=10),
    )
    BatchFactory(
        variant=variant,
        lot_code="B",
        quantity_received=5,
        best_before=today + datetime.timedelta(days=20),
    )
    cart = CartFactory()

    inventory.hold(cart=cart, variant=variant, quantity=4)

    assert held(cart) == [("A", 2), ("B", 2)]


def test_hold_never_uses_expired_or_recalled_batches(today):
    variant = VariantFactory()
    expired = BatchFactory(
        variant=variant,
        lot_code="OLD",
        harvest_date=today - datetime.timedelta(days=400),
        packing_date=today - datetime.timedelta(days=390),
        best_before=today - datetime.timedelta(days=1),
    )
    recalled = BatchFactory(variant=variant, lot_code="BAD")
    Batch.objects.filter(pk=recalled.pk).update(status=BatchStatus.RECALLED)
    BatchFactory(variant=variant, lot_code="GOOD", quantity_received=1)
    cart = CartFactory()

    with pytest.raises(inventory.OutOfStock) as refused:
        inventory.hold(cart=cart, variant=variant, quantity=2)

    assert refused.value.available == 1
    assert not StockHold.objects.exists()
    assert not CartLine.objects.exists()
    inventory.hold(cart=cart, variant=variant, quantity=1)
    assert held(cart) == [("GOOD", 1)]
    assert available(expired) == 20 and available(recalled) == 20


def test_other_carts_see_live_holds_but_not_expired_ones():
    batch = BatchFactory(quantity_received=3)
    first, second = CartFactory(), CartFactory()
    past = timezone.now() - datetime.timedelta(hours=1)

    inventory.hold(cart=first, variant=batch.variant, quantity=3, now=past)  # lapsed long ago
    assert available(batch) == 3
    inventory.hold(cart=second, variant=batch.variant, quantity=3)

    assert available(batch) == 0
    with pytest.raises(inventory.OutOfStock) as refused:
        inventory.hold(cart=first, variant=batch.variant, quantity=1)
    assert refused.value.available == 0


def test_changing_quantity_replaces_the_line_hold():
    batch = BatchFactory(quantity_received=5)
    cart = CartFactory()

    inventory.hold(cart=cart, variant=batch.variant, quantity=4)
    inventory.hold(cart=cart, variant=batch.variant, quantity=2)

    assert held(cart) == [(batch.lot_code, 2)]
    assert CartLine.objects.get(cart=cart).quantity == 2
    assert available(batch) == 3


def test_cart_activity_extends_live_holds(settings):
    settings.STOCK_HOLD_MINUTES = 15
    first, second = BatchFactory(), BatchFactory()
    cart = CartFactory()
    start = timezone.now()

    inventory.hold(cart=cart, variant=first.variant, quantity=1, now=start)
    inventory.hold(
        cart=cart, variant=second.variant, quantity=1, now=start + datetime.timedelta(minutes=10)
    )

    ends = set(StockHold.objects.filter(cart=cart).values_list("held_until", flat=True))
    assert ends == {start + datetime.timedelta(minutes=25)}


@pytest.mark.parametrize("quantity", [0, -1, 51, 10**9, "3", 2.5])
def test_bad_quantities_are_refused_and_write_nothing(quantity):
    batch = BatchFactory()
    cart = CartFactory()

    with pytest.raises(inventory.InvalidQuantity):
        inventory.hold(cart=cart, variant=batch.variant, quantity=quantity)

    assert not CartLine.objects.exists()
    assert not StockHold.objects.exists()


def test_gift_set_holds_its_box_lots_never_its_components():
    # given a gift set whose component lots have plenty, and one box lot of 2 boxes
    box_lot = assembled_box_lot(boxes=2, lot_code="BOX")
    gift = box_lot.variant
    components_before = sorted(
        Batch.objects.exclude(pk=box_lot.pk).with_available().values_list("pk", "available")
    )
    cart = CartFactory()

    # when a shopper asks for 3 boxes, then for 2
    with pytest.raises(inventory.OutOfStock) as refused:
        inventory.hold(cart=cart, variant=gift, quantity=3)
    inventory.hold(cart=cart, variant=gift, quantity=2)

    # then only what the box lot has can be held, and the components are untouched
    assert refused.value.available == 2
    assert held(cart) == [("BOX", 2)]
    assert StockHold.objects.filter(component__isnull=False).count() == 0
    assert (
        sorted(Batch.objects.exclude(pk=box_lot.pk).with_available().values_list("pk", "available"))
        == components_before
    )


def test_outbound_adjustment_cannot_take_held_units():
    batch = BatchFactory(quantity_received=3)
    inventory.hold(cart=CartFactory(), variant=batch.variant, quantity=2)

    with pytest.raises(inventory.InsufficientStock) as refused:
        inventory.record_movement(batch_id=batch.pk, kind="damaged", quantity=-2)

    assert refused.value.available == 1
    assert inventory.ledger_on_hand(batch_id=batch.pk) == 3


def test_housekeeping_deletes_only_expired_holds():
    batch = BatchFactory()
    old, fresh = CartFactory(), CartFactory()
    inventory.hold(
        cart=old,
        variant=batch.variant,
        quantity=1,
        now=timezone.now() - datetime.timedelta(hours=2),
    )
    inventory.hold(cart=fresh, variant=batch.variant, quantity=1)

    deleted = inventory.delete_expired_holds()

    assert deleted == 1
    assert list(StockHold.objects.values_list("cart", flat=True)) == [fresh.pk]
