"""Exchange rates in the admin: superusers enter the rate JPY and KRW prices are converted
at; cooperative staff and central staff neither see nor change it."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from shop.models import CurrencyRate
from tests.factories import (
    BatchFactory,
    CooperativeFactory,
    CurrencyRateFactory,
    StaffFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


def test_a_superuser_enters_a_new_rate_and_the_next_page_shows_it(client):
    # given a product of 10.00 USD seen in yen at 150
    variant = VariantFactory(price_usd=Decimal("10.00"), product__slug="tea")
    BatchFactory(variant=variant)
    CurrencyRateFactory(rate=Decimal("150"))
    client.cookies["currency"] = "JPY"
    assert "1,500" in client.get(variant.product.get_absolute_url()).content.decode()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    # when the operator enters 160 from now on
    now = timezone.localtime()
    response = client.post(
        reverse("admin:shop_currencyrate_add"),
        {
            "currency": "JPY",
            "rate": "160",
            "valid_from_0": now.strftime("%Y-%m-%d"),
            "valid_from_1": (now - datetime.timedelta(minutes=1)).strftime("%H:%M:%S"),
            "source": "Bank quote",
        },
    )

    # then the rate is kept against USD and the product page (cache renewed) shows 1,600 yen
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = CurrencyRate.objects.order_by("-valid_from").first()
    assert (latest.currency, latest.base, latest.rate) == ("JPY", "USD", Decimal("160"))
    assert client.get(reverse("admin:shop_currencyrate_changelist")).status_code == 200
    assert "1,600" in client.get(variant.product.get_absolute_url()).content.decode()


@pytest.mark.parametrize("cooperative_staff", [True, False])
def test_staff_cannot_reach_the_rates_even_with_permissions(client, cooperative_staff):
    rate = CurrencyRateFactory()
    staff = StaffFactory(cooperative=CooperativeFactory() if cooperative_staff else None)
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="_currencyrate"))
    client.force_login(staff)

    for name, args in (
        ("admin:shop_currencyrate_changelist", []),
        ("admin:shop_currencyrate_add", []),
        ("admin:shop_currencyrate_change", [rate.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code in (302, 403)
    client.post(
        reverse("admin:shop_currencyrate_change", args=[rate.pk]),
        {"currency": "JPY", "rate": "1", "source": "x"},
    )
    rate.refresh_from_db()
    assert rate.rate == Decimal("150")
