"""Shared data of the recall tests: a batch of longan honey from Hưng Yên, bought through the
real checkout by several buyers (paid, unpaid, cancelled, inside a gift set)."""

import dataclasses

from shop import checkout, orders
from shop.models import Order
from tests.factories import BatchFactory, StaffFactory, UserFactory
from tests.shop.checkout_data import GERMANY, cart_with, gift_set, honey, shipping_zones

LOT = "HN2503"
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


def buy(*items, email: str, language: str = "en", buyer_name: str = "Jane Doe", paid=True):
    """An order for the (variant, quantity) pairs placed through checkout, paid unless told."""
    methods = shipping_zones()
    cart = cart_with(*items, language=language)
    details = dataclasses.replace(GERMANY, email=email, buyer_name=buyer_name, is_gift=False)
    checkout.save_details(cart=cart, details=details)
    order = checkout.place_order(
        cart=cart, shipping_method_id=methods["Europe"][0].pk, currency="USD", language=language
    )
    if paid:
        orders.mark_paid(order_id=order.pk)
    return Order.objects.get(pk=order.pk)


def gift_box_with(batch):
    """A Tết box holding one jar of the batch's honey and two tins of tea."""
    box, _tea = gift_set(honey_variant=batch.variant)
    return box
