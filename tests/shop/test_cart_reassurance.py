"""A cart and checkout that reassure (issue 14): pictures and held lots, the hold's end in the
shopper's zone with a countdown, the header's item count, "ship to", notes, errors announced,
autocomplete, the confirmation's link to the order page and each parcel's timeline."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shop import carts, notifications
from shop.models import Cart, CartLine, Shipment, ShipmentStatusChange, StockHold
from tests.factories import BatchFactory, CooperativeFactory, UserFactory
from tests.shop.checkout_data import honey, placed_order, shipping_zones

pytestmark = pytest.mark.django_db

BEST_BEFORE = datetime.date(2027, 3, 5)


@pytest.fixture
def jar():
    variant = honey()
    BatchFactory(variant=variant, lot_code="HONEY1", quantity_received=5, best_before=BEST_BEFORE)
    return variant


def add(client, variant_id, quantity):
    return client.post(reverse("shop:cart_add"), {"variant": variant_id, "quantity": quantity})


def session_cart(client) -> Cart:
    return Cart.objects.get(token=client.session[carts.SESSION_KEY])


def cart_page(client) -> str:
    return client.get(reverse("shop:cart")).content.decode()


def header(page: str) -> str:
    return page[page.index('<header class="site-header">') : page.index("</header>")]


# Pictures and lots


def test_each_line_shows_a_lazy_picture_and_the_lot_and_best_before_held(client, jar):
    # given a guest who took two jars of the lot HONEY1
    add(client, jar.pk, 2)
    # when the cart is shown
    page = cart_page(client)
    # then the line has the product's fallback picture, lazy and sized, and the lot held
    assert re.search(
        r'<img class="cart-line-picture" src="/static/shop/placeholder\.svg" alt="" '
        r'width="320" height="320" loading="lazy" decoding="async">',
        page,
    )
    assert "Lot HONEY1 · best before Mar 5, 2027" in page


def test_a_line_held_from_two_lots_lists_both_earliest_first(client):
    variant = honey()
    BatchFactory(variant=variant, lot_code="LATE", quantity_received=1, best_before=BEST_BEFORE)
    BatchFactory(
        variant=variant,
        lot_code="EARLY",
        quantity_received=1,
        best_before=datetime.date(2027, 1, 2),
    )
    add(client, variant.pk, 2)
    page = cart_page(client)
    assert re.search(r"Lot EARLY · best before Jan 2, 2027</li><li>Lot LATE · best before", page)


def test_the_cart_page_speaks_vietnamese_for_lots_and_notes(client, jar):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    add(client, jar.pk, 1)
    page = cart_page(client)
    assert "Lô HONEY1 · sử dụng tốt nhất trước 5 tháng 3, 2027" in page
    assert "Thanh toán thẻ an toàn qua Stripe" in page
    assert "Số sản phẩm trong giỏ: 1" in page


def cart_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("shop:cart")).status_code == 200
    return len(queries)


def test_pictures_and_lots_cost_the_same_queries_with_1_and_8_lines_of_two_lots(client):
    # given products held each from two lots
    variants = [honey(product__slug=f"honey-{i}", sku=f"HONEY-{i}") for i in range(8)]
    for variant in variants:
        BatchFactory(variant=variant, quantity_received=1)
        BatchFactory(variant=variant, quantity_received=5)
    add(client, variants[0].pk, 2)
    one = cart_page_queries(client)
    for variant in variants[1:]:
        add(client, variant.pk, 3)
    # then eight lines of two lots each cost what one line cost
    assert CartLine.objects.count() == 8
    assert StockHold.objects.count() == 16
    assert cart_page_queries(client) == one


# The hold's end


def test_the_hold_ends_in_the_shoppers_zone_with_a_countdown_never_in_utc(client, jar):
    # given a shopper whose browser said it is in Berlin
    client.cookies["tz"] = "Europe/Berlin"
    add(client, jar.pk, 1)
    held_until = StockHold.objects.get().held_until
    # when the cart is shown
    page = cart_page(client)
    # then the end is a <time> in Berlin's zone, and the countdown counts to the same moment
    iso = held_until.astimezone(datetime.UTC).replace(microsecond=0).isoformat()
    berlin = timezone.localtime(held_until, datetime.timezone(datetime.timedelta(hours=1)))
    assert (
        f'<time datetime="{iso}" data-local-time="time">{berlin:%H:%M} '
        "(Central European Standard Time)</time>"
    ) in page
    assert f'data-countdown="{iso}"' in page
    assert '<span role="timer" data-countdown-clock></span>' in page
    assert "UTC" not in page
    assert '<script src="/static/shop/local-times.js" defer></script>' in page


def test_a_made_up_zone_falls_back_to_vietnam_named(client, jar):
    client.cookies["tz"] = "../../etc/passwd"
    add(client, jar.pk, 1)
    assert "(Indochina Time)</time>" in cart_page(client)


# The header's count


def test_every_change_of_the_cart_sets_the_count_cookie_for_cached_pages(client, jar):
    response = add(client, jar.pk, 2)
    assert response.cookies["cart_count"].value == "2"
    assert response.cookies["cart_count"]["httponly"] == ""
    response = client.post(reverse("shop:cart_update"), {"variant": jar.pk, "quantity": 3})
    assert response.cookies["cart_count"].value == "3"
    response = client.post(reverse("shop:cart_remove"), {"variant": jar.pk})
    assert response.cookies["cart_count"].value == "0"


def test_the_cart_draws_the_count_and_cached_pages_leave_it_to_the_script(client, jar):
    add(client, jar.pk, 2)
    drawn = header(cart_page(client))
    assert (
        '<a href="/cart/">Cart</a>'
        '<span class="cart-count" data-cart-count data-label="Items in your cart:">'
        '<span data-cart-count-number aria-hidden="true">2</span>'
        '<span class="visually-hidden" data-cart-count-label>Items in your cart: 2</span></span>'
    ) in drawn
    catalogue = client.get(reverse("shop:catalogue"))
    assert "cart_count" not in catalogue.cookies
    cached = header(catalogue.content.decode())
    assert '<span class="cart-count" data-cart-count data-label="Items in your cart:" hidden>' in (
        cached
    )
    assert '<script src="/static/shop/header.js" defer></script>' in catalogue.content.decode()


def test_signing_in_counts_the_accounts_cart_and_signing_out_forgets_it(client, jar):
    UserFactory(email="jane@example.com")
    add(client, jar.pk, 2)
    response = client.post(
        reverse("shop:login"), {"username": "jane@example.com", "password": "pass-Word-123"}
    )
    assert response.status_code == 302
    assert response.cookies["cart_count"].value == "2"
    response = client.post(reverse("shop:logout"))
    assert response.cookies["cart_count"].value == ""
    assert response.cookies["cart_count"]["max-age"] == 0


def test_placing_the_order_sets_the_count_to_none(client, jar):
    methods = shipping_zones()
    add(client, jar.pk, 1)
    client.post(reverse("shop:checkout"), {**ADDRESS})
    response = client.post(
        reverse("shop:checkout_review"), {"shipping_method": methods["Europe"][0].pk}
    )
    assert response.status_code == 302
    assert response.cookies["cart_count"].value == "0"


# Ship to


def test_ship_to_records_the_country_and_the_cart_shows_it_chosen(client, jar):
    add(client, jar.pk, 1)
    response = client.post(reverse("shop:cart_destination"), {"country": "DE"})
    assert response.status_code == 302
    assert session_cart(client).destination_country == "DE"
    page = cart_page(client)
    assert '<option value="DE" selected>Germany</option>' in page
    assert 'autocomplete="country"' in page


def test_ship_to_refuses_an_unknown_country_and_changes_nothing(client, jar):
    add(client, jar.pk, 1)
    client.post(reverse("shop:cart_destination"), {"country": "DE"})
    response = client.post(reverse("shop:cart_destination"), {"country": "XX"})
    assert response.status_code == 400
    assert session_cart(client).destination_country == "DE"
    assert '<div class="form-errors" role="alert">' in response.content.decode()
    assert "Choose a country from the list." in response.content.decode()


def test_ship_to_without_a_cart_is_a_clear_400(client):
    response = client.post(reverse("shop:cart_destination"), {"country": "DE"})
    assert response.status_code == 400
    assert Cart.objects.count() == 0


def test_the_notes_and_the_returns_page(client, jar):
    add(client, jar.pk, 1)
    page = cart_page(client)
    assert "your card number goes to Stripe, never to us." in page
    assert '<a href="/returns/">Returns and refunds</a>' in page
    assert "Shipped by the village cooperatives in Vietnam, each parcel tracked" in page
    for language, title in (("en", "Returns and refunds"), ("vi", "Đổi trả và hoàn tiền")):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(reverse("shop:returns"))
        assert response.status_code == 200
        assert f"<h1>{title}</h1>" in response.content.decode()


# Checkout fields

ADDRESS = {
    "email": "anna@example.de",
    "buyer_name": "Anna Schmidt",
    "full_name": "Anna Schmidt",
    "line1": "Hauptstraße 5",
    "city": "Berlin",
    "postal_code": "10115",
    "country": "DE",
    "phone": "+49 30 1234567",
}


def test_checkout_fields_carry_autocomplete_tokens_and_the_phone_is_tel(client, jar):
    add(client, jar.pk, 1)
    page = client.get(reverse("shop:checkout")).content.decode()
    for name, token in (
        ("email", "email"),
        ("buyer_name", "name"),
        ("full_name", "shipping name"),
        ("line1", "shipping address-line1"),
        ("line2", "shipping address-line2"),
        ("city", "shipping address-level2"),
        ("region", "shipping address-level1"),
        ("postal_code", "shipping postal-code"),
        ("country", "shipping country"),
        ("phone", "shipping tel"),
    ):
        tag = re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', page).group(0)
        assert f'autocomplete="{token}"' in tag, tag
    phone = re.search(r'<input[^>]*name="phone"[^>]*>', page).group(0)
    assert 'type="tel"' in phone and 'inputmode="tel"' in phone
    assert 'type="email"' in re.search(r'<input[^>]*name="email"[^>]*>', page).group(0)
    # The count is drawn in the checkout's header too.
    assert '<span data-cart-count-number aria-hidden="true">1</span>' in page


def test_field_errors_are_announced_and_described(client, jar):
    add(client, jar.pk, 1)
    response = client.post(reverse("shop:checkout"), {**ADDRESS, "email": "not-an-email"})
    page = response.content.decode()
    assert response.status_code == 400
    assert session_cart(client).email == ""
    assert re.search(
        r'<div class="field-errors" role="alert"><ul class="errorlist" id="id_email_error">',
        page,
    )
    email = re.search(r'<input[^>]*name="email"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in email and 'aria-describedby="id_email_error"' in email
    # Help text is found by the id Django's aria-describedby names.
    assert '<p class="help" id="id_full_name_helptext">' in page


# The confirmation email and the order page


def test_the_confirmation_links_to_the_order_page(jar):
    order = placed_order((jar, 1))
    notifications.send_order_email(order_id=order.pk, kind=notifications.ORDER_CONFIRMATION)
    [message] = mail.outbox
    url = f"{settings.SITE_URL}/orders/{order.token}/"
    assert f"See your order and follow its parcels: {url}" in message.body.splitlines()
    assert f'<a class="order-link" href="{url}"' in message.alternatives[0].content


def parcel(order, *, moves):
    shipment = Shipment.objects.create(
        order=order,
        cooperative=CooperativeFactory(),
        status=moves[-1],
        carrier="VNPost",
        tracking_number="EE123456789VN",
        tracking_url="https://tracking.example/EE123456789VN",
    )
    start = datetime.datetime(2026, 3, 4, 23, 30, tzinfo=datetime.UTC)
    before = ""
    for hours, status in enumerate(moves):
        ShipmentStatusChange.objects.create(
            shipment=shipment,
            from_status=before,
            to_status=status,
            created_at=start + datetime.timedelta(hours=hours),
        )
        before = status
    return shipment


def order_page_queries(client, order) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("shop:order", kwargs={"token": order.token}))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_order_page_shows_each_parcels_timeline_in_the_viewers_zone(client, jar):
    order = placed_order((jar, 1))
    parcel(order, moves=["to_pack", "packed", "shipped"])
    client.cookies["tz"] = "Europe/Berlin"
    one, page = order_page_queries(client, order)
    timeline = re.search(r'<ol class="timeline"[^>]*>(.*?)</ol>', page).group(1)
    assert re.findall(r"<strong>([^<]+)</strong>", timeline) == ["To pack", "Packed", "Shipped"]
    assert (
        '<time datetime="2026-03-04T23:30:00+00:00" data-local-time="datetime">'
        "Mar 5, 2026, 00:30 (Central European Standard Time)</time>"
    ) in timeline
    assert '<a class="tracking-link" href="https://tracking.example/EE123456789VN"' in page
    # then three parcels with longer histories cost the same queries as one
    parcel(order, moves=["to_pack", "packed", "shipped", "delivered"])
    parcel(order, moves=["to_pack"])
    three, page = order_page_queries(client, order)
    assert page.count('<ol class="timeline"') == 3
    assert three == one
