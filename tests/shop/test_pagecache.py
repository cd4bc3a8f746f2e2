"""The storefront's page cache (shop.pagecache): hits without SQL, each visitor's own CSRF
token, one entry per language and currency, a new version after the writes that change the
pages, and the requests and responses it must leave alone."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop import inventory, pagecache
from shop.models import CartLine, MovementKind, ProductGroup, Variant
from tests.factories import (
    BatchFactory,
    CooperativeFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)
from tests.shop.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The page cache on, as in production, and empty before and after each test."""
    settings.PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lotus_tea(today):
    """Lotus tea from Hà Nội: one 100 g box with one batch of 20 on sale."""
    cooperative = CooperativeFactory(name="HTX Trà sen Tây Hồ", slug="htx-tra-sen")
    product = ProductFactory(
        cooperative=cooperative,
        slug="tra-sen",
        group=ProductGroup.BEVERAGES,
        name_en="West Lake lotus tea",
        name_vi="Trà sen Tây Hồ",
    )
    variant = VariantFactory(
        product=product,
        name_en="100 g box",
        name_vi="Hộp 100 g",
        price_usd=Decimal("9.50"),
        price_eur=Decimal("8.70"),
        price_vnd=Decimal("180000"),
    )
    BatchFactory(
        variant=variant,
        lot_code="SEN-2025-06",
        harvest_date=today - datetime.timedelta(days=60),
        packing_date=today - datetime.timedelta(days=50),
        best_before=today + datetime.timedelta(days=300),
        quantity_received=20,
    )
    return product


