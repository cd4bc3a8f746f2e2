import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shop import carts
from shop.models import Address, Cart, Order, OrderLineBatch, OrderStatus, Payment, StockHold
from tests.factories import BatchFactory, UserFactory
from tests.shop.checkout_data import honey, placed_order, shipping_zones

pytestmark = pytest.mark.django_db

GERMANY_FORM = {
    "email": "jane@example.com",
    "buyer_name": "Jane Doe",
    "full_name": "Anna Schmidt",
    "line1": "Hauptstraße 5",
    "postal_code": "10115",
    "city": "Berlin",
    "country": "DE",
    "is_gift": "on",
    "gift_message": "Alles Gute zum Geburtstag!",
    "gift_wrap": "on",
    "hide_prices": "on",
}


@pytest.fixture
def methods():
    return shipping_zones()


@pytest.fixture
def jar():
    variant = honey()
    BatchFactory(variant=variant, lot_code="HONEY1", quantity_received=10)
    return variant


def add(client, variant, quantity=1):
    response = client.post(reverse("shop:cart_add"), {"variant": variant.pk, "quantity": quantity})
    assert response.status_code == 302


def fill_details(client, **changes):
    return client.post(reverse("shop:checkout"), {**GERMANY_FORM, **changes})


def test_checkout_with_an_empty_cart_goes_back_to_the_cart(client):
    response = client.get(reverse("shop:checkout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("shop:cart")


def test_details_lead_to_shipping_and_review_with_prices_from_the_server(client, jar, methods):
    add(client, jar, 2)
    page = client.get(reverse("shop:checkout")).content.decode()
    assert 'name="country"' in page and "Germany" in page
    assert "$4.00" in page  # the gift wrap fee in the shopper's currency

    response = fill_details(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("shop:checkout_review")
    review = client.get(reverse("shop:checkout_review")).content.decode()
    assert "Europe airmail" in review and "Europe express" in review
    assert "$12.00" in review and "$32.00" in review
    assert "A gift for Anna Schmidt from Jane Doe" in review
    assert "Alles Gute zum Geburtstag!" in review
    assert "$37.80" in review  # 21.80 + 12.00 + 4.00


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"email": ""}, "email", "This field is required."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"line1": ""}, "line1", "This field is required."),
        ({"postal_code": ""}, "postal_code", "Addresses in Germany need a postal code."),
        (
            {"country": "US", "postal_code": "10001", "region": ""},
            "region",
            "need a state, province or prefecture",
        ),
        ({"country": "ZZ"}, "country", "Select a valid choice."),
        ({"gift_message": "x" * 301}, "gift_message", "at most 300 characters"),
    ],
)
def test_bad_details_get_form_errors_and_write_nothing(client, jar, changes, field, message):
    add(client, jar)
    response = fill_details(client, **changes)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert message.split(" (")[0] in response.content.decode()
    assert Address.objects.count() == 0
    assert Cart.objects.get().email == ""


def test_every_problem_of_the_details_shows_at_once(client, jar):
    add(client, jar)
    response = fill_details(client, gift_message="x" * 301, postal_code="", email="nope")
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"gift_message", "postal_code", "email"}
    assert Address.objects.count() == 0


def test_placing_the_order_ignores_tampered_prices_and_goes_to_payment(client, jar, methods):
    add(client, jar, 2)
    fill_details(client)
    express = methods["Europe"][1]

    response = client.post(
        reverse("shop:checkout_review"),
        {
            "shipping_method": express.pk,
            "total": "0.01",
            "subtotal": "0.01",
            "shipping_total": "0",
            "unit_price": "0.01",
            "price_usd": "0.01",
        },
    )

    order = Order.objects.get()
    assert (order.subtotal, order.shipping_total, order.gift_wrap_total, order.total) == (
        Decimal("21.80"),
        Decimal("32.00"),
        Decimal("4.00"),
        Decimal("57.80"),
    )
    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("shop:dummy_pay", args=[payment.reference])
    assert payment.amount == Decimal("57.80")


def test_update_the_total_shows_the_chosen_method_without_placing_the_order(client, jar, methods):
    add(client, jar, 2)
    fill_details(client)
    response = client.post(
        reverse("shop:checkout_review"),
        {"shipping_method": methods["Europe"][1].pk, "preview": "1"},
    )
    assert response.status_code == 200
    assert response.context["totals"].total == Decimal("57.80")
    assert 'Shipping <span class="muted">(Europe express)' in response.content.decode()
    assert Order.objects.count() == 0


def test_a_method_that_does_not_reach_the_address_is_refused(client, jar, methods):
    add(client, jar)
    fill_details(client)
    response = client.post(
        reverse("shop:checkout_review"), {"shipping_method": methods["Rest of the world"][0].pk}
    )
    assert response.status_code == 400
    assert "This shipping method does not reach the address." in response.content.decode()
    assert Order.objects.count() == 0


