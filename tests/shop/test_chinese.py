"""The storefront, trace pages and emails in simplified Chinese: Chinese page words from
shop/locale/zh_Hans (polite shop Chinese), English product text (the catalogue is written in
English and Vietnamese only), dates written the Chinese way by babel, and a Chinese catalogue
that keeps up with the Vietnamese one. Django's code is "zh-hans", its directory "zh_Hans"."""

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
    VillageFactory,
)
from tests.shop import test_german
from tests.shop.test_catalogues import LOCALE, PLACEHOLDER, catalogue, strings
from traceability.links import digital_link_path

CHINESE_PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.5"}
# Prices in dollars whatever currency a Chinese browser gets first: these tests are about words.
DOLLARS = {settings.CURRENCY_COOKIE_NAME: "USD"}

# West Lake lotus tea, English and Vietnamese names, one 100 g box with a batch of 2 on sale.
lotus_tea = test_german.lotus_tea


def chinese_page(client, path, **headers):
    client.cookies.load(DOLLARS)
    response = client.get(path, **(headers or CHINESE))
    assert response.status_code == 200
    return response, response.content.decode()


# The reader's language


@pytest.mark.parametrize(
    "code", ["zh", "zh-CN", "zh_CN", "zh-cn", "zh-Hans", "zh-hans-cn", "zh-SG", "zh-hans"]
)
def test_simplified_chinese_codes_read_simplified_chinese(code):
    assert languages.shop_language(code) == "zh-hans"
    assert languages.babel_locale(code) == "zh_Hans_CN"
    assert languages.content_language(code) == "en"


@pytest.mark.parametrize("code", ["zh-TW", "zh-Hant", "zh-HK", "zh-hant-tw"])
def test_traditional_chinese_codes_read_english(code):
    assert languages.shop_language(code) == "en"


def test_modeltranslation_reads_english_product_text_for_chinese():
    from modeltranslation.utils import get_language as content_language

    with translation.override("zh-hans"):
        assert content_language() == "en"


# Storefront pages


@pytest.mark.django_db
def test_a_chinese_browser_gets_chinese_pages_and_english_product_names(client, lotus_tea):
    # given a visitor whose browser asks for Chinese (China)
    # when they open the catalogue and the product page
    listing, listing_html = chinese_page(client, reverse("shop:catalogue"))
    _page, page_html = chinese_page(client, lotus_tea.get_absolute_url())
    # then the pages speak Chinese and name the product in English
    assert listing["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in listing_html
    assert "筛选和排序" in listing_html
    assert "1 件商品" in listing_html
    assert "West Lake lotus tea" in listing_html
    assert "Trà sen Tây Hồ" not in listing_html
    assert "<h1>West Lake lotus tea</h1>" in page_html
    assert "您将收到此批次" in page_html
    assert "此批次仅剩 2 件" in page_html
    assert "加入购物车" in page_html
    # babel's Chinese medium date: year, month and day
    assert "2099年1月9日" in page_html
    assert "饮品" in page_html
    assert 'lang="zh-hans" aria-current="true">简体中文</a>' in page_html
    assert ">购物车</a>" in page_html


@pytest.mark.django_db
def test_the_language_switcher_and_the_lang_parameter_give_chinese(client, lotus_tea):
    # given an English browser, when it picks Chinese in the switcher
    english = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    client.get(reverse("shop:preferences"), {"language": "zh-hans", "next": "/"}, **english)
    _response, html = chinese_page(client, lotus_tea.get_absolute_url(), **english)
    # then the page is Chinese until English is picked again
    assert '<html lang="zh-hans">' in html
    assert "加入购物车" in html
    client.get(reverse("shop:preferences"), {"language": "en", "next": "/"}, **english)
    _response, html = chinese_page(client, lotus_tea.get_absolute_url(), **english)
    assert '<html lang="en">' in html
    assert "Add to cart" in html


@pytest.mark.django_db
def test_the_cart_and_checkout_speak_chinese(client, lotus_tea):
    variant = lotus_tea.variants.get()
    client.cookies.load(DOLLARS)
    # given a Chinese shopper who put the box in the cart
    added = client.post(reverse("shop:cart_add"), {"variant": variant.pk, "quantity": 1}, **CHINESE)
    assert added.status_code == 302
    # when they open the cart and the checkout
    _cart, cart_html = chinese_page(client, reverse("shop:cart"))
    _checkout, checkout_html = chinese_page(client, reverse("shop:checkout"))
    # then both are in Chinese, the product still in English
    assert '<html lang="zh-hans">' in cart_html
    assert "您的购物车" in cart_html
    assert "已加入购物车。" in cart_html
    assert "West Lake lotus tea" in cart_html
    assert "去结算" in cart_html
    assert '<html lang="zh-hans">' in checkout_html
    assert "收货地址" in checkout_html
    assert "邮政编码" in checkout_html
    assert "礼品选项" in checkout_html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "catalogue", "cart", "checkout", "login", "signup", "password_reset"]
)
def test_every_public_page_answers_in_chinese(client, lotus_tea, name):
    response = client.get(reverse(f"shop:{name}"), **CHINESE)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html
        assert ">购物车</a>" in html


