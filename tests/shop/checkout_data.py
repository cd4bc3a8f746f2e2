"""Shared data of the cart, checkout and order tests: a jar of honey, a gift set of two
components, shipping zones with weight bands, and a cart checked out to Germany."""

from decimal import Decimal

from shop import checkout, inventory
from shop.fulfilment import assembly, transfers
from shop.models import ShippingZone
from tests.factories import (
    BatchFactory,
    CartFactory,
    GiftSetComponentFactory,
    ShippingMethodFactory,
    ShippingRateFactory,
    ShippingZoneFactory,
    UserFactory,
    VariantFactory,
)

GERMANY = checkout.CheckoutDetails(
    email="anna@example.de",
    buyer_name="Jane Doe",
    full_name="Anna Schmidt",
    line1="Hauptstraße 5",
    city="Berlin",
    postal_code="10115",
    country="DE",
    is_gift=True,
    gift_message="Happy birthday, Anna! Love, Jane",
    gift_wrap=True,
    hide_prices=True,
)


def honey(**kwargs):
    """A 250 g jar of honey (380 g with the jar): 10.90 USD, 9.90 EUR, 145,000 VND."""
    defaults = dict(
        product__name_en="Tây Bắc wildflower honey",
        product__name_vi="Mật ong hoa rừng Tây Bắc",
        product__slug="honey",
        name_en="250 g jar",
        name_vi="Hũ 250 g",
        weight_grams=380,
        price_usd=Decimal("10.90"),
        price_eur=Decimal("9.90"),
        price_vnd=Decimal("145000"),
    )
    return VariantFactory(**{**defaults, **kwargs})


def gift_set(*, honey_variant, tea_units: int = 20, boxes: int = 5, box_lot: str = "BOX1"):
    """A Tết box of one jar of honey and two tins of tea: 79 USD, 2.2 kg. `boxes` boxes are
    assembled into lot `box_lot` (the honey needs a lot with free units), and the
    components of the two partner cooperatives sent and received, so the box lot is on
    sale."""
    box = VariantFactory(
        product__name_en="Tết gift box",
        product__name_vi="Hộp quà Tết",
        product__is_gift_set=True,
        product__slug="tet-box",
        name_en="Red gift box",
        name_vi="Hộp quà đỏ",
        weight_grams=2200,
        price_usd=Decimal("79.00"),
        price_eur=Decimal("72.50"),
        price_vnd=Decimal("1250000"),
    )
    tea = VariantFactory(product__name_en="Tân Cương tea", name_en="100 g tin")
    BatchFactory(variant=tea, lot_code="TEA1", quantity_received=tea_units)
    GiftSetComponentFactory(gift_set=box, component=honey_variant, quantity=1)
    GiftSetComponentFactory(gift_set=box, component=tea, quantity=2)
    if boxes:
        admin = UserFactory(is_superuser=True, is_staff=True)
        run = assembly.assemble(gift_set=box, boxes=boxes, actor=None, lot_code=box_lot)
        for transfer in run.transfers.all():
            transfers.mark_sent(transfer_id=transfer.pk, actor=admin)
            transfers.mark_received(transfer_id=transfer.pk, actor=admin)
    return box, tea


def shipping_zones():
    """Europe (DE, FR, NL) and the rest of the world, two methods each (airmail, express),
    weight bands of 1 kg and 5 kg; made once per test, then found again."""
    if ShippingZone.objects.exists():
        return {
            zone.name: tuple(zone.methods.order_by("pk")) for zone in ShippingZone.objects.all()
        }
    europe = ShippingZoneFactory(name="Europe", countries=["DE", "FR", "NL"])
    world = ShippingZoneFactory(name="Rest of the world", countries=[], is_default=True)
    methods = {}
    for zone, factor in ((europe, 1), (world, 2)):
        standard = ShippingMethodFactory(zone=zone, name=f"{zone.name} airmail")
        express = ShippingMethodFactory(
            zone=zone,
            name=f"{zone.name} express",
            carrier="DHL",
            delivery_days_min=2,
            delivery_days_max=5,
        )
        for method, extra in ((standard, 0), (express, 20)):
            ShippingRateFactory(
                method=method,
                max_weight_grams=1000,
                price_usd=Decimal(12 * factor + extra),
                price_eur=Decimal(11 * factor + extra),
                price_vnd=Decimal(300000 * factor + extra * 25000),
            )
            ShippingRateFactory(
                method=method,
                max_weight_grams=5000,
                price_usd=Decimal(25 * factor + extra),
                price_eur=Decimal("22.50") * factor + extra,
                price_vnd=Decimal(600000 * factor + extra * 25000),
            )
        methods[zone.name] = (standard, express)
    return methods


def cart_with(*items, currency: str = "USD", language: str = "en"):
    """A cart holding (variant, quantity) pairs."""
    cart = CartFactory(currency=currency, language=language)
    for variant, quantity in items:
        inventory.hold(cart=cart, variant=variant, quantity=quantity)
    return cart


def placed_order(*items, currency: str = "USD", language: str = "en", user=None):
    """An unpaid order for the (variant, quantity) pairs, shipped to Germany by airmail."""
    methods = shipping_zones()
    cart = cart_with(*items, currency=currency, language=language)
    checkout.save_details(cart=cart, details=GERMANY)
    return checkout.place_order(
        cart=cart,
        shipping_method_id=methods["Europe"][0].pk,
        currency=currency,
        language=language,
        user=user,
    )
