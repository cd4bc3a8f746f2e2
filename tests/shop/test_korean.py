"""The storefront, trace pages and emails in Korean: Korean page words from shop/locale/ko
(polite shop Korean, 합니다/해요), English product text (the catalogue is written in English
and Vietnamese only), dates written the Korean way by babel, and a Korean catalogue that keeps
up with the Vietnamese one."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from shop import languages, notifications
from tests.factories import (
    OrderFactory,
    OrderLineBatchFactory,
    OrderLineFactory,
    ProductFactory,
    VariantFactory,
    VillageFactory,
)
from tests.shop import test_german
from tests.shop.test_catalogues import LOCALE, PLACEHOLDER, catalogue, strings
from traceability.links import digital_link_path

KOREAN_PO = LOCALE / "ko" / "LC_MESSAGES" / "django.po"
KOREAN = {"HTTP_ACCEPT_LANGUAGE": "ko-KR,ko;q=0.9,en;q=0.5"}
# Prices in dollars whatever currency a Korean browser gets first: these tests are about words.
DOLLARS = {settings.CURRENCY_COOKIE_NAME: "USD"}

# West Lake lotus tea, English and Vietnamese names, one 100 g box with a batch of 2 on sale.
lotus_tea = test_german.lotus_tea


def korean_page(client, path, **query):
    client.cookies.load(DOLLARS)
    response = client.get(path, query, **KOREAN)
    assert response.status_code == 200
    return response, response.content.decode()


# The reader's language


def test_korean_browsers_read_korean_with_english_product_text_and_korean_dates():
    assert [languages.shop_language(code) for code in ("ko", "ko-KR", "ko_KR")] == ["ko"] * 3
    assert languages.content_language("ko") == "en"
    assert languages.babel_locale("ko-KR") == "ko_KR"


def test_modeltranslation_reads_english_product_text_for_korean():
    from modeltranslation.utils import get_language as content_language

    with translation.override("ko"):
        assert content_language() == "en"


# Storefront pages


@pytest.mark.django_db
def test_a_korean_browser_gets_korean_pages_and_english_product_names(client, lotus_tea):
    # given a visitor whose browser asks for Korean
    # when they open the catalogue and the product page
    listing, listing_html = korean_page(client, reverse("shop:catalogue"))
    _page, page_html = korean_page(client, lotus_tea.get_absolute_url())
    # then the pages speak Korean and name the product in English
    assert listing["Content-Language"] == "ko"
    assert '<html lang="ko">' in listing_html
    assert "필터 및 정렬" in listing_html
    assert "상품 1개" in listing_html
    assert "West Lake lotus tea" in listing_html
    assert "Trà sen Tây Hồ" not in listing_html
    assert "<h1>West Lake lotus tea</h1>" in page_html
    assert "받으실 로트" in page_html
    assert "이 로트 재고 2개 남음" in page_html
    assert "장바구니에 담기" in page_html
    # babel's Korean medium date, year first
    assert "2099. 1. 9.까지 유효" in page_html
    assert "음료" in page_html
    assert 'lang="ko" aria-current="true">한국어</a>' in page_html
    assert ">장바구니</a>" in page_html


@pytest.mark.django_db
def test_lang_in_the_address_gives_the_korean_page_to_any_browser(client, lotus_tea):
    client.cookies.load(DOLLARS)
    response = client.get(
        lotus_tea.get_absolute_url(), {"lang": "ko"}, HTTP_ACCEPT_LANGUAGE="en-US"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ko">' in html
    assert "장바구니에 담기" in html


@pytest.mark.django_db
def test_the_cart_and_checkout_speak_korean(client, lotus_tea):
    variant = lotus_tea.variants.get()
    client.cookies.load(DOLLARS)
    # given a Korean shopper who put the box in the cart
    added = client.post(reverse("shop:cart_add"), {"variant": variant.pk, "quantity": 1}, **KOREAN)
    assert added.status_code == 302
    # when they open the cart and the checkout
    _cart, cart_html = korean_page(client, reverse("shop:cart"))
    _checkout, checkout_html = korean_page(client, reverse("shop:checkout"))
    # then both are in Korean, the product still in English
    assert '<html lang="ko">' in cart_html
    assert "장바구니에 담았습니다." in cart_html
    assert "West Lake lotus tea" in cart_html
    assert "주문하기" in cart_html
    assert "쇼핑 계속하기" in cart_html
    assert '<html lang="ko">' in checkout_html
    assert "배송 주소" in checkout_html
    assert "우편번호" in checkout_html
    assert "선물 옵션" in checkout_html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "catalogue", "cart", "checkout", "login", "signup", "password_reset"]
)
def test_every_public_page_answers_in_korean(client, lotus_tea, name):
    response = client.get(reverse(f"shop:{name}"), **KOREAN)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        html = response.content.decode()
        assert '<html lang="ko">' in html
        assert ">장바구니</a>" in html


@pytest.mark.django_db
def test_the_trace_page_in_korean_names_the_product_in_english(client, lotus_tea):
    batch = lotus_tea.variants.get().batches.get()
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    response, html = korean_page(client, path)
    assert response["Content-Language"] == "ko"
    assert '<html lang="ko">' in html
    assert "단계별 여정" in html
    assert "이 로트에는 아직 기록된 단계가 없습니다." in html
    assert "이력 추적 정보" in html
    assert "West Lake lotus tea" in html
    assert "Trà sen Tây Hồ" not in html
    assert 'lang="ko" aria-current="true">한국어</a>' in html


def test_the_500_page_in_korean_adds_the_english_line():
    from django.test import RequestFactory

    from shop.views import errors

    with translation.override("ko"):
        html = errors.server_error(RequestFactory().get("/products/")).content.decode()
    assert '<html lang="ko">' in html
    assert "문제가 발생했습니다" in html
    assert '<p lang="en" class="other-language">Something went wrong' in html


# Emails


@pytest.mark.django_db
def test_an_order_placed_in_korean_is_confirmed_in_korean():
    # given an order placed in Korean
    order = OrderFactory(
        language="ko",
        currency="USD",
        buyer_name="김지은",
        subtotal=Decimal("23.00"),
        shipping_total=Decimal("9.00"),
        total=Decimal("32.00"),
    )
    # Named on the product itself too: order lines are read in the reader's language from it.
    line = OrderLineFactory(
        order=order,
        variant=VariantFactory(
            product=ProductFactory(name_en="Longan honey", name_vi="Mật ong nhãn"),
            name_en="250 g jar",
            name_vi="Hũ 250 g",
        ),
        product_name="Longan honey",
        variant_name="250 g jar",
        quantity=2,
        unit_price=Decimal("11.50"),
        line_total=Decimal("23.00"),
    )
    OrderLineBatchFactory(
        line=line,
        quantity=2,
        batch__lot_code="HN2503",
        batch__harvest_date=datetime.date(2025, 3, 5),
        batch__village=VillageFactory(name="Làng Nón Chuông"),
    )
    # when its confirmation is sent
    assert notifications.send_order_email(order_id=order.pk, kind=notifications.ORDER_CONFIRMATION)
    # then it is Korean, with Korean dates, and the product's English name
    [message] = mail.outbox
    text = message.body
    html = message.alternatives[0][0]
    assert message.subject == f"주문 {order.number} 확인 완료. 감사합니다!"
    assert "김지은 님, 안녕하세요." in text
    assert f"주문해 주셔서 감사합니다(주문 번호 {order.number})." in text
    # babel writes the dollar as US$ for Korean readers
    assert "- Longan honey · 250 g jar: 2 × US$11.50 = US$23.00" in text
    assert "로트 HN2503 · 2025년 3월 5일 수확 · Làng Nón Chuông, Thành phố Hà Nội 산" in text
    assert "상품 금액: US$23.00" in text.splitlines()
    assert "합계: US$32.00" in text.splitlines()
    assert '<html lang="ko">' in html


# The Korean catalogue


def is_korean(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def test_korean_translations_are_korean():
    # An entry left in English reads no Hangul. Some stay as they are: the brand, GS1 and
    # customs codes, and words made only of placeholders and punctuation.
    kept = {"OCOP Village Shop", "GLN", "GTIN", "GST", "SKU", "CSV", "GS1 Digital Link"}
    latin = [
        m.id
        for m in catalogue(KOREAN_PO, "ko")
        if m.id
        and not is_korean("".join(strings(m)))
        and strings(m)[0] not in kept
        and re.sub(r"[A-Z0-9/]+|[\W_]", "", PLACEHOLDER.sub("", strings(m)[0]))
    ]
    assert latin == []


def test_korean_shop_text_is_polite():
    # Sentences shoppers read end politely (합니다/해요 or a request with 주세요), never in the
    # plain 한다 style of a manual.
    plain = re.compile(r"(?<![합됩습니있없])(한다|된다|있다|없다|했다|이다)\.")
    assert [m.id for m in catalogue(KOREAN_PO, "ko") if m.id and plain.search(strings(m)[0])] == []


def test_our_korean_wins_over_django_and_reads_through_gettext():
    from django import forms

    # Passed as values, not literals, so makemessages does not list this file as a source.
    add, products = "Add to cart", ("%(counter)s product", "%(counter)s products")
    stage = ("trace stage", "Harvest")
    with translation.override("ko"):
        assert str(forms.IntegerField().error_messages["invalid"]) == "정수를 입력해 주세요."
        assert translation.gettext(add) == "장바구니에 담기"
        assert translation.ngettext(*products, 1) == "상품 %(counter)s개"
        assert translation.ngettext(*products, 3) == "상품 %(counter)s개"
        assert translation.pgettext(*stage) == "수확"


def test_our_korean_country_names_win_over_the_wrong_ones_of_django_countries():
    from django_countries import countries

    with translation.override("ko"):
        names = {code: str(name) for code, name in countries}
    # django-countries writes the Seychelles as Sicily (시칠리) and the Caymans as "케이맨 섬1"
    assert (names["SC"], names["KY"], names["TR"]) == ("세이셸", "케이맨 제도", "튀르키예")
    assert (names["RO"], names["MN"], names["BI"]) == ("루마니아", "몽골", "부룬디")
    assert (names["VN"], names["KR"], names["JE"]) == ("베트남", "대한민국", "저지")


def test_the_catalogue_paths_are_where_django_reads_them():
    assert Path(settings.LOCALE_PATHS[0]) / "ko" / "LC_MESSAGES" / "django.po" == KOREAN_PO
