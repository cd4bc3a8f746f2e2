import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shop import carts
from shop.models import Cart, CartLine, StockHold
from tests.factories import BatchFactory, UserFactory, VariantFactory
from tests.shop.checkout_data import honey

pytestmark = pytest.mark.django_db


@pytest.fixture
def jar():
    variant = honey()
    BatchFactory(variant=variant, lot_code="HONEY1", quantity_received=5)
    return variant


def add(client, variant_id, quantity):
    return client.post(reverse("shop:cart_add"), {"variant": variant_id, "quantity": quantity})


def session_cart(client) -> Cart:
    return Cart.objects.get(token=client.session[carts.SESSION_KEY])


def test_adding_to_the_cart_holds_the_units_and_the_cart_shows_prices_and_the_hold(client, jar):
    # when a guest adds two jars
    response = add(client, jar.pk, 2)
    # then they land on the cart, which shows the line, its price and when the hold ends
    assert response.status_code == 302
    assert response["Location"] == reverse("shop:cart")
    cart = session_cart(client)
    assert list(cart.lines.values_list("variant_id", "quantity")) == [(jar.pk, 2)]
    page = client.get(reverse("shop:cart")).content.decode()
    assert "Tây Bắc wildflower honey" in page
    assert "$10.90 each" in page
    assert "$21.80" in page
    held_until = StockHold.objects.get().held_until
    # The hold's end in the shopper's zone (Vietnam's without a `tz` cookie), never UTC.
    until = held_until.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    iso = held_until.astimezone(datetime.UTC).replace(microsecond=0).isoformat()
    assert (
        "We hold these items for you for 15 more minutes (until "
        f'<time datetime="{iso}" data-local-time="time">{until:%H:%M} (Indochina Time)</time>)'
    ) in page
    assert "UTC" not in page
    assert "Added to your cart." in page


def test_the_cart_is_priced_in_the_currency_the_shopper_switches_to(client, jar):
    add(client, jar.pk, 3)
    client.cookies[settings.CURRENCY_COOKIE_NAME] = "VND"
    page = client.get(reverse("shop:cart")).content.decode()
    assert "435.000\xa0₫" in page or "₫435,000" in page


@pytest.mark.parametrize(
    "quantity, message",
    [
        ("0", "Choose at least 1."),
        ("-2", "Choose at least 1."),
        ("51", "You can order at most 50 of one item."),
        ("99999999999999999999", "You can order at most 50 of one item."),
        ("two", "Enter a whole number, like 1 or 2."),
        ("", "Enter how many you want."),
        ("1.5", "Enter a whole number, like 1 or 2."),
    ],
)
def test_a_bad_quantity_gets_a_clear_message_and_writes_nothing(client, jar, quantity, message):
    response = add(client, jar.pk, quantity)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CartLine.objects.count() == 0
    assert Cart.objects.count() == 0


@pytest.mark.parametrize("variant_id", ["999999", "abc", ""])
def test_an_unknown_variant_is_refused_and_writes_nothing(client, variant_id):
    response = add(client, variant_id, 1)
    assert response.status_code in (400, 404)
    assert CartLine.objects.count() == 0


def test_asking_for_more_than_is_left_says_how_many_are_left(client, jar):
    add(client, jar.pk, 4)
    response = add(client, jar.pk, 3)
    assert response.status_code == 409
    assert "Only 5 of Tây Bắc wildflower honey (250 g jar) are left" in response.content.decode()
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [4]


def test_the_per_line_cap_counts_what_is_in_the_cart_already(client):
    variant = honey()
    BatchFactory(variant=variant, quantity_received=100)
    add(client, variant.pk, 48)
    response = add(client, variant.pk, 3)
    assert response.status_code == 400
    assert "at most 50 of one item" in response.content.decode()
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [48]


def test_changing_and_removing_lines(client, jar):
    add(client, jar.pk, 1)
    client.post(reverse("shop:cart_update"), {"variant": jar.pk, "quantity": 3})
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [3]
    response = client.post(reverse("shop:cart_update"), {"variant": jar.pk, "quantity": "x"})
    assert response.status_code == 400
    assert list(CartLine.objects.values_list("quantity", flat=True)) == [3]
    client.post(reverse("shop:cart_remove"), {"variant": jar.pk})
    assert CartLine.objects.count() == 0
    assert StockHold.objects.count() == 0


