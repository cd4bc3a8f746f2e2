from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop import carts, checkout, destination_rules, destinations
from shop.models import (
    Address,
    Cart,
    DestinationRule,
    Order,
    OrderLineBatch,
    StockHold,
)
from tests.factories import BatchFactory, ProductFactory, VariantFactory
from tests.shop.checkout_data import cart_with, gift_set, honey, shipping_zones
from tests.shop.graphql.api import data_of

pytestmark = pytest.mark.django_db

HONEY_EN = "Honey and bee products may not be sent there by post."
HONEY_VI = "Không được gửi mật ong và sản phẩm từ ong qua đường bưu điện đến nước này."
SYDNEY = checkout.CheckoutDetails(
    email="sam@example.com.au",
    buyer_name="Sam Lee",
    full_name="Sam Lee",
    line1="1 George Street",
    city="Sydney",
    region="NSW",
    postal_code="2000",
    country="AU",
)


def honey_rule(country="AU", **match):
    return DestinationRule.objects.create(
        country=country,
        reason_en=HONEY_EN,
        reason_vi=HONEY_VI,
        source="DAFF BICON",
        **(match or {"hs_prefix": "0409"}),
    )


@pytest.fixture
def jar():
    variant = honey(product__hs_code="040900")
    BatchFactory(variant=variant, lot_code="HONEY1", quantity_received=20)
    return variant


def test_a_rule_matches_by_hs_prefix_group_or_product_and_all_it_sets():
    pepper = VariantFactory(product__hs_code="090411", product__group="food")
    silk = VariantFactory(product__hs_code="621410", product__group="textiles")
    wine = VariantFactory(product__hs_code="220600", product__group="beverages")
    by_hs = honey_rule(hs_prefix="0904")
    by_group = honey_rule(group="textiles")
    by_product = honey_rule(product=wine.product)
    honey_rule(group="beverages", hs_prefix="0902")  # tea only: not the wine

    found = destination_rules.refused_lines([pepper, silk, wine], "au")

    assert [(r.variant, r.rule, r.component) for r in found] == [
        (pepper, by_hs, None),
        (silk, by_group, None),
        (wine, by_product, None),
    ]
    assert destination_rules.refused_lines([pepper, silk, wine], "DE") == []


def test_vietnam_and_no_destination_refuse_nothing_without_a_query(jar):
    honey_rule(country="VN")
    with CaptureQueriesContext(connection) as queries:
        assert destination_rules.refused_lines([jar], "VN") == []
        assert destination_rules.refused_lines([jar], "") == []
    assert len(queries) == 0


def test_a_gift_set_is_refused_for_its_component_and_names_it(jar):
    box, _tea = gift_set(honey_variant=jar)
    rule = honey_rule()

    with CaptureQueriesContext(connection) as queries:
        found = destination_rules.refused_lines([box], "AU")

    assert [(r.variant, r.rule, r.component) for r in found] == [(box, rule, jar)]
    assert found[0].message == (
        "Tết gift box (Red gift box) cannot be sent to Australia: it holds Tây Bắc wildflower "
        f"honey. {HONEY_EN}"
    )
    assert len(queries) == 2  # the country's rules, the sets' components


def test_one_query_checks_a_cart_of_many_lines(jar):
    honey_rule()
    others = [VariantFactory(product__hs_code="090210") for _ in range(5)]
    with CaptureQueriesContext(connection) as queries:
        found = destination_rules.refused_lines([jar, *others], "AU")
    assert [r.variant for r in found] == [jar]
    assert len(queries) == 1


def cart_page(client):
    return client.get(reverse("shop:cart")).content.decode()


def guest_cart(client, variant, quantity=1) -> Cart:
    client.post(reverse("shop:cart_add"), {"variant": variant.pk, "quantity": quantity})
    return Cart.objects.get(token=client.session[carts.SESSION_KEY])


def test_the_cart_shows_the_refusal_with_its_reason_and_blocks_checkout(client, jar):
    honey_rule()
    cart = guest_cart(client, jar)

    allowed = cart_page(client)
    destinations.set_destination(cart=cart, country="AU")
    refused = cart_page(client)

    assert "destination-refused" not in allowed
    assert f'href="{reverse("shop:checkout")}"' in allowed
    assert (
        '<div class="hold-expired destination-refused" id="destination-refused" role="alert">'
        in (refused)
    )
    assert (
        f"Tây Bắc wildflower honey (250 g jar) cannot be sent to Australia. {HONEY_EN}" in refused
    )
    assert f'href="{reverse("shop:checkout")}"' not in refused


def test_the_reason_is_in_the_shoppers_language(client, jar):
    honey_rule()
    cart = guest_cart(client, jar)
    destinations.set_destination(cart=cart, country="AU")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    page = cart_page(client)

    assert "Mật ong hoa rừng Tây Bắc (Hũ 250 g) không gửi được đến Úc." in page
    assert HONEY_VI in page


