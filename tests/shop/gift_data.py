"""Shared data of the gift tests: a paid gift order to Germany (tests.shop.checkout_data),
signed "Oma Jane", read in Vietnamese, of a Tết gift box and `extra` plain products."""

from dataclasses import replace

from shop import checkout
from shop.fulfilment import shipments
from shop.models import Shipment
from shop.models.gifts import Gift
from shop.payments import dummy
from tests.factories import BatchFactory, VariantFactory
from tests.shop.checkout_data import GERMANY, cart_with, gift_set, honey, shipping_zones

GIFT_DETAILS = replace(
    GERMANY,
    gift_message="Chúc mừng năm mới, Anna! Thương nhiều.",
    gift_signature="Oma Jane",
    gift_language="vi",
)


def gift_order(*, extra: int = 0, box: bool = True, language: str = "en", details=GIFT_DETAILS):
    """(order, gift) paid through the dummy gateway: one Tết box (honey + 2 tea) and `extra`
    other products, each from its own lot."""
    methods = shipping_zones()
    items = []
    if box:
        honey_variant = honey()
        BatchFactory(variant=honey_variant, lot_code="HONEY1", quantity_received=30)
        box_variant, _tea = gift_set(honey_variant=honey_variant)
        items.append((box_variant, 1))
    for n in range(extra):
        variant = VariantFactory(product__name_en=f"Product {n}", product__story_en=f"Story {n}")
        BatchFactory(variant=variant, lot_code=f"LOT{n}", quantity_received=10)
        items.append((variant, 1))
    cart = cart_with(*items, language=language)
    checkout.save_details(cart=cart, details=details)
    order = checkout.place_order(
        cart=cart, shipping_method_id=methods["Europe"][0].pk, currency="USD", language=language
    )
    payment = dummy.DummyGateway().start_payment(order=order).payment
    dummy.complete(reference=payment.reference, approve=True)
    order.refresh_from_db()
    return order, Gift.objects.get(order=order)


def deliver(order) -> None:
    """Pack, ship and deliver every shipment of the order (the box is with the receiver)."""
    for shipment in Shipment.objects.filter(order=order):
        shipments.mark_packed(shipment_id=shipment.pk, actor=None)
        shipments.mark_shipped(
            shipment_id=shipment.pk, carrier="VNPost", tracking_number="EE1VN", actor=None
        )
        shipments.mark_delivered(shipment_id=shipment.pk, actor=None)