def test_an_ended_hold_is_explained_and_held_again_in_one_click(client, jar):
    add(client, jar.pk, 2)
    StockHold.objects.update(held_until=timezone.now() - datetime.timedelta(minutes=1))

    page = client.get(reverse("shop:cart")).content.decode()
    assert "The time we could hold 1 item for you has run out" in page
    assert "No longer held" in page

    response = client.post(reverse("shop:cart_hold_again"))
    assert response.status_code == 302
    assert StockHold.objects.live().count() == 1
    assert "Your items are held for you again." in client.get(reverse("shop:cart")).content.decode()


def test_the_cart_page_only_takes_posts_for_changes(client, jar):
    assert client.get(reverse("shop:cart_add")).status_code == 405


def test_signing_in_moves_the_guest_cart_into_the_account(client, jar):
    user = UserFactory(email="jane@example.com")
    add(client, jar.pk, 2)
    guest = session_cart(client)

    response = client.post(
        reverse("shop:login"), {"username": "Jane@Example.com", "password": "pass-Word-123"}
    )

    assert response.status_code == 302
    account = Cart.objects.open().get(user=user)
    assert list(account.lines.values_list("variant_id", "quantity")) == [(jar.pk, 2)]
    guest.refresh_from_db()
    assert guest.status == Cart.Status.MERGED
    page = client.get(reverse("shop:cart")).content.decode()
    assert "$21.80" in page


def test_a_wrong_password_signs_nobody_in(client, jar):
    UserFactory(email="jane@example.com")
    response = client.post(
        reverse("shop:login"), {"username": "jane@example.com", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_up_by_email_keeps_the_cart(client, jar):
    add(client, jar.pk, 1)
    response = client.post(
        reverse("shop:signup"),
        {
            "email": "New@Example.com",
            "password1": "a-Long-pass-987",
            "password2": "a-Long-pass-987",
        },
    )
    assert response.status_code == 302
    # The sign-up answer tells nothing about the address (shop.accounts): the new account
    # signs in next, and the guest cart goes with it.
    client.post(
        reverse("shop:login"), {"username": "new@example.com", "password": "a-Long-pass-987"}
    )
    cart = Cart.objects.open().get(user__email="new@example.com")
    assert cart.lines.count() == 1


def test_the_cart_page_speaks_vietnamese(client, jar):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    add(client, jar.pk, 1)
    page = client.get(reverse("shop:cart")).content.decode()
    assert "Giỏ hàng của bạn" in page
    assert "Chúng tôi giữ các sản phẩm này cho bạn thêm 15 phút" in page
    assert "Mật ong hoa rừng Tây Bắc" in page


def cart_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("shop:cart")).status_code == 200
    return len(queries)


def test_the_cart_page_costs_the_same_queries_with_1_and_10_lines(client):
    variants = [honey(product__slug=f"honey-{i}", sku=f"HONEY-{i}") for i in range(10)]
    for variant in variants:
        BatchFactory(variant=variant)
    add(client, variants[0].pk, 1)
    one = cart_page_queries(client)
    for variant in variants[1:]:
        add(client, variant.pk, 2)
    assert CartLine.objects.count() == 10
    assert cart_page_queries(client) == one


def test_the_cart_page_costs_the_same_queries_with_gift_sets(client):
    from tests.factories import GiftSetComponentFactory

    sets = []
    for _set in range(5):
        box = VariantFactory(product__is_gift_set=True, price_usd=Decimal("50.00"))
        for _ in range(2):
            part = GiftSetComponentFactory(gift_set=box).component
            BatchFactory(variant=part)
        sets.append(box)
    add(client, sets[0].pk, 1)
    one = cart_page_queries(client)
    for box in sets[1:]:
        add(client, box.pk, 1)
    assert cart_page_queries(client) == one
