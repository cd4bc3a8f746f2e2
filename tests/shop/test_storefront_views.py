"""Storefront pages through the test client: filters, search, bad input, product and
cooperative pages, preferences, and the error pages."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from shop import inventory
from shop.models import Batch, BatchStatus, ProductGroup
from shop.search import MAX_QUERY_LENGTH
from shop.views import errors
from tests.factories import (
    BatchFactory,
    CartFactory,
    CooperativeFactory,
    ProductFactory,
    VariantFactory,
    VillageFactory,
)
from traceability.models import Province

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def listed(response) -> list[str]:
    return [card.name for card in response.context["page"].object_list]


@pytest.fixture
def fish_sauce(today):
    """Phú Quốc fish sauce from An Giang: one 500 ml size with two batches on sale."""
    an_giang = Province.objects.get(codename="an-giang")
    village = VillageFactory(province=an_giang, name="Làng chài Hàm Ninh", commune="Xã Hàm Ninh")
    cooperative = CooperativeFactory(
        name="HTX Nước mắm Phú Quốc",
        slug="htx-phu-quoc",
        village=village,
        story_en="Barrels of anchovy since 1950.",
        story_vi="Thùng cá cơm từ năm 1950.",
        contact_email="hello@phuquoc.example",
        contact_phone="+84 297 384 0000",
    )
    product = ProductFactory(
        cooperative=cooperative,
        slug="nuoc-mam-phu-quoc",
        group=ProductGroup.FOOD,
        name_en="Phu Quoc fish sauce",
        name_vi="Nước mắm Phú Quốc",
        ocop_stars=5,
        ocop_decision_number="1234/QĐ-UBND",
        ocop_certified_on=datetime.date(2025, 1, 10),
        ocop_valid_until=datetime.date(2028, 1, 9),
    )
    variant = VariantFactory(
        product=product,
        name_en="500 ml bottle",
        name_vi="Chai 500 ml",
        price_usd=Decimal("12.50"),
        price_eur=Decimal("11.50"),
        price_vnd=Decimal("250000"),
    )
    BatchFactory(
        variant=variant,
        lot_code="PQ-2025-07",
        village=village,
        harvest_date=datetime.date(2025, 7, 1),
        packing_date=datetime.date(2025, 7, 10),
        best_before=today + days(200),
        quantity_received=3,
    )
    BatchFactory(
        variant=variant,
        lot_code="PQ-2025-09",
        village=village,
        harvest_date=datetime.date(2025, 9, 1),
        packing_date=datetime.date(2025, 9, 10),
        best_before=today + days(400),
        quantity_received=40,
    )
    return product


@pytest.fixture
def vase():
    product = ProductFactory(
        slug="binh-gom",
        group=ProductGroup.HANDICRAFTS,
        name_en="Bat Trang vase",
        name_vi="Bình gốm Bát Tràng",
        description_en="Glazed stoneware.",
        description_vi="Gốm men lam.",
        ocop_stars=3,
    )
    BatchFactory(variant__product=product)
    return product


# Home and catalogue


def test_home_shows_featured_products_groups_and_cooperatives(client, fish_sauce, vase):
    response = client.get(reverse("shop:home"))
    assert response.status_code == 200
    assert [card.name for card in response.context["featured"]] == [
        "Phu Quoc fish sauce",
        "Bat Trang vase",
    ]
    assert {g.value: g.count for g in response.context["groups"]}["handicrafts"] == 1
    assert "HTX Nước mắm Phú Quốc" in response.content.decode()


def test_catalogue_cards_show_origin_stars_price_and_stock(client, fish_sauce):
    response = client.get(reverse("shop:catalogue"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phu Quoc fish sauce" in html
    assert "HTX Nước mắm Phú Quốc" in html and "An Giang" in html
    assert 'aria-label="5 OCOP stars"' in html
    assert "from $12.50" in html
    assert "In stock" in html


def test_catalogue_filters_by_group_province_and_stars(client, fish_sauce, vase):
    url = reverse("shop:catalogue")
    assert listed(client.get(url, {"group": "handicrafts"})) == ["Bat Trang vase"]
    assert listed(client.get(url, {"province": "an-giang"})) == ["Phu Quoc fish sauce"]
    assert listed(client.get(url, {"stars": "4"})) == ["Phu Quoc fish sauce"]


def test_catalogue_price_range_uses_the_chosen_currency(client, fish_sauce, vase):
    # given the vase costs 250 000 VND too, fish sauce is 250 000 VND; pick VND
    client.cookies[settings.CURRENCY_COOKIE_NAME] = "VND"
    url = reverse("shop:catalogue")
    # when the shopper filters 200 000 to 260 000 VND / then both match
    both = client.get(url, {"price_min": "200000", "price_max": "260000"})
    # and 12 to 13 (a USD range) in VND matches nothing
    none = client.get(url, {"price_min": "12", "price_max": "13"})
    assert listed(both) == ["Bat Trang vase", "Phu Quoc fish sauce"]
    assert listed(none) == []
    assert "No products match these filters." in none.content.decode()


@pytest.mark.parametrize("query", ["nước mắm", "nuoc mam", "Nuoc Mam Phu Quoc", "fish sauce"])
def test_search_finds_fish_sauce_with_or_without_diacritics(client, fish_sauce, vase, query):
    response = client.get(reverse("shop:catalogue"), {"q": query})
    assert listed(response) == ["Phu Quoc fish sauce"]


def test_catalogue_is_paginated(client, settings):
    settings.CATALOGUE_PAGE_SIZE = 2
    for n in range(5):
        ProductFactory(name_en=f"Tea {n}")
    response = client.get(reverse("shop:catalogue"), {"q": "tea", "page": "3"})
    html = response.content.decode()
    assert listed(response) == ["Tea 4"]
    assert "Page 3 of 3" in html
    assert 'href="?q=tea&amp;page=2"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"price_min": "abc"}, "Enter a number."),
        ({"price_max": "1e400"}, "Ensure that there are no more than"),
        ({"price_min": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({"price_min": "20", "price_max": "10"}, "The highest price must not be below the lowest."),
        ({"q": "x" * (MAX_QUERY_LENGTH + 1)}, "Ensure this value has at most 100 characters"),
        ({"q": "nuoc\x00mam"}, "Null characters are not allowed."),
        ({"stars": "banana"}, "Select a valid choice."),
        ({"stars": "9"}, "Select a valid choice."),
        ({"group": "spaceships"}, "Select a valid choice."),
        ({"province": "atlantis"}, "Select a valid choice."),
        ({"sort": "DROP TABLE"}, "Select a valid choice."),
    ],
)
def test_nonsense_filters_get_a_clear_page_with_the_error(client, fish_sauce, params, message):
    response = client.get(reverse("shop:catalogue"), params)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Some filters could not be used. Please check them:" in html
    assert message in html
    assert response.context["page"] is None


def test_a_nonsense_page_number_shows_the_first_page(client, fish_sauce):
    response = client.get(reverse("shop:catalogue"), {"page": "zzz"})
    assert response.status_code == 200
    assert listed(response) == ["Phu Quoc fish sauce"]


# Product page


def test_product_page_shows_the_fefo_batch_with_harvest_and_village(client, fish_sauce):
    response = client.get(fish_sauce.get_absolute_url())
    html = response.content.decode()
    current = response.context["page"].offers[0].current_batch
    assert response.status_code == 200
    assert current.lot_code == "PQ-2025-07"
    assert '<dd class="lot">PQ-2025-07</dd>' in html
    assert "<dd>Jul 1, 2025</dd>" in html
    assert "Làng chài Hàm Ninh, Xã Hàm Ninh, An Giang" in html
    assert "Only 3 left in this batch" in html
    assert '<th scope="row" class="lot">PQ-2025-09</th>' in html
    assert "1 other batch" in html


def test_product_page_moves_to_the_next_batch_when_the_first_is_held(client, fish_sauce):
    # given every unit of the earliest batch is in a cart
    variant = fish_sauce.variants.get()
    inventory.hold(cart=CartFactory(), variant=variant, quantity=3)
    # when the page is read
    response = client.get(fish_sauce.get_absolute_url())
    html = response.content.decode()
    # then the buyer would receive the next batch, with no low-stock notice
    assert response.context["page"].offers[0].current_batch.lot_code == "PQ-2025-09"
    assert "left in this batch" not in html
    assert '<span class="status status-sold_out">Sold out</span>' in html


def test_product_page_shows_the_certificate_while_current(client, fish_sauce):
    html = client.get(fish_sauce.get_absolute_url()).content.decode()
    assert "OCOP certificate 1234/QĐ-UBND, valid until Jan 9, 2028" in html
    assert 'aria-label="5 OCOP stars"' in html


def test_an_expired_certificate_is_shown_as_expired_never_as_current(client, fish_sauce, today):
    # given the certificate ran out yesterday
    fish_sauce.ocop_certified_on = today - days(1100)
    fish_sauce.ocop_valid_until = today - days(1)
    fish_sauce.save()
    # when the product page and the catalogue are read
    product_html = client.get(fish_sauce.get_absolute_url()).content.decode()
    catalogue_html = client.get(reverse("shop:catalogue")).content.decode()
    # then both say expired and neither shows a current rating
    assert "OCOP certificate expired" in product_html
    assert "which expired on" in product_html
    assert "valid until" not in product_html
    assert "OCOP stars" not in product_html
    assert "OCOP certificate expired" in catalogue_html
    assert 'aria-label="5 OCOP stars"' not in catalogue_html


def test_product_page_prices_in_the_chosen_currency_and_locale(client, fish_sauce):
    client.cookies[settings.CURRENCY_COOKIE_NAME] = "VND"
    assert (
        '<p class="price">₫250,000</p>'
        in client.get(fish_sauce.get_absolute_url()).content.decode()
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.cookies[settings.CURRENCY_COOKIE_NAME] = "EUR"
    assert (
        '<p class="price">11,50\xa0€</p>'
        in client.get(fish_sauce.get_absolute_url()).content.decode()
    )


def test_a_product_with_no_buyable_batch_is_out_of_stock(client, fish_sauce):
    Batch.objects.filter(variant__product=fish_sauce).update(status=BatchStatus.RECALLED)
    response = client.get(fish_sauce.get_absolute_url())
    assert response.context["page"].offers[0].current_batch is None
    assert "Out of stock" in response.content.decode()


def test_unknown_product_slug_gets_a_friendly_404(client):
    response = client.get(reverse("shop:product", kwargs={"slug": "no-such-thing"}))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_unpublished_product_is_not_found(client, fish_sauce):
    fish_sauce.is_published = False
    fish_sauce.save()
    response = client.get(fish_sauce.get_absolute_url())
    assert response.status_code == 404
    assert "Phu Quoc fish sauce" not in response.content.decode()


# Cooperative page


def test_cooperative_page_shows_story_origin_contact_and_products(client, fish_sauce):
    ProductFactory(cooperative=fish_sauce.cooperative, name_en="Secret", is_published=False)
    response = client.get(fish_sauce.cooperative.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Barrels of anchovy since 1950." in html
    assert "Làng chài Hàm Ninh, Xã Hàm Ninh · An Giang" in html
    assert 'href="mailto:hello@phuquoc.example"' in html
    assert [card.name for card in response.context["products"]] == ["Phu Quoc fish sauce"]


def test_unknown_cooperative_gets_a_friendly_404(client):
    response = client.get(reverse("shop:cooperative", kwargs={"slug": "nobody"}))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# Preferences


def test_preferences_set_the_language_and_return_to_the_page(client):
    response = client.get(
        reverse("shop:preferences"), {"language": "vi", "next": "/products/?q=tra"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/products/?q=tra"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert settings.CURRENCY_COOKIE_NAME not in response.cookies


def test_preferences_set_the_currency_and_later_pages_use_it(client, fish_sauce):
    response = client.get(reverse("shop:preferences"), {"currency": "EUR", "next": "/products/"})
    assert response.cookies[settings.CURRENCY_COOKIE_NAME].value == "EUR"
    assert "from €11.50" in client.get("/products/").content.decode()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/path",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "",
        "\\\\evil.example",
    ],
)
def test_preferences_never_redirect_off_site(client, next_url):
    response = client.get(reverse("shop:preferences"), {"currency": "VND", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("shop:home")


def test_preferences_ignore_unknown_values(client):
    response = client.get(
        reverse("shop:preferences"), {"language": "klingon", "currency": "BTC", "next": "/"}
    )
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert settings.CURRENCY_COOKIE_NAME not in response.cookies


def test_an_unknown_currency_cookie_falls_back_to_the_default(client, fish_sauce):
    client.cookies[settings.CURRENCY_COOKIE_NAME] = "BTC"
    assert "from $12.50" in client.get(reverse("shop:catalogue")).content.decode()


# Error pages


def test_the_500_page_renders_in_both_languages_without_the_database(
    django_assert_num_queries, settings
):
    request = RequestFactory().get("/products/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "Đã xảy ra lỗi" in html


def test_the_400_page_is_friendly(rf):
    request = rf.get("/")
    request.currency = "USD"
    response = errors.bad_request(request)
    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()
