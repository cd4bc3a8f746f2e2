"""The demo shipping data and gift-set components load, idempotently."""

from decimal import Decimal

import pytest

from shop import shipping
from shop.demo.gift_sets import GIFT_SET_COMPONENTS, load_gift_set_components
from shop.demo.shipping import load_closures, load_shipping
from shop.models import (
    DispatchClosure,
    GiftSetComponent,
    ShippingMethod,
    ShippingRate,
    ShippingZone,
)

pytestmark = pytest.mark.django_db


def test_load_shipping_writes_five_zones_twice_over_without_duplicates():
    assert load_shipping() == 40
    assert load_shipping() == 40
    assert sorted(ShippingZone.objects.values_list("name", flat=True)) == [
        "Asia",
        "Europe",
        "North America",
        "Rest of the world",
        "Vietnam",
    ]
    assert ShippingMethod.objects.count() == 10
    # airmail: 3 bands up to 2 kg, 5 parcels; express: 5 bands up to 10 kg, 3 parcels
    assert ShippingRate.objects.count() == 40
    assert set(ShippingMethod.objects.values_list("name", "max_parcels")) == {
        ("Airmail", 5),
        ("Express courier", 3),
    }


def test_demo_shipping_prices_germany_and_an_unlisted_country():
    load_shipping()
    germany = shipping.options_for(country="DE", weight_grams=2580, currency="EUR")
    chile = shipping.options_for(country="CL", weight_grams=400, currency="VND")
    # one 2.58 kg unit is past airmail's 2 kg parcels
    assert [(o.method.name, str(o.price)) for o in germany] == [("Express courier", "99.36")]
    assert [(o.method.zone.name, str(o.price)) for o in chile][0] == (
        "Rest of the world",
        "440000",
    )


def test_thirty_pouches_to_germany_go_as_two_airmail_parcels_free_over_95_euros():
    load_shipping()
    pouches = [(120, 30)]  # 3.6 kg: 16 pouches (1.92 kg) and 14 (1.68 kg)
    paid = shipping.options_for(
        country="DE", currency="EUR", items=pouches, subtotal=Decimal("94.99")
    )
    free = shipping.options_for(
        country="DE", currency="EUR", items=pouches, subtotal=Decimal("95.00")
    )
    assert [(o.method.name, o.parcels, str(o.price)) for o in paid] == [
        ("Airmail", 2, "47.10"),
        ("Express courier", 1, "99.36"),
    ]
    assert [(o.method.name, str(o.price), o.is_free) for o in free] == [
        ("Airmail", "0.00", True),
        ("Express courier", "99.36", False),
    ]


def test_load_closures_writes_tet_and_the_holidays_once():
    assert load_closures() == 10
    assert load_closures() == 10
    tet = DispatchClosure.objects.filter(is_tet=True).order_by("starts_on")
    assert [(c.starts_on.isoformat(), c.ends_on.isoformat()) for c in tet] == [
        ("2027-02-03", "2027-02-12"),
        ("2028-01-22", "2028-01-31"),
    ]
    assert (tet[0].name_en, tet[0].name_vi) == ("Lunar New Year (Tết)", "Tết Nguyên đán")
    assert DispatchClosure.objects.count() == 10


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