def test_expired_holds_at_checkout_get_a_clear_message_and_nothing_is_written(client, jar, methods):
    add(client, jar, 2)
    fill_details(client)
    StockHold.objects.update(held_until=timezone.now() - datetime.timedelta(seconds=1))

    response = client.post(
        reverse("shop:checkout_review"), {"shipping_method": methods["Europe"][0].pk}
    )

    assert response.status_code == 409
    assert "The time we could hold some of your items has run out" in response.content.decode()
    assert Order.objects.count() == 0
    assert OrderLineBatch.objects.count() == 0
    assert Cart.objects.get().status == Cart.Status.OPEN


def test_paying_with_the_dummy_gateway_leads_to_the_confirmation(client, jar, methods):
    add(client, jar, 1)
    fill_details(client)
    pay_page = client.post(
        reverse("shop:checkout_review"), {"shipping_method": methods["Europe"][0].pk}
    )["Location"]
    assert "Test payment" in client.get(pay_page).content.decode()

    response = client.post(pay_page, {"action": "pay"}, follow=True)

    order = Order.objects.get()
    assert order.status == OrderStatus.PAID
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("shop:order", args=[order.token])
    assert "Thank you for your order!" in page
    assert order.number in page
    assert "1 from lot HONEY1" in page
    # the cart is spent: a new visit starts empty
    assert "Your cart is empty." in client.get(reverse("shop:cart")).content.decode()


def test_a_declined_payment_leaves_the_order_unpaid_with_a_pay_button(client, jar, methods):
    add(client, jar, 1)
    fill_details(client)
    pay_page = client.post(
        reverse("shop:checkout_review"), {"shipping_method": methods["Europe"][0].pk}
    )["Location"]

    page = client.post(pay_page, {"action": "decline"}, follow=True).content.decode()

    order = Order.objects.get()
    assert order.status == OrderStatus.UNPAID
    assert "The payment was declined" in page
    assert reverse("shop:order_pay", args=[order.token]) in page
    again = client.post(reverse("shop:order_pay", args=[order.token]))
    assert again["Location"].startswith("/pay/dummy/")


def test_the_confirmation_is_reached_only_by_the_orders_token(client, jar):
    order = placed_order((jar, 1))
    assert client.get(reverse("shop:order", args=[order.token])).status_code == 200
    assert client.get(reverse("shop:order", args=["not-a-token"])).status_code == 404
    assert client.get(reverse("shop:order", args=[order.number])).status_code == 404


def test_the_packing_slip_shows_the_gift_message_and_hides_prices_when_asked(client, jar):
    order = placed_order((jar, 2))
    slip = client.get(reverse("shop:packing_slip", args=[order.token])).content.decode()
    assert "Happy birthday, Anna! Love, Jane" in slip
    assert "A gift from Jane Doe" in slip
    assert "HONEY1" in slip
    assert "$" not in slip

    Order.objects.filter(pk=order.pk).update(hide_prices=False)
    slip = client.get(reverse("shop:packing_slip", args=[order.token])).content.decode()
    assert "$21.80" in slip and "$37.80" in slip


def test_signed_in_shoppers_see_their_orders_and_guests_are_asked_to_sign_in(client, jar):
    user = UserFactory()
    mine = placed_order((jar, 1), user=user)
    Order.objects.filter(pk=mine.pk).update(user=user)
    placed_order((jar, 1))
    assert client.get(reverse("shop:account_orders"))["Location"].startswith("/account/login/")

    client.force_login(user)
    page = client.get(reverse("shop:account_orders")).content.decode()

    assert re.findall(r"OC-[A-Z0-9]{8}", page) == [mine.number]


def test_an_unknown_dummy_payment_is_not_found(client):
    assert client.get(reverse("shop:dummy_pay", args=["dummy_nope"])).status_code == 404


def page_queries(client, name) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


def test_checkout_pages_cost_the_same_queries_with_1_and_10_lines(client, methods):
    variants = [honey(product__slug=f"honey-{i}", sku=f"HONEY-{i}") for i in range(10)]
    for variant in variants:
        BatchFactory(variant=variant)
    add(client, variants[0])
    fill_details(client)
    one = (page_queries(client, "shop:checkout"), page_queries(client, "shop:checkout_review"))
    for variant in variants[1:]:
        add(client, variant)
    assert Cart.objects.get(token=client.session[carts.SESSION_KEY]).lines.count() == 10
    ten = (page_queries(client, "shop:checkout"), page_queries(client, "shop:checkout_review"))
    assert ten == one
