"""One order, two cooperatives: a jar of fish sauce of cooperative B and a Tết gift box
assembled by cooperative A (a box lot of the gift set), and the checks that the ledger
and the allocations agree."""

from decimal import Decimal

from django.db.models import Sum

from shop import inventory
from shop.fulfilment.payment import pay_order
from shop.models import AllocationState, Batch, MovementKind, OrderLineBatch, StockMovement
from shop.payments import dummy
from tests.factories import (
    BatchFactory,
    CooperativeFactory,
    GiftSetComponentFactory,
    ProductFactory,
    VariantFactory,
)
from tests.factories import assembled_box_lot as make_box_lot
from tests.shop.checkout_data import placed_order


def two_cooperatives():
    """(coop A, gift box variant, its box lot), (coop B, fish sauce variant, its lot)."""
    coop_a = CooperativeFactory(name="HTX Quà Tết Hà Nội")
    coop_b = CooperativeFactory(name="HTX Nước mắm Phú Quốc")
    box = VariantFactory(
        product=ProductFactory(
            cooperative=coop_a, is_gift_set=True, name_en="Tết gift box", name_vi="Hộp quà Tết"
        ),
        name_en="Red box",
        name_vi="Hộp đỏ",
        price_usd=Decimal("79.00"),
        weight_grams=900,
    )
    tea = VariantFactory(
        product=ProductFactory(cooperative=coop_a, name_en="Tân Cương tea"), weight_grams=100
    )
    BatchFactory(variant=tea, lot_code="TEA-A1", quantity_received=20)
    GiftSetComponentFactory(gift_set=box, component=tea, quantity=2)
    box_lot = make_box_lot(gift_set=box, boxes=5, lot_code="BOX-A1")
    sauce = VariantFactory(
        product=ProductFactory(
            cooperative=coop_b, name_en="Phú Quốc fish sauce", name_vi="Nước mắm Phú Quốc"
        ),
        name_en="500 ml bottle",
        weight_grams=600,
    )
    sauce_lot = BatchFactory(variant=sauce, lot_code="NM-B1", quantity_received=10)
    return (coop_a, box, box_lot), (coop_b, sauce, sauce_lot)


def paid_order(*items, language: str = "en"):
    """An order of the items, paid through the dummy gateway (a Payment row, so refunds
    have money to give back)."""
    order = placed_order(*items, language=language)
    payment = dummy.DummyGateway().start_payment(order=order).payment
    dummy.complete(reference=payment.reference, approve=True)
    order.refresh_from_db()
    return order


def pay(order):
    return pay_order(order_id=order.pk)


def assert_ledger_agrees() -> None:
    """Every batch's cached on-hand equals its ledger, and the allocations agree with the
    sold and returned movements: units sold (still sold or since returned) are what the
    `sold` movements took, and units returned are what the `returned` movements gave back."""
    for batch in Batch.objects.all():
        assert batch.on_hand == inventory.ledger_on_hand(batch_id=batch.pk), batch.lot_code
        moved = StockMovement.objects.filter(batch=batch)
        sold_out = -(moved.filter(kind=MovementKind.SOLD).aggregate(t=Sum("quantity"))["t"] or 0)
        back = moved.filter(kind=MovementKind.RETURNED).aggregate(t=Sum("quantity"))["t"] or 0
        allocations = OrderLineBatch.objects.filter(batch=batch)
        sold = allocations.filter(state=AllocationState.SOLD).aggregate(t=Sum("quantity"))["t"]
        returned = allocations.filter(state=AllocationState.RETURNED).aggregate(t=Sum("quantity"))[
            "t"
        ]
        assert (sold or 0) + (returned or 0) == sold_out, batch.lot_code
        assert (returned or 0) == back, batch.lot_code
        assert batch.on_hand >= 0
