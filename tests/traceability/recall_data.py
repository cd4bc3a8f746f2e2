"""Shared data of the recall tests: a batch of longan honey from Hưng Yên, bought through the
real checkout by several buyers (paid, unpaid, shipped or waiting to be packed, inside gift
boxes assembled from it)."""

import dataclasses
from decimal import Decimal

from shop import checkout
from shop.fulfilment import assembly, shipments
from shop.models import Order
from shop.models.fulfilment import Shipment
from shop.payments import dummy
from tests.factories import BatchFactory, StaffFactory, UserFactory, VariantFactory
from tests.shop.checkout_data import GERMANY, cart_with, honey, shipping_zones

LOT = "HN2503"
BOX_LOT = "BOX2503"
REASON = "Traces of an undeclared allergen (peanut) found by the provincial lab."


def honey_batch(**fields):
    """Lot HN2503 of longan honey, 20 jars, with names in both languages."""
    jar = honey(
        product__name_en="Longan honey",
        product__name_vi="Mật ong nhãn",
        name_en="250 g jar",
        name_vi="Hũ 250 g",
    )
    return BatchFactory(variant=jar, lot_code=LOT, quantity_received=20, **fields)


def staff_of(batch, **fields):
    return StaffFactory(cooperative=batch.variant.product.cooperative, **fields)


def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def buy(
    *items,
    email: str,
    language: str = "en",
    buyer_name: str = "Jane Doe",
    paid=True,
    shipped=False,
):
    """An order for the (variant, quantity) pairs placed through checkout, paid unless told
    (the dummy gateway, shop.fulfilment.payment.pay_order: split into shipments), and
    shipped when told."""
    methods = shipping_zones()
    cart = cart_with(*items, language=language)
    details = dataclasses.replace(GERMANY, email=email, buyer_name=buyer_name, is_gift=False)
    checkout.save_details(cart=cart, details=details)
    order = checkout.place_order(
        cart=cart, shipping_method_id=methods["Europe"][0].pk, currency="USD", language=language
    )
    if paid:
        # Through the dummy gateway, so the order has a Payment a refund can go back on.
        started = dummy.DummyGateway().start_payment(order=order)
        dummy.complete(reference=started.payment.reference, approve=True)
    if shipped:
        ship(order)
    return Order.objects.get(pk=order.pk)


def ship(order) -> None:
    """Every shipment of the order packed and handed to the carrier."""
    for number, shipment in enumerate(Shipment.objects.filter(order=order).order_by("pk")):
        shipments.mark_packed(shipment_id=shipment.pk, actor=None)
        shipments.mark_shipped(
            shipment_id=shipment.pk,
            carrier="VNPost",
            tracking_number=f"VN{order.pk:04d}{number}",
            actor=None,
        )


def gift_box_with(batch, *, boxes: int = 5, lot_code: str = BOX_LOT):
    """A Tết box holding one jar of the batch's honey and two tins of tea, of the honey's
    cooperative; `boxes` boxes assembled (lot BOX2503) and on sale. Returns the box variant."""
    from tests.factories import GiftSetComponentFactory

    cooperative = batch.variant.product.cooperative
    box = VariantFactory(
        product__name_en="Tết gift box",
        product__name_vi="Hộp quà Tết",
        product__is_gift_set=True,
        product__slug="tet-box",
        product__cooperative=cooperative,
        name_en="Red gift box",
        name_vi="Hộp quà đỏ",
        weight_grams=2200,
        price_usd=Decimal("79.00"),
        price_eur=Decimal("72.50"),
        price_vnd=Decimal("1250000"),
    )
    tea = VariantFactory(
        product__name_en="Tân Cương tea", product__cooperative=cooperative, name_en="100 g tin"
    )
    tea_lot = BatchFactory(variant=tea, lot_code="TEA1", quantity_received=40)
    GiftSetComponentFactory(gift_set=box, component=batch.variant, quantity=1)
    GiftSetComponentFactory(gift_set=box, component=tea, quantity=2)
    assembly.assemble(
        gift_set=box,
        boxes=boxes,
        actor=None,
        lots={batch.pk: boxes, tea_lot.pk: 2 * boxes},
        lot_code=lot_code,
    )
    return box