def test_place_order_refuses_the_lines_and_writes_nothing(jar):
    methods = shipping_zones()
    rule = honey_rule()
    cart = cart_with((jar, 2))
    checkout.save_details(cart=cart, details=SYDNEY)
    holds = list(StockHold.objects.values_list("pk", "quantity"))

    with pytest.raises(checkout.NotAllowedThere) as refused:
        checkout.place_order(
            cart=cart,
            shipping_method_id=methods["Rest of the world"][0].pk,
            currency="USD",
            language="en",
        )

    assert [(r.variant, r.rule) for r in refused.value.refusals] == [(jar, rule)]
    assert Order.objects.count() == 0
    assert OrderLineBatch.objects.count() == 0
    assert Cart.objects.get(pk=cart.pk).status == Cart.Status.OPEN
    assert list(StockHold.objects.values_list("pk", "quantity")) == holds


def test_a_changed_address_country_is_checked_again_at_review(client, jar):
    methods = shipping_zones()
    honey_rule()
    guest_cart(client, jar)
    form = {
        "email": "sam@example.com.au",
        "buyer_name": "Sam Lee",
        "full_name": "Sam Lee",
        "line1": "1 George Street",
        "city": "Sydney",
        "region": "NSW",
        "postal_code": "2000",
        "country": "AU",
    }
    client.post(reverse("shop:checkout"), form)

    review = client.get(reverse("shop:checkout_review")).content.decode()
    placed = client.post(
        reverse("shop:checkout_review"),
        {"shipping_method": methods["Rest of the world"][0].pk},
    )

    assert f"cannot be sent to Australia. {HONEY_EN}" in review
    assert placed.status_code == 409
    assert f"cannot be sent to Australia. {HONEY_EN}" in placed.content.decode()
    assert Order.objects.count() == 0
    # Back to Germany: the same cart may go.
    client.post(
        reverse("shop:checkout"),
        {**form, "country": "DE", "city": "Berlin", "region": "", "postal_code": "10115"},
    )
    assert Address.objects.get().country == "DE"
    assert "destination-refused" not in client.get(reverse("shop:checkout_review")).content.decode()


GQL_ERRORS = "errors { field message code variantId }"
GQL_READ = "query($t: ID!) { checkout(token: $t) { notAllowed { variantId componentId message } } }"


def test_the_api_lists_and_refuses_a_gift_set_with_honey_for_australia(client, jar):
    methods = shipping_zones()
    box, _tea = gift_set(honey_variant=jar)
    honey_rule()
    token = data_of(client, "mutation { checkoutCreate(currency: USD) { checkout { token } } }")[
        "checkoutCreate"
    ]["checkout"]["token"]
    data_of(
        client,
        "mutation($t: ID!, $l: [CheckoutLineInput!]!) { checkoutLinesAdd(token: $t, lines: $l)"
        f" {{ {GQL_ERRORS} }} }}",
        {"t": token, "l": [{"variantId": box.pk, "quantity": 1}]},
    )
    address = {
        "fullName": "Sam Lee",
        "line1": "1 George Street",
        "city": "Sydney",
        "region": "NSW",
        "postalCode": "2000",
        "country": "AU",
    }
    saved = data_of(
        client,
        "mutation($t: ID!, $a: AddressInput!) { checkoutShippingAddressUpdate(token: $t,"
        ' email: "sam@example.com.au", buyerName: "Sam", address: $a)'
        f" {{ checkout {{ notAllowed {{ variantId componentId message }} }} {GQL_ERRORS} }} }}",
        {"t": token, "a": address},
    )["checkoutShippingAddressUpdate"]
    data_of(
        client,
        "mutation($t: ID!, $m: ID!) { checkoutShippingMethodUpdate(token: $t,"
        f" shippingMethodId: $m) {{ {GQL_ERRORS} }} }}",
        {"t": token, "m": methods["Rest of the world"][0].pk},
    )

    completed = data_of(
        client,
        "mutation($t: ID!) { checkoutComplete(token: $t) { order { number }"
        f" {GQL_ERRORS} }} }}",
        {"t": token},
    )["checkoutComplete"]

    message = (
        "Tết gift box (Red gift box) cannot be sent to Australia: it holds Tây Bắc wildflower "
        f"honey. {HONEY_EN}"
    )
    assert saved["errors"] == []
    assert saved["checkout"]["notAllowed"] == [
        {"variantId": str(box.pk), "componentId": str(jar.pk), "message": message}
    ]
    assert completed == {
        "order": None,
        "errors": [
            {
                "field": "lines",
                "message": message,
                "code": "NOT_ALLOWED_FOR_DESTINATION",
                "variantId": str(box.pk),
            }
        ],
    }
    assert Order.objects.count() == 0
    assert data_of(client, GQL_READ, {"t": token})["checkout"]["notAllowed"][0]["message"] == (
        message
    )


def test_a_gift_set_allowed_when_no_component_matches(jar):
    box, _tea = gift_set(honey_variant=jar)
    honey_rule(hs_prefix="02")
    assert destination_rules.refused_lines([box], "AU") == []
    assert Decimal(box.price_usd) == Decimal("79.00")


def test_rules_follow_product_changes_without_a_cache():
    product = ProductFactory(hs_code="090210")
    variant = VariantFactory(product=product)
    honey_rule()
    assert destination_rules.refused_lines([variant], "AU") == []
    product.hs_code = "040900"
    product.save()
    variant.refresh_from_db()
    assert len(destination_rules.refused_lines([variant], "AU")) == 1
