"""The demo shipping data and gift-set components load, idempotently."""

import pytest

from shop import shipping
from shop.demo.gift_sets import GIFT_SET_COMPONENTS, load_gift_set_components
from shop.demo.shipping import load_shipping
from shop.models import GiftSetComponent, ShippingMethod, ShippingRate, ShippingZone

pytestmark = pytest.mark.django_db


def test_load_shipping_writes_five_zones_twice_over_without_duplicates():
    assert load_shipping() == 50
    assert load_shipping() == 50
    assert sorted(ShippingZone.objects.values_list("name", flat=True)) == [
        "Asia",
        "Europe",
        "North America",
        "Rest of the world",
        "Vietnam",
    ]
    assert ShippingMethod.objects.count() == 10
    assert ShippingRate.objects.count() == 50


def test_demo_shipping_prices_germany_and_an_unlisted_country():
    load_shipping()
    germany = shipping.options_for(country="DE", weight_grams=2580, currency="EUR")
    chile = shipping.options_for(country="CL", weight_grams=400, currency="VND")
    assert [(o.method.name, str(o.price)) for o in germany] == [
        ("Airmail", "44.16"),
        ("Express courier", "99.36"),
    ]
    assert [(o.method.zone.name, str(o.price)) for o in chile][0] == (
        "Rest of the world",
        "440000",
    )


def test_load_gift_set_components_links_the_demo_sets(django_db_setup):
    from shop.demo.loader import load_demo

    load_demo()
    expected = sum(len(parts) for parts in GIFT_SET_COMPONENTS.values())
    assert load_gift_set_components() == expected
    assert load_gift_set_components() == expected
    assert GiftSetComponent.objects.count() == expected
    assert sorted(
        GiftSetComponent.objects.filter(gift_set__sku="GIFT-TRA").values_list(
            "component__sku", "quantity"
        )
    ) == [("HG-TX-100", 1), ("MC-OL-100", 1), ("TC-CHE-100", 1)]
