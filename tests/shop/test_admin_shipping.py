"""Shipping in the admin: operators (superusers) keep the dispatch closures, the zones'
free-shipping thresholds and the methods' parcels; staff neither see nor change them."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from shop.models import DispatchClosure, ShippingZone
from tests.factories import (
    CooperativeFactory,
    ShippingMethodFactory,
    ShippingZoneFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_an_operator_adds_a_tet_closure_in_both_languages(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post(
        reverse("admin:shop_dispatchclosure_add"),
        {
            "name_en": "Lunar New Year (Tết)",
            "name_vi": "Tết Nguyên đán",
            "starts_on": "2027-02-03",
            "ends_on": "2027-02-12",
            "is_tet": "on",
        },
    )
    listing = client.get(reverse("admin:shop_dispatchclosure_changelist"))

    assert response.status_code == 302
    closure = DispatchClosure.objects.get()
    assert (closure.name_en, closure.name_vi, closure.is_tet) == (
        "Lunar New Year (Tết)",
        "Tết Nguyên đán",
        True,
    )
    assert (closure.starts_on, closure.ends_on) == (
        datetime.date(2027, 2, 3),
        datetime.date(2027, 2, 12),
    )
    assert listing.status_code == 200 and "Tết Nguyên đán" not in listing.content.decode()


def test_a_closure_ending_before_it_starts_is_refused(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:shop_dispatchclosure_add"),
        {"name_en": "Oops", "name_vi": "", "starts_on": "2027-02-12", "ends_on": "2027-02-03"},
    )
    assert response.status_code == 200
    assert DispatchClosure.objects.count() == 0


def test_the_zone_and_method_pages_show_thresholds_and_parcels(client):
    zone = ShippingZoneFactory(name="Europe", free_over_eur=Decimal("95.00"))
    method = ShippingMethodFactory(zone=zone, max_parcels=5)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    zone_page = client.get(reverse("admin:shop_shippingzone_change", args=[zone.pk]))
    method_page = client.get(reverse("admin:shop_shippingmethod_change", args=[method.pk]))

    assert zone_page.status_code == 200 and method_page.status_code == 200
    assert 'name="free_over_eur" value="95.00"' in zone_page.content.decode()
    assert 'name="max_parcels" value="5"' in method_page.content.decode()


@pytest.mark.parametrize("cooperative_staff", [True, False])
def test_staff_cannot_reach_closures_or_zones_even_with_permissions(client, cooperative_staff):
    zone = ShippingZoneFactory()
    staff = StaffFactory(cooperative=CooperativeFactory() if cooperative_staff else None)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__regex=r"_(dispatchclosure|shippingzone)$")
    )
    client.force_login(staff)

    closures = client.get(reverse("admin:shop_dispatchclosure_changelist"))
    client.post(
        reverse("admin:shop_shippingzone_change", args=[zone.pk]),
        {"name": "Changed", "free_over_usd": "1"},
    )

    assert closures.status_code in (302, 403)
    assert ShippingZone.objects.get().name == zone.name