def queries_of(client: Client, url: str, data=None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def form_token(html: str) -> str:
    [token] = TOKEN_INPUT.findall(html)
    return token


# Hits


@pytest.mark.parametrize("page", ["home", "catalogue", "product", "cooperative"])
def test_the_second_request_for_a_page_is_served_from_the_cache_without_sql(
    client, lotus_tea, page
):
    url = {
        "home": reverse("shop:home"),
        "catalogue": reverse("shop:catalogue"),
        "product": lotus_tea.get_absolute_url(),
        "cooperative": lotus_tea.cooperative.get_absolute_url(),
    }[page]
    # given a first visitor rendered the page
    first_queries, first_html = queries_of(client, url)
    # when a second visitor asks for it
    second_queries, second_html = queries_of(Client(), url)
    # then it comes from the cache, without a query, with the same content
    assert first_queries > 0
    assert second_queries == 0
    assert "West Lake lotus tea" in second_html
    assert TOKEN_INPUT.sub("", second_html) == TOKEN_INPUT.sub("", first_html)


def test_a_cached_product_page_carries_the_visitors_own_csrf_token(lotus_tea):
    first = Client(enforce_csrf_checks=True)
    second = Client(enforce_csrf_checks=True)
    url = lotus_tea.get_absolute_url()
    variant = lotus_tea.variants.get()
    first_token = form_token(first.get(url).content.decode())
    # when the second visitor gets the page from the cache
    with CaptureQueriesContext(connection) as queries:
        response = second.get(url)
    second_token = form_token(response.content.decode())
    # then it sets their CSRF cookie, and the form holds a token that goes with it
    assert len(queries) == 0
    assert pagecache.CSRF_PLACEHOLDER not in response.content.decode()
    assert django_settings.CSRF_COOKIE_NAME in response.cookies
    cart_add = reverse("shop:cart_add")
    refused = second.post(cart_add, {"csrfmiddlewaretoken": first_token, "variant": variant.pk})
    added = second.post(
        cart_add, {"csrfmiddlewaretoken": second_token, "variant": variant.pk, "quantity": 2}
    )
    assert refused.status_code == 403
    assert added.status_code == 302
    assert list(CartLine.objects.values_list("variant_id", "quantity")) == [(variant.pk, 2)]


def test_each_language_and_currency_has_its_own_entry(client, lotus_tea):
    url = lotus_tea.get_absolute_url()
    english_usd = Client()
    vietnamese_usd = Client()
    vietnamese_usd.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "vi"
    english_vnd = Client()
    english_vnd.cookies[django_settings.CURRENCY_COOKIE_NAME] = "VND"
    visitors = [english_usd, vietnamese_usd, english_vnd]
    # given each visitor rendered the page once
    for visitor in visitors:
        queries_of(visitor, url)
    # when each asks again, then each gets their own page from the cache
    pages = [queries_of(visitor, url) for visitor in visitors]
    assert [count for count, _html in pages] == [0, 0, 0]
    (_, en_usd), (_, vi_usd), (_, en_vnd) = pages
    assert "<h1>West Lake lotus tea</h1>" in en_usd
    assert '<p class="price">$9.50</p>' in en_usd
    assert "<h1>Trà sen Tây Hồ</h1>" in vi_usd
    assert '<p class="price">9,50\xa0US$</p>' in vi_usd
    assert "<h1>West Lake lotus tea</h1>" in en_vnd
    assert '<p class="price">₫180,000</p>' in en_vnd


def test_the_order_of_query_parameters_does_not_matter(client, lotus_tea):
    url = reverse("shop:catalogue")
    queries_of(client, url + "?group=beverages&sort=name")
    count, html = queries_of(Client(), url + "?sort=name&group=beverages")
    assert count == 0
    assert "West Lake lotus tea" in html


def test_an_overlong_or_odd_query_string_makes_an_ordinary_key(lotus_tea):
    request = RequestFactory().get("/products/", {"q": "trà sen " * 2000, "page": "\x7f%ff"})
    key = pagecache.page_key(request)
    assert re.fullmatch(r"pagecache:page:[0-9a-f]{64}", key)


def test_an_odd_query_string_is_served_and_cached(client, lotus_tea):
    url = reverse("shop:catalogue") + "?q=tr%C3%A0+sen&page=%ff%fe&page=2"
    first, html = queries_of(client, url)
    second, _ = queries_of(Client(), url)
    assert first > 0 and second == 0
    assert "West Lake lotus tea" in html


def test_a_parameter_the_page_does_not_read_is_rendered_every_time(client, lotus_tea):
    url = lotus_tea.get_absolute_url() + "?utm_source=newsletter"
    first, _ = queries_of(client, url)
    second, _ = queries_of(Client(), url)
    assert second == first > 0


def test_the_pages_are_the_same_for_a_signed_in_shopper_with_a_cart(client, lotus_tea, settings):
    # Being signed in is not part of the key: this holds only while no page shows per-user
    # content (a cart count, a name in the header).
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(UserFactory())
    client.post(reverse("shop:cart_add"), {"variant": lotus_tea.variants.get().pk, "quantity": 1})
    client.get(reverse("shop:cart"))
    assert CartLine.objects.filter(cart__user__isnull=False).count() == 1
    for url in (reverse("shop:home"), reverse("shop:catalogue"), lotus_tea.get_absolute_url()):
        shopper_html = TOKEN_INPUT.sub("", queries_of(client, url)[1])
        visitor_html = TOKEN_INPUT.sub("", queries_of(Client(), url)[1])
        assert shopper_html == visitor_html


# Freshness


def test_a_batch_received_shows_at_once(
    client, lotus_tea, today, django_capture_on_commit_callbacks
):
    url = lotus_tea.get_absolute_url()
    variant = lotus_tea.variants.get()
    queries_of(client, url)
    # given a change made behind the services' back is not seen: the page is cached
    Variant.objects.filter(pk=variant.pk).update(name_en="Gift box")
    assert "Gift box" not in queries_of(client, url)[1]
    # when a batch is received
    with django_capture_on_commit_callbacks(execute=True):
        inventory.receive_batch(
            variant=variant,
            lot_code="SEN-2025-09",
            harvest_date=today - datetime.timedelta(days=10),
            packing_date=today - datetime.timedelta(days=5),
            best_before=today + datetime.timedelta(days=400),
            village=lotus_tea.cooperative.village,
            quantity=30,
        )
    # then the next request renders the page afresh
    count, html = queries_of(client, url)
    assert count > 0
    assert '<th scope="row" class="lot">SEN-2025-09</th>' in html
    assert "<h3>Gift box</h3>" in html


def test_a_stock_movement_shows_at_once(client, lotus_tea, django_capture_on_commit_callbacks):
    url = lotus_tea.get_absolute_url()
    batch = lotus_tea.variants.get().batches.get()
    assert "left in this batch" not in queries_of(client, url)[1]
    # when 18 of the 20 units are written off as damaged
    with django_capture_on_commit_callbacks(execute=True):
        inventory.record_movement(
            batch_id=batch.pk, kind=MovementKind.DAMAGED, quantity=-18, reason="Crushed boxes"
        )
    # then the page says only 2 are left
    assert "Only 2 left in this batch" in queries_of(client, url)[1]


def test_a_refused_stock_movement_keeps_the_cached_page(client, lotus_tea):
    url = lotus_tea.get_absolute_url()
    batch = lotus_tea.variants.get().batches.get()
    queries_of(client, url)
    version = cache.get(pagecache.VERSION_KEY)
    with pytest.raises(inventory.InsufficientStock):
        inventory.record_movement(batch_id=batch.pk, kind=MovementKind.DAMAGED, quantity=-21)
    assert cache.get(pagecache.VERSION_KEY) == version
    assert queries_of(client, url)[0] == 0


def admin_save(client: Client, change_url: str, **changes) -> None:
    data = change_form_data(client.get(change_url))
    data.update(changes)
    response = client.post(change_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("model", ["product", "variant", "cooperative"])
def test_an_admin_save_shows_on_the_product_page_at_once(
    client, lotus_tea, model, django_capture_on_commit_callbacks
):
    shopper = Client()
    url = lotus_tea.get_absolute_url()
    queries_of(shopper, url)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    variant = lotus_tea.variants.get()
    change = {
        "product": ("admin:shop_product_change", lotus_tea.pk, {"name_en": "Lotus-scented tea"}),
        "variant": ("admin:shop_variant_change", variant.pk, {"price_usd": "11.25"}),
        "cooperative": (
            "admin:shop_cooperative_change",
            lotus_tea.cooperative.pk,
            {"name": "HTX Sen Quảng An"},
        ),
    }
    expected = {
        "product": "<h1>Lotus-scented tea</h1>",
        "variant": '<p class="price">$11.25</p>',
        "cooperative": ">HTX Sen Quảng An</a>",
    }
    name, pk, changes = change[model]
    # when staff save the change in the admin
    with django_capture_on_commit_callbacks(execute=True):
        admin_save(client, reverse(name, args=[pk]), **changes)
    # then the shopper's next visit shows it
    assert expected[model] in queries_of(shopper, url)[1]


# What the cache leaves alone


def test_a_page_with_messages_waiting_is_rendered_and_not_stored(client, lotus_tea):
    url = lotus_tea.get_absolute_url()
    queries_of(Client(), url)
    # given the shopper has just added to their cart ("Added to your cart." is waiting)
    client.post(reverse("shop:cart_add"), {"variant": lotus_tea.variants.get().pk, "quantity": 1})
    # when they open the product page, then they see the message
    assert "Added to your cart." in queries_of(client, url)[1]
    # and nobody else, nor they again, is served that page
    assert "Added to your cart." not in queries_of(Client(), url)[1]
    assert "Added to your cart." not in queries_of(client, url)[1]


def test_a_page_that_is_not_found_is_not_stored(client, today):
    url = reverse("shop:product", kwargs={"slug": "che-thai-nguyen"})
    assert client.get(url).status_code == 404
    # when the product is published at that address
    ProductFactory(slug="che-thai-nguyen", name_en="Thai Nguyen green tea")
    # then it is found at once
    assert "Thai Nguyen green tea" in queries_of(Client(), url)[1]


def test_a_page_with_bad_filters_is_not_stored(client, lotus_tea):
    url = reverse("shop:catalogue") + "?stars=banana"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 400
    with CaptureQueriesContext(connection) as second:
        assert Client().get(url).status_code == 400
    assert len(second) == len(first) > 0


def test_with_the_cache_off_every_request_renders(client, lotus_tea, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = lotus_tea.get_absolute_url()
    first, _ = queries_of(client, url)
    second, _ = queries_of(Client(), url)
    assert second == first > 0
    assert cache.get(pagecache.VERSION_KEY) is None


# Scoped freshness (issue 13): a stock movement refreshes its own product's pages, and the
# listings only when a lot went on or off sale.


def test_a_movement_of_one_product_keeps_the_other_pages_cached(
    client, lotus_tea, django_capture_on_commit_callbacks
):
    # given another product, and every page cached
    other = BatchFactory(variant__product__name_en="Black pepper", quantity_received=5)
    urls = {
        "lotus": lotus_tea.get_absolute_url(),
        "pepper": other.variant.product.get_absolute_url(),
        "catalogue": reverse("shop:catalogue"),
        "home": reverse("shop:home"),
    }
    for url in urls.values():
        queries_of(client, url)
    # when 2 of the 20 lotus tea units are written off (the lot stays on sale)
    batch = lotus_tea.variants.get().batches.get()
    with django_capture_on_commit_callbacks(execute=True):
        inventory.record_movement(batch_id=batch.pk, kind=MovementKind.DAMAGED, quantity=-2)
    # then only the lotus tea page renders again; the others come from the cache
    assert queries_of(client, urls["lotus"])[0] > 0
    assert queries_of(client, urls["pepper"])[0] == 0
    assert queries_of(client, urls["catalogue"])[0] == 0
    assert queries_of(client, urls["home"])[0] == 0


def test_a_lot_that_sells_out_refreshes_the_listings(
    client, lotus_tea, django_capture_on_commit_callbacks
):
    # given the catalogue cached with lotus tea in stock
    url = reverse("shop:catalogue")
    assert "stock-in" in queries_of(client, url)[1]
    # when its only lot's 20 units are all written off
    batch = lotus_tea.variants.get().batches.get()
    with django_capture_on_commit_callbacks(execute=True):
        inventory.record_movement(batch_id=batch.pk, kind=MovementKind.DAMAGED, quantity=-20)
    # then the catalogue renders again and says it is out of stock
    count, html = queries_of(client, url)
    assert count > 0
    assert "stock-out" in html and "stock-in" not in html
