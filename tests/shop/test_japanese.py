"""The storefront, trace pages and emails in Japanese: Japanese page words from shop/locale/ja
(polite shop Japanese), English product text (the catalogue is written in English and
Vietnamese only), dates written the Japanese way by babel, and a Japanese catalogue that keeps
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

JAPANESE_PO = LOCALE / "ja" / "LC_MESSAGES" / "django.po"
JAPANESE = {"HTTP_ACCEPT_LANGUAGE": "ja-JP,ja;q=0.9,en;q=0.5"}
# Prices in dollars whatever currency a Japanese browser gets first: these tests are about words.
DOLLARS = {settings.CURRENCY_COOKIE_NAME: "USD"}

# West Lake lotus tea, English and Vietnamese names, one 100 g box with a batch of 2 on sale.
lotus_tea = test_german.lotus_tea


def japanese_page(client, path):
    client.cookies.load(DOLLARS)
    response = client.get(path, **JAPANESE)
    assert response.status_code == 200
    return response, response.content.decode()


# The reader's language


def test_japanese_browsers_read_japanese_with_english_product_text_and_japanese_dates():
    assert [languages.shop_language(code) for code in ("ja", "ja-JP", "ja_JP")] == ["ja"] * 3
    assert languages.content_language("ja") == "en"
    assert languages.babel_locale("ja-JP") == "ja_JP"


def test_modeltranslation_reads_english_product_text_for_japanese():
    from modeltranslation.utils import get_language as content_language

    with translation.override("ja"):
        assert content_language() == "en"


# Storefront pages


@pytest.mark.django_db
def test_a_japanese_browser_gets_japanese_pages_and_english_product_names(client, lotus_tea):
    # given a visitor whose browser asks for Japanese
    # when they open the catalogue and the product page
    listing, listing_html = japanese_page(client, reverse("shop:catalogue"))
    _page, page_html = japanese_page(client, lotus_tea.get_absolute_url())
    # then the pages speak Japanese and name the product in English
    assert listing["Content-Language"] == "ja"
    assert '<html lang="ja">' in listing_html
    assert "絞り込み・並べ替え" in listing_html
    assert "1件の商品" in listing_html
    assert "West Lake lotus tea" in listing_html
    assert "Trà sen Tây Hồ" not in listing_html
    assert "<h1>West Lake lotus tea</h1>" in page_html
    assert "お届けするロット" in page_html
    assert "このロットの残りはあと2点です" in page_html
    assert "カートに入れる" in page_html
    # babel's Japanese medium date, year first
    assert "（2099/01/09まで有効）" in page_html
    assert "飲料" in page_html
    assert 'lang="ja" aria-current="true">日本語</a>' in page_html
    assert ">カート</a>" in page_html


@pytest.mark.django_db
def test_the_cart_and_checkout_speak_japanese(client, lotus_tea):
    variant = lotus_tea.variants.get()
    client.cookies.load(DOLLARS)
    # given a Japanese shopper who put the box in the cart
    added = client.post(
        reverse("shop:cart_add"), {"variant": variant.pk, "quantity": 1}, **JAPANESE
    )
    assert added.status_code == 302
    # when they open the cart and the checkout
    _cart, cart_html = japanese_page(client, reverse("shop:cart"))
    _checkout, checkout_html = japanese_page(client, reverse("shop:checkout"))
    # then both are in Japanese, the product still in English
    assert '<html lang="ja">' in cart_html
    assert "ショッピングカート" in cart_html
    assert "カートに追加しました。" in cart_html
    assert "West Lake lotus tea" in cart_html
    assert "ご購入手続きへ" in cart_html
    assert '<html lang="ja">' in checkout_html
    assert "お届け先住所" in checkout_html
    assert "郵便番号" in checkout_html
    assert "ギフトオプション" in checkout_html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "catalogue", "cart", "checkout", "login", "signup", "password_reset"]
)
def test_every_public_page_answers_in_japanese(client, lotus_tea, name):
    response = client.get(reverse(f"shop:{name}"), **JAPANESE)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        html = response.content.decode()
        assert '<html lang="ja">' in html
        assert ">カート</a>" in html


@pytest.mark.django_db
def test_the_trace_page_in_japanese_names_the_product_in_english(client, lotus_tea):
    batch = lotus_tea.variants.get().batches.get()
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    response, html = japanese_page(client, path)
    assert response["Content-Language"] == "ja"
    assert '<html lang="ja">' in html
    assert "工程ごとの歩み" in html
    assert "このロットの工程はまだ記録されていません。" in html
    assert "トレーサビリティ情報" in html
    assert "West Lake lotus tea" in html
    assert "Trà sen Tây Hồ" not in html
    assert 'lang="ja" aria-current="true">日本語</a>' in html


def test_the_500_page_in_japanese_adds_the_english_line():
    from django.test import RequestFactory

    from shop.views import errors

    with translation.override("ja"):
        html = errors.server_error(RequestFactory().get("/products/")).content.decode()
    assert '<html lang="ja">' in html
    assert "エラーが発生しました" in html
    assert '<p lang="en" class="other-language">Something went wrong' in html


# Emails


@pytest.mark.django_db
def test_an_order_placed_in_japanese_is_confirmed_in_japanese():
    # given an order placed in Japanese
    order = OrderFactory(
        language="ja",
        currency="USD",
        buyer_name="山田 花子",
        subtotal=Decimal("23.00"),
        shipping_total=Decimal("9.00"),
        total=Decimal("32.00"),
    )
    # Named on the product itself too, for shops that read line names in the reader's language.
    jar = VariantFactory(
        product=ProductFactory(name_en="Longan honey", name_vi="Mật ong nhãn"),
        name_en="250 g jar",
        name_vi="Hũ 250 g",
    )
    line = OrderLineFactory(
        order=order,
        variant=jar,
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
    # then it is Japanese, with Japanese dates, and the product's English name
    [message] = mail.outbox
    text = message.body
    html = message.alternatives[0][0]
    assert message.subject == f"ご注文 {order.number} を承りました。ありがとうございます！"
    assert "山田 花子 様" in text
    assert "- Longan honey · 250 g jar: 2 × $11.50 = $23.00" in text
    assert "ロット HN2503 · 2025年3月5日収穫 · Làng Nón Chuông, Thành phố Hà Nội 産" in text
    assert "小計: $23.00" in text.splitlines()
    assert "合計: $32.00" in text.splitlines()
    assert '<html lang="ja">' in html


# The Japanese catalogue


def is_japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)


def test_japanese_translations_are_japanese():
    # An entry left in English reads no kana or kanji. Some stay as they are: the brand, GS1
    # and customs codes, and words made only of placeholders and punctuation.
    kept = {"OCOP Village Shop", "GLN", "GTIN", "GST", "SKU", "CSV", "GS1 Digital Link"}
    latin = [
        m.id
        for m in catalogue(JAPANESE_PO, "ja")
        if m.id
        and not is_japanese("".join(strings(m)))
        and strings(m)[0] not in kept
        and re.sub(r"[A-Z0-9/]+|[\W_]", "", PLACEHOLDER.sub("", strings(m)[0]))
    ]
    assert latin == []


def test_our_japanese_wins_over_django_and_reads_through_gettext():
    from django import forms

    # Passed as values, not literals, so makemessages does not list this file as a source.
    add, products = "Add to cart", ("%(counter)s product", "%(counter)s products")
    stage = ("trace stage", "Harvest")
    with translation.override("ja"):
        assert str(forms.IntegerField().error_messages["invalid"]) == "整数を入力してください。"
        assert translation.gettext(add) == "カートに入れる"
        assert translation.ngettext(*products, 1) == "%(counter)s件の商品"
        assert translation.ngettext(*products, 3) == "%(counter)s件の商品"
        assert translation.pgettext(*stage) == "収穫"


def test_the_catalogue_paths_are_where_django_reads_them():
    assert Path(settings.LOCALE_PATHS[0]) / "ja" / "LC_MESSAGES" / "django.po" == JAPANESE_PO
