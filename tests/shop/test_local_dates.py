"""Dates shown in the reader's zone: an order paid at 06:30 in Hà Nội (23:30 UTC the day
before) is dated by Hà Nội's calendar on slips, order lists and in the workspace."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from shop.models import Order, StockMovement
from shop.templatetags.storefront import local_date
from tests.factories import BatchFactory, StaffFactory
from tests.shop.checkout_data import honey, placed_order

pytestmark = pytest.mark.django_db

# 06:30 on 5 March in Hà Nội.
HANOI_MORNING = datetime.datetime(2026, 3, 4, 23, 30, tzinfo=datetime.UTC)


def test_a_moment_is_dated_by_the_current_zone_vietnam_by_default():
    with translation.override("en"):
        assert local_date(HANOI_MORNING) == "Mar 5, 2026"
        with timezone.override("UTC"):
            assert local_date(HANOI_MORNING) == "Mar 4, 2026"
        assert local_date(datetime.date(2026, 3, 4)) == "Mar 4, 2026"


def test_the_packing_slip_shows_hanoi_s_date(client):
    variant = honey()
    BatchFactory(variant=variant, quantity_received=5)
    order = placed_order((variant, 1))
    Order.objects.filter(pk=order.pk).update(created_at=HANOI_MORNING)

    slip = client.get(reverse("shop:packing_slip", args=[order.token])).content.decode()

    assert "Mar 5, 2026" in slip
    assert "Mar 4, 2026" not in slip


def test_the_workspace_shows_vietnam_time_whatever_zone_was_active(client):
    batch = BatchFactory(quantity_received=5)
    StockMovement.objects.filter(batch=batch).update(created_at=HANOI_MORNING)
    client.force_login(StaffFactory(cooperative=batch.variant.product.cooperative))

    with timezone.override("UTC"):
        page = client.get(reverse("coop:batch", args=[batch.pk])).content.decode()

    assert "05/03/2026 06:30" in page
    assert "04/03/2026 23:30" not in page
