"""JPY and KRW: zero-decimal currencies converted from the stored USD price at the admin's
current rate, rounded to 10 yen / 100 won, the same figure on every page, order and Stripe."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shop import (
    catalogue,
    checkout,
    checkout_totals,
    currencies,
    currency_rates,
    languages,
    money,
    shipping,
)
from shop.card_query import page_rows
from shop.catalogue_filters import CatalogueFilters
from shop.demo.currencies import load_currency_rates
from shop.models import CurrencyRate
from shop.payments.stripe import StripeGateway
from tests.factories import (
    BatchFactory,
    CartFactory,
    CurrencyRateFactory,
    ShippingZoneFactory,
    VariantFactory,
)
from tests.shop.checkout_data import cart_with, honey, shipping_zones

TOKYO = checkout.CheckoutDetails(
    email="haruka@example.jp",
    buyer_name="Haruka Sato",
    full_name="佐藤 遥",
    line1="千代田1-1",
    city="千代田区",
    postal_code="100-0001",
    country="JP",
    region="東京都",
)


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("2900", "JPY", 2900), ("26400", "KRW", 26400), ("2900.4", "JPY", 2900)],
)
def test_stripe_amounts_of_jpy_and_krw_are_the_whole_amount(amount, currency, minor):
    assert money.to_minor_units(Decimal(amount), currency) == minor
    assert money.exponent(currency) == 0


@pytest.mark.parametrize(
    ("usd", "code", "rate", "expected"),
    [
        ("19.00", "JPY", "152.37", Decimal(2900)),  # 2895.03 -> nearest 10 yen
        ("19.00", "JPY", "152", Decimal(2890)),  # 2888
        ("12.50", "JPY", "150", Decimal(1880)),  # 1875 -> half up
        ("19.00", "KRW", "1390.5", Decimal(26400)),  # 26419.5 -> nearest 100 won
        ("10.90", "KRW", "1390.5", Decimal(15200)),
    ],
)
def test_converted_prices_round_half_up_to_the_shelf_step(usd, code, rate, expected):
    assert currencies.convert(Decimal(usd), code, Decimal(rate)) == expected


def test_the_registry_agrees_with_the_settings_and_the_graphql_enum():
    from shop.graphql.types import Currency

    assert tuple(settings.CURRENCIES) == currencies.CODES == money.CURRENCIES
    assert {c.name for c in Currency} == set(currencies.CODES)
    assert currencies.CONVERTED == ("JPY", "KRW")
    assert all(currencies.get(code).zero_decimal for code in ("VND", "JPY", "KRW"))


@pytest.mark.django_db
def test_the_current_rate_is_the_latest_already_valid_and_read_in_one_query():
    now = timezone.now()
    CurrencyRateFactory(rate=Decimal("140"), valid_from=now - datetime.timedelta(days=30))
    CurrencyRateFactory(rate=Decimal("150"), valid_from=now - datetime.timedelta(days=1))
    CurrencyRateFactory(rate=Decimal("999"), valid_from=now + datetime.timedelta(days=1))
    CurrencyRateFactory(currency="KRW", rate=Decimal("1390.5"))

    with CaptureQueriesContext(connection) as queries:
        assert currency_rates.rate("JPY") == Decimal("150")
        assert currency_rates.rate("KRW") == Decimal("1390.5")
        assert money.from_usd(Decimal("19.00"), "JPY") == Decimal(2850)
    assert len(queries) == 1


@pytest.mark.django_db
def test_without_a_rate_a_converted_price_is_refused_and_the_shop_falls_back_to_dollars(
    client, lotus
):
    with pytest.raises(currency_rates.NoRate):
        money.from_usd(Decimal(1), "JPY")
    html = client.get(lotus.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja-JP").content.decode()
    assert "$8.90" in html


@pytest.mark.django_db
def test_a_rate_must_be_positive_and_against_usd():
    with pytest.raises(IntegrityError), transaction.atomic():
        CurrencyRateFactory(rate=Decimal(0))
    with pytest.raises(IntegrityError), transaction.atomic():
        CurrencyRateFactory(base="EUR")
    assert not CurrencyRate.objects.exists()


@pytest.mark.parametrize(
    ("accept_language", "cookie_language", "currency"),
    [
        ("ja-JP,ja;q=0.9", None, "JPY"),
        ("ja", None, "JPY"),
        ("ko-KR,ko;q=0.9", None, "KRW"),
        ("ko", None, "KRW"),
        ("en-JP", None, "JPY"),
        ("", "ja", "JPY"),
        ("en-US", "ja", "USD"),
        ("de-DE", None, "EUR"),
    ],
)
def test_the_first_currency_of_japanese_and_korean_visitors(
    accept_language, cookie_language, currency
):
    assert (
        languages.default_currency(accept_language=accept_language, language=cookie_language)
        == currency
    )


@pytest.fixture
def lotus(db):
    variant = VariantFactory(
        product__name_en="West Lake lotus tea",
        product__slug="lotus-tea",
        price_usd=Decimal("8.90"),
        price_eur=Decimal("8.20"),
        price_vnd=Decimal("220000"),
    )
    BatchFactory(variant=variant)
    return variant.product


@pytest.mark.django_db
def test_a_japanese_visitor_sees_whole_yen_on_the_card_and_the_product_page(client, lotus):
    CurrencyRateFactory(rate=Decimal("152.4"))  # 8.90 USD -> 1356.36 -> 1,360 yen

    listing = client.get(reverse("shop:catalogue"), HTTP_ACCEPT_LANGUAGE="ja-JP").content
    page = client.get(lotus.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja-JP").content

    for html in (listing.decode(), page.decode()):
        assert "￥1,360" in html
        assert "1,360." not in html and "$8.90" not in html
    # and search engines read the same whole figure in the product's schema.org offer
    assert re.search(r'"price":\s*"1360"', page.decode())
    assert re.search(r'"priceCurrency":\s*"JPY"', page.decode())


@pytest.mark.django_db
def test_the_switcher_offers_yen_and_won_and_the_choice_is_kept(client, lotus):
    CurrencyRateFactory(currency="KRW", rate=Decimal("1390.5"))  # 8.90 -> 12,375 -> 12,400
    html = client.get(lotus.get_absolute_url()).content.decode()
    assert "?currency=JPY" in html and "?currency=KRW" in html

    response = client.get(reverse("shop:preferences") + "?currency=KRW&next=/")
    assert response.cookies[settings.CURRENCY_COOKIE_NAME].value == "KRW"
    html = client.get(lotus.get_absolute_url()).content.decode()
    assert "₩12,400" in html


@pytest.mark.django_db
def test_the_card_query_reads_the_rate_once_and_filters_on_the_yen_figures_shown():
    # given 1 USD = 100 JPY: shown 500, 1,990, 2,000, 2,000, 3,000, 3,010 and 4,000 yen
    CurrencyRateFactory(rate=Decimal("100"))
    prices = ("5.00", "19.94", "19.95", "20.00", "30.04", "30.05", "40.00")
    for n, usd in enumerate(prices):
        VariantFactory(product__name_en=f"Tea {n}", price_usd=Decimal(usd))

    # when the shopper asks for 2,000 to 3,000 yen
    with CaptureQueriesContext(connection) as queries:
        rows = page_rows(
            filters=CatalogueFilters(price_min=Decimal(2000), price_max=Decimal(3000)),
            currency="JPY",
            offset=0,
            limit=20,
        )

    # then exactly the cards showing 2,000 to 3,000 are listed, in two queries
    assert [(row[2], row[7]) for row in rows] == [
        ("Tea 2", Decimal(2000)),
        ("Tea 3", Decimal(2000)),
        ("Tea 4", Decimal(3000)),
    ]
    assert len(queries) == 2  # the rate, then the page
    # and the ORM form of the catalogue (the API's) agrees
    listed = catalogue.catalogue(
        filters=CatalogueFilters(price_min=Decimal(2000), price_max=Decimal(3000)),
        currency="JPY",
    )
    assert [p.name_en for p in listed] == ["Tea 2", "Tea 3", "Tea 4"]


@pytest.mark.django_db
def test_variant_and_shipping_prices_wrap_and_free_shipping_threshold_in_yen_and_won():
    CurrencyRateFactory(rate=Decimal("150"))
    CurrencyRateFactory(currency="KRW", rate=Decimal("1390.5"))
    zone = ShippingZoneFactory(free_over_usd=Decimal("300.00"))
    variant = honey()  # 10.90 USD

    assert variant.price("JPY") == Decimal(1640)  # 1635 -> half up to 1,640
    assert variant.price("KRW") == Decimal(15200)  # 15156.45 -> 15,200
    assert checkout_totals.gift_wrap_fee("JPY") == Decimal(600)  # 4.00 USD
    assert checkout_totals.gift_wrap_fee("EUR") == Decimal("3.50")
    assert shipping._threshold(zone, "JPY") == Decimal(45000)
    assert shipping._threshold(zone, "USD") == Decimal("300.00")
    zone.free_over_usd = None
    assert shipping._threshold(zone, "JPY") is None


@pytest.mark.django_db
def test_a_cart_and_an_order_may_be_in_yen_or_won_but_not_in_pounds():
    from tests.factories import OrderFactory

    CartFactory(currency="JPY")
    CartFactory(currency="KRW")
    OrderFactory(currency="JPY", subtotal=Decimal(2900), shipping_total=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        CartFactory(currency="GBP")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderFactory(currency="GBP", subtotal=Decimal(1), shipping_total=0)


@pytest.mark.django_db
def test_a_japanese_order_is_priced_in_whole_yen_and_stripe_gets_a_zero_decimal_amount(
    fake_stripe,
):
    # given 1 USD = 152.40 JPY and a 19.00 USD gift set in the cart of a Japanese shopper
    CurrencyRateFactory(rate=Decimal("152.40"))
    methods = shipping_zones()  # Japan ships from the rest of the world: 24 USD up to 1 kg
    variant = honey(price_usd=Decimal("19.00"))  # 2895.6 -> 2,900 yen
    BatchFactory(variant=variant, quantity_received=5)
    cart = cart_with((variant, 1), currency="JPY", language="ja")
    checkout.save_details(cart=cart, details=TOKYO)

    # when the order is placed and paid with Stripe
    order = checkout.place_order(
        cart=cart,
        shipping_method_id=methods["Rest of the world"][0].pk,
        currency="JPY",
        language="ja",
    )
    StripeGateway().start_payment(order=order)

    # then every figure is whole yen: 2,900 + 24 USD shipping (3,657.6 -> 3,660)
    line = order.lines.get()
    assert (line.unit_price, order.subtotal, order.shipping_total) == (
        Decimal(2900),
        Decimal(2900),
        Decimal(3660),
    )
    assert order.total == Decimal(6560)
    (intent,) = fake_stripe.intents.values()
    assert (intent["amount"], intent["currency"]) == (6560, "jpy")


@pytest.mark.django_db
def test_the_demo_loads_a_rate_for_each_converted_currency_once():
    assert load_currency_rates() == 2
    assert load_currency_rates() == 2
    assert dict(CurrencyRate.objects.values_list("currency", "rate")) == {
        "JPY": Decimal("152.400000"),
        "KRW": Decimal("1390.500000"),
    }


@pytest.mark.django_db
def test_the_api_prices_in_yen(client, lotus):
    CurrencyRateFactory(rate=Decimal("152.4"))
    query = (
        "{ products(first: 5) { edges { node { "
        "priceFrom(currency: JPY) { amount formatted(language: JA) } } } } }"
    )
    response = client.post("/graphql/", {"query": query}, content_type="application/json")
    [edge] = response.json()["data"]["products"]["edges"]
    assert edge["node"]["priceFrom"]["formatted"] == "￥1,360"


@pytest.mark.django_db
def test_the_api_asked_for_yen_before_any_rate_says_so_without_an_internal_error(client, lotus):
    query = "{ products(first: 5) { edges { node { priceFrom(currency: JPY) { amount } } } } }"
    response = client.post("/graphql/", {"query": query}, content_type="application/json")
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "INVALID"
    assert "JPY" in error["message"]


@pytest.mark.django_db
def test_stripe_receives_a_2900_yen_order_as_amount_2900(fake_stripe):
    from tests.factories import OrderFactory

    order = OrderFactory(currency="JPY", subtotal=Decimal(2900), shipping_total=0)

    StripeGateway().start_payment(order=order)

    (intent,) = fake_stripe.intents.values()
    assert (intent["amount"], intent["currency"]) == (2900, "jpy")


@pytest.mark.django_db
def test_a_catalogue_page_in_yen_reads_the_rate_once_however_many_cards(client):
    from tests.shop.test_catalogue import build_products, count_queries

    CurrencyRateFactory(rate=Decimal("150"))
    build_products(5)
    client.cookies[settings.CURRENCY_COOKIE_NAME] = "USD"
    dollars_5 = count_queries(client, reverse("shop:catalogue") + "?sort=price")
    build_products(25, start=5)
    client.cookies[settings.CURRENCY_COOKIE_NAME] = "JPY"
    yen_30 = count_queries(client, reverse("shop:catalogue") + "?sort=price")

    assert yen_30 == dollars_5 + 1
