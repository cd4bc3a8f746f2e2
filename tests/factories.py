"""factory_boy factories. Batches are received through shop.inventory so the ledger holds."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from shop import inventory
from shop.models import Batch, Cooperative, Product, ProductGroup, User, Variant
from traceability.gs1 import check_digit
from traceability.models import Province, Village

_gtin_counter = itertools.count(1)


def next_gtin() -> str:
    body = f"893{next(_gtin_counter):09d}"
    return f"0{body}{check_digit(body)}"


class ProvinceFactory(factory.django.DjangoModelFactory):
    """Provinces come from the data migration; this finds one by its slug."""

    class Meta:
        model = Province
        django_get_or_create = ("codename",)

    codename = "ha-noi"
    code = 1
    name = "Thành phố Hà Nội"


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    province = factory.SubFactory(ProvinceFactory)
    name = factory.Sequence(lambda n: f"Làng Bát Tràng {n}")
    commune = "Xã Bát Tràng"
    latitude = Decimal("20.97500")
    longitude = Decimal("105.91300")


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"Hợp tác xã Gốm Sứ {n}")
    slug = factory.Sequence(lambda n: f"hop-tac-xa-{n}")
    village = factory.SubFactory(VillageFactory)
    province = factory.SelfAttribute("village.province")
    address = "Thôn 1, Xã Bát Tràng, Hà Nội"
    story_en = "Five generations of potters."
    story_vi = "Năm thế hệ làm gốm."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pass-Word-123")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True
    cooperative = factory.SubFactory(CooperativeFactory)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    cooperative = factory.SubFactory(CooperativeFactory)
    slug = factory.Sequence(lambda n: f"product-{n}")
    group = ProductGroup.FOOD
    name_en = factory.Sequence(lambda n: f"Fish sauce {n}")
    name_vi = factory.Sequence(lambda n: f"Nước mắm {n}")
    description_en = "Anchovy and sea salt, aged twelve months."
    description_vi = "Cá cơm và muối biển, ủ mười hai tháng."
    story_en = "Made by the Nguyễn family."
    story_vi = "Do gia đình họ Nguyễn làm."
    ocop_stars = 4
    ocop_decision_number = "123/QĐ-UBND"
    ocop_certified_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=200)
    )
    ocop_valid_until = factory.LazyAttribute(
        lambda o: o.ocop_certified_on + datetime.timedelta(days=1000)
    )
    hs_code = "210390"


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    name_en = "500 ml bottle"
    name_vi = "Chai 500 ml"
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    gtin = factory.LazyFunction(next_gtin)
    weight_grams = 600
    price_vnd = Decimal("250000")
    price_usd = Decimal("12.50")
    price_eur = Decimal("11.50")


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch

    variant = factory.SubFactory(VariantFactory)
    lot_code = factory.Sequence(lambda n: f"LOT{n:04d}")
    harvest_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))
    packing_date = factory.LazyAttribute(lambda o: o.harvest_date + datetime.timedelta(days=10))
    best_before = factory.LazyAttribute(lambda o: o.packing_date + datetime.timedelta(days=365))
    village = factory.SubFactory(VillageFactory)
    quantity_received = 20

    @classmethod
    def _create(cls, model_class, *args, quantity_received, **kwargs):
        return inventory.receive_batch(quantity=quantity_received, **kwargs)


class CartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shop.Cart"

    currency = "USD"
    language = "en"


class GiftSetComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shop.GiftSetComponent"

    gift_set = factory.SubFactory(VariantFactory, product__is_gift_set=True)
    component = factory.SubFactory(VariantFactory)
    quantity = 1


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shop.Address"

    full_name = "Anna Schmidt"
    line1 = "Hauptstraße 5"
    city = "Berlin"
    postal_code = "10115"
    country = "DE"


class OrderFactory(factory.django.DjangoModelFactory):
    """An order as checkout leaves it (unpaid, not yet expired). Totals are given, not
    computed: tests of pricing go through shop.checkout."""

    class Meta:
        model = "shop.Order"

    email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    buyer_name = "Jane Doe"
    language = "en"
    currency = "USD"
    shipping_address = factory.SubFactory(AddressFactory)
    shipping_method_name = "Airmail"
    subtotal = Decimal("25.00")
    shipping_total = Decimal("9.00")
    gift_wrap_total = Decimal("0")
    total = factory.LazyAttribute(lambda o: o.subtotal + o.shipping_total + o.gift_wrap_total)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(minutes=60))


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shop.OrderLine"

    order = factory.SubFactory(OrderFactory)
    variant = factory.SubFactory(VariantFactory)
    product_name = factory.LazyAttribute(lambda o: o.variant.product.name_en)
    variant_name = factory.LazyAttribute(lambda o: o.variant.name_en)
    sku = factory.LazyAttribute(lambda o: o.variant.sku)
    gtin = factory.LazyAttribute(lambda o: o.variant.gtin)
    quantity = 2
    unit_price = Decimal("12.50")
    currency = factory.SelfAttribute("order.currency")
    line_total = factory.LazyAttribute(lambda o: o.unit_price * o.quantity)


class OrderLineBatchFactory(factory.django.DjangoModelFactory):
    """Units of a batch allocated to an order line (the batch is of the line's variant)."""

    class Meta:
        model = "shop.OrderLineBatch"

    line = factory.SubFactory(OrderLineFactory)
    batch = factory.SubFactory(BatchFactory, variant=factory.SelfAttribute("..line.variant"))
    quantity = factory.SelfAttribute("line.quantity")


class ShippingZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shop.ShippingZone"

    name = factory.Sequence(lambda n: f"Zone {n}")
    countries = ["DE", "FR"]
    is_default = False


class ShippingMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "shop.ShippingMethod"

    zone = factory.SubFactory(ShippingZoneFactory)
    name = "Standard airmail"
    carrier = "VNPost"
    delivery_days_min = 7
    delivery_days_max = 14


class ShippingRateFactory(factory.django.DjangoModelFactory):
    """A weight band of a method: up to 2 kg for 18 USD / 16.50 EUR / 450,000 VND."""

    class Meta:
        model = "shop.ShippingRate"

    method = factory.SubFactory(ShippingMethodFactory)
    max_weight_grams = 2000
    price_usd = Decimal("18.00")
    price_eur = Decimal("16.50")
    price_vnd = Decimal("450000")


def assembled_box_lot(
    *, gift_set=None, boxes: int = 5, parts: int = 2, deliver: bool = True, **kwargs
):
    """A box lot of a gift set made through shop.fulfilment.assembly.assemble. Without a gift
    set, one of `parts` components is made, each with a lot of 20 units of the set's own
    cooperative. With `deliver`, transfers of other cooperatives' lots are marked sent and
    received (by a superuser), so the box lot is on sale."""
    from shop.fulfilment import assembly, transfers

    if gift_set is None:
        gift_set = VariantFactory(product__is_gift_set=True)
        cooperative = gift_set.product.cooperative
        for _ in range(parts):
            part = GiftSetComponentFactory(
                gift_set=gift_set, component__product__cooperative=cooperative
            ).component
            BatchFactory(variant=part)
    run = assembly.assemble(gift_set=gift_set, boxes=boxes, actor=None, **kwargs)
    pending = list(run.transfers.all()) if deliver else []
    if pending:
        admin = UserFactory(is_superuser=True, is_staff=True)
        for transfer in pending:
            transfers.mark_sent(transfer_id=transfer.pk, actor=admin)
            transfers.mark_received(transfer_id=transfer.pk, actor=admin)
    run.box_batch.refresh_from_db()
    return run.box_batch


# --- yen: exchange rates of the converted currencies (JPY, KRW) -----------------------------


class CurrencyRateFactory(factory.django.DjangoModelFactory):
    """1 USD = 150 JPY from a day ago (so 19.00 USD shows as 2,850 yen)."""

    class Meta:
        model = "shop.CurrencyRate"

    currency = "JPY"
    base = "USD"
    rate = Decimal("150")
    valid_from = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    source = "test"