@pytest.mark.django_db
def test_the_trace_page_in_chinese_names_the_product_in_english(client, lotus_tea):
    batch = lotus_tea.variants.get().batches.get()
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    response, html = chinese_page(client, path)
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in html
    assert "旅程，一步一步" in html
    assert "此批次尚未记录任何阶段。" in html
    assert "溯源信息" in html
    assert "West Lake lotus tea" in html
    assert "Trà sen Tây Hồ" not in html
    assert 'lang="zh-hans" aria-current="true">简体中文</a>' in html


def test_the_500_page_in_chinese_adds_the_english_line():
    from django.test import RequestFactory

    from shop.views import errors

    with translation.override("zh-hans"):
        html = errors.server_error(RequestFactory().get("/products/")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "出错了" in html
    assert '<p lang="en" class="other-language">Something went wrong' in html


# Emails


@pytest.mark.django_db
def test_an_order_placed_in_chinese_is_confirmed_in_chinese():
    # given an order placed in Chinese
    order = OrderFactory(
        language="zh-hans",
        currency="USD",
        buyer_name="王小明",
        subtotal=Decimal("23.00"),
        shipping_total=Decimal("9.00"),
        total=Decimal("32.00"),
    )
    line = OrderLineFactory(
        order=order,
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
    # then it is Chinese, with Chinese dates and money
    [message] = mail.outbox
    text = message.body
    html = message.alternatives[0][0]
    assert message.subject == f"订单 {order.number} 已确认。谢谢您！"
    assert "王小明，您好：" in text
    # babel writes dollars the Chinese way: US$
    assert ": 2 × US$11.50 = US$23.00" in text
    assert "批次 HN2503 · 采收于 2025年3月5日 · 来自 Làng Nón Chuông" in text
    assert '<html lang="zh-hans">' in html


# The Chinese catalogue


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_chinese_translations_are_chinese():
    # An entry left in English reads no hanzi. Some stay as they are: the brand's GS1 and
    # customs codes, other languages' own names, and words made only of placeholders.
    kept = {"GLN", "GTIN", "SKU", "CSV", "GS1 Digital Link", "English", "Tiếng Việt"}
    kept |= {"Deutsch", "Français", "한국어"}
    latin = [
        m.id
        for m in catalogue(CHINESE_PO, "zh_Hans")
        if m.id
        and not is_chinese("".join(strings(m)))
        and strings(m)[0] not in kept
        and re.sub(r"[A-Z0-9/]+|[\W_]", "", PLACEHOLDER.sub("", strings(m)[0]))
    ]
    assert latin == []


def test_chinese_translations_use_no_traditional_only_characters():
    # Characters that simplified Chinese writes differently (說/说, 這/这, 們/们 ...).
    traditional = set("說這們個來時會對進與後還過點開關發們單號貨訂價購買寫請讀")
    found = [
        m.id
        for m in catalogue(CHINESE_PO, "zh_Hans")
        if m.id and traditional & set("".join(strings(m)))
    ]
    assert found == []


def test_our_chinese_wins_over_django_and_reads_through_gettext():
    from django import forms

    # Passed as values, not literals, so makemessages does not list this file as a source.
    add, products = "Add to cart", ("%(counter)s product", "%(counter)s products")
    stage = ("trace stage", "Harvest")
    with translation.override("zh-hans"):
        assert str(forms.IntegerField().error_messages["invalid"]) == "请输入整数。"
        assert translation.gettext(add) == "加入购物车"
        assert translation.ngettext(*products, 1) == "%(counter)s 件商品"
        assert translation.ngettext(*products, 3) == "%(counter)s 件商品"
        assert translation.pgettext(*stage) == "采收"


def test_the_catalogue_paths_are_where_django_reads_them():
    assert Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po" == CHINESE_PO


def test_our_chinese_country_names_win_over_the_misspelt_ones_of_django_countries():
    from django_countries import countries

    with translation.override("zh-hans"):
        names = {code: str(name) for code, name in countries}
    assert [names[code] for code in ("NP", "TJ", "BA", "BW", "GF", "MK", "KM")] == [
        "尼泊尔",
        "塔吉克斯坦",
        "波斯尼亚和黑塞哥维那",
        "博茨瓦纳",
        "法属圭亚那",
        "北马其顿",
        "科摩罗",
    ]
    assert (names["WS"], names["AS"]) == ("萨摩亚", "美属萨摩亚群岛")
    assert names["VN"] == "越南"
