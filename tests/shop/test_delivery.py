"""Delivery estimates: payment day in Vietnam + the slowest cooperative's working days to
dispatch (weekends and closures skipped) + the method's days; "before Tết" when it is."""

import datetime

import pytest
from django.utils import timezone, translation

from shop import delivery
from shop.models import DispatchClosure
from tests.factories import (
    CooperativeFactory,
    ShippingMethodFactory,
    ShippingZoneFactory,
    VariantFactory,
)

TET_2027 = delivery.Closure(datetime.date(2027, 2, 3), datetime.date(2027, 2, 12), is_tet=True)
THIN = "\u2009"  # babel's interval dash is set between thin spaces


def day(month_day: str, year: int = 2027) -> datetime.date:
    month, date = month_day.split("-")
    return datetime.date(year, int(month), int(date))


def test_dispatch_skips_the_weekend():
    # paid Friday 4 December 2026, two working days: Monday, then Tuesday
    sent = delivery.dispatch_day(paid_on=day("12-04", 2026), dispatch_days=2, closures=())
    assert sent == day("12-08", 2026)
    # paid on a Saturday, dispatched the same working day it could: Monday
    assert delivery.dispatch_day(paid_on=day("12-05", 2026), dispatch_days=0, closures=()) == (
        day("12-07", 2026)
    )


def test_an_estimate_across_a_weekend_reads_as_a_range():
    estimate = delivery.estimate(
        paid_on=day("12-04", 2026), dispatch_days=2, days_min=3, days_max=5, closures=()
    )
    assert (estimate.earliest, estimate.latest) == (day("12-11", 2026), day("12-13", 2026))
    assert estimate.text == f"Arrives 11{THIN}–{THIN}13 December"


def test_dispatch_waits_for_the_end_of_tet():
    # paid Tuesday 2 February 2027; closed 3-12 February: Monday 15 and Tuesday 16 count
    estimate = delivery.estimate(
        paid_on=day("02-02"), dispatch_days=2, days_min=3, days_max=3, closures=[TET_2027]
    )
    assert (estimate.earliest, estimate.latest) == (day("02-19"), day("02-19"))
    assert estimate.before_tet is False
    assert estimate.text == "Arrives by 19 February"


def test_an_estimate_before_tet_says_so_in_english_and_vietnamese():
    estimate = delivery.estimate(
        paid_on=day("01-18"), dispatch_days=2, days_min=3, days_max=5, closures=[TET_2027]
    )
    assert (estimate.latest, estimate.before_tet) == (day("01-25"), True)
    assert estimate.text == f"Arrives 23{THIN}–{THIN}25 January, before Tết"
    with translation.override("vi"):
        assert estimate.text == f"Dự kiến nhận hàng 23{THIN}–{THIN}25 tháng 1, trước Tết"


def test_an_arrival_on_the_first_day_of_tet_is_not_before_it():
    estimate = delivery.estimate(
        paid_on=day("01-25"), dispatch_days=2, days_min=3, days_max=7, closures=[TET_2027]
    )
    assert (estimate.latest, estimate.before_tet) == (day("02-03"), False)


def test_a_tet_months_away_is_not_mentioned():
    estimate = delivery.estimate(
        paid_on=day("05-03", 2026), dispatch_days=2, days_min=3, days_max=5, closures=[TET_2027]
    )
    assert estimate.before_tet is False


def test_a_single_day_in_vietnamese():
    estimate = delivery.Estimate(day("02-12"), day("02-12"))
    with translation.override("vi"):
        assert estimate.text == "Dự kiến nhận hàng chậm nhất ngày 12 tháng 2"


@pytest.mark.django_db
def test_the_schedule_is_one_query_with_closures_methods_and_the_slowest_cooperative(
    django_assert_num_queries,
):
    DispatchClosure.objects.create(
        name="Tết 2026", starts_on=day("02-14", 2026), ends_on=day("02-22", 2026), is_tet=True
    )
    tet = DispatchClosure.objects.create(
        name="Tết 2027", starts_on=day("02-03"), ends_on=day("02-12"), is_tet=True
    )
    europe = ShippingZoneFactory(countries=["DE", "FR"])
    ShippingMethodFactory(zone=europe, delivery_days_min=7, delivery_days_max=14)
    ShippingMethodFactory(zone=europe, delivery_days_min=3, delivery_days_max=5)
    ShippingMethodFactory(zone=europe, delivery_days_min=1, delivery_days_max=2, is_active=False)
    world = ShippingZoneFactory(countries=[], is_default=True)
    ShippingMethodFactory(zone=world, delivery_days_min=10, delivery_days_max=21)
    quick = CooperativeFactory(dispatch_days=1)
    slow = CooperativeFactory(dispatch_days=4)
    now = timezone.make_aware(datetime.datetime(2026, 12, 4, 9, 0))

    with django_assert_num_queries(1):
        schedule = delivery.read_schedule(cooperative_ids=[quick.pk, slow.pk, quick.pk], now=now)

    assert schedule.today == day("12-04", 2026)
    assert schedule.closures == (delivery.Closure(tet.starts_on, tet.ends_on, True),)
    assert schedule.dispatch_days == 4
    germany = schedule.fastest_for("DE")
    assert (germany.days_min, germany.days_max) == (3, 5)
    assert (schedule.fastest_for("AU").days_max, schedule.fastest_for("").days_max) == (21, 21)
    with django_assert_num_queries(1):
        assert delivery.read_schedule(now=now).dispatch_days == delivery.DEFAULT_DISPATCH_DAYS


@pytest.mark.django_db
def test_the_payment_day_is_vietnams():
    # 18:00 UTC on Friday is 01:00 on Saturday in Hà Nội
    now = datetime.datetime(2026, 12, 4, 18, 0, tzinfo=datetime.UTC)
    assert delivery.read_schedule(now=now).today == day("12-05", 2026)


@pytest.mark.django_db
def test_the_product_page_shows_the_estimate_for_its_readers_likely_country(client, settings):

    variant = VariantFactory(product__cooperative__dispatch_days=1)
    vietnam = ShippingZoneFactory(name="Vietnam", countries=["VN"])
    ShippingMethodFactory(zone=vietnam, delivery_days_min=1, delivery_days_max=2)
    world = ShippingZoneFactory(name="World", countries=[], is_default=True)
    ShippingMethodFactory(zone=world, delivery_days_min=10, delivery_days_max=21)
    url = variant.product.get_absolute_url()

    english = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    vietnamese = client.get(url).content.decode()

    assert '<p class="delivery-estimate">Delivery to most countries: Arrives ' in english
    assert '<p class="delivery-estimate">Giao đến Việt Nam: Dự kiến nhận hàng ' in vietnamese
