"""Tax and duty rates in the admin: superusers keep them; cooperative staff and central
staff neither see nor change them, whatever permissions they hold."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from shop.models import DutyRate, TaxCategory, TaxRate
from tests.factories import CooperativeFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def german_vat():
    return TaxRate.objects.create(
        country="DE",
        category=TaxCategory.STANDARD,
        rate=Decimal("19.00"),
        collect_up_to_eur=Decimal("150.00"),
        source="European Commission, VAT rates in the EU, 2026-01-01",
        valid_from=datetime.date(2026, 1, 1),
    )


@pytest.fixture
def tea_duty():
    return DutyRate.objects.create(
        country="US",
        hs_prefix="0902",
        rate=Decimal("20.00"),
        source="USITC HTS 2026",
        valid_from=datetime.date(2026, 1, 1),
    )


def every_rate_permission():
    return Permission.objects.filter(codename__regex=r"_(taxrate|dutyrate)$")


def test_a_superuser_lists_and_changes_a_tax_rate(client, german_vat, tea_duty):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    listing = client.get(reverse("admin:shop_taxrate_changelist"))
    duties = client.get(reverse("admin:shop_dutyrate_changelist"))
    response = client.post(
        reverse("admin:shop_taxrate_change", args=[german_vat.pk]),
        {
            "country": "DE",
            "category": "standard",
            "rate": "19.50",
            "collect_up_to_eur": "150.00",
            "prices_include_tax": "on",
            "source": "test change",
            "valid_from": "2026-01-01",
            "valid_until": "",
        },
    )

    assert listing.status_code == 200 and duties.status_code == 200
    assert response.status_code == 302
    german_vat.refresh_from_db()
    assert (german_vat.rate, german_vat.source) == (Decimal("19.50"), "test change")


@pytest.mark.parametrize("cooperative_staff", [True, False])
@pytest.mark.parametrize(
    ("name", "row"),
    [
        ("admin:shop_taxrate_changelist", None),
        ("admin:shop_taxrate_add", None),
        ("admin:shop_taxrate_change", "german_vat"),
        ("admin:shop_taxrate_delete", "german_vat"),
        ("admin:shop_dutyrate_changelist", None),
        ("admin:shop_dutyrate_change", "tea_duty"),
    ],
)
def test_staff_cannot_reach_the_rates_even_with_permissions(
    client, german_vat, tea_duty, cooperative_staff, name, row
):
    cooperative = CooperativeFactory() if cooperative_staff else None
    staff = StaffFactory(cooperative=cooperative)
    staff.user_permissions.add(*every_rate_permission())
    client.force_login(staff)
    args = [{"german_vat": german_vat, "tea_duty": tea_duty}[row].pk] if row else []

    response = client.get(reverse(name, args=args))

    assert response.status_code in (302, 403)
    index = client.get(reverse("admin:index"))
    names = {m["object_name"] for app in index.context["app_list"] for m in app["models"]}
    assert not names & {"TaxRate", "DutyRate"}


def test_staff_posting_a_change_changes_nothing(client, german_vat):
    staff = StaffFactory(cooperative=CooperativeFactory())
    staff.user_permissions.add(*every_rate_permission())
    client.force_login(staff)

    client.post(
        reverse("admin:shop_taxrate_change", args=[german_vat.pk]),
        {"country": "DE", "category": "standard", "rate": "0", "source": "x"},
    )
    client.post(reverse("admin:shop_taxrate_delete", args=[german_vat.pk]), {"post": "yes"})

    german_vat.refresh_from_db()
    assert (german_vat.rate, german_vat.source) == (
        Decimal("19.00"),
        "European Commission, VAT rates in the EU, 2026-01-01",
    )
