"""The storefront, trace pages and emails in German: German page words from shop/locale/de,
English product text (the catalogue is written in English and Vietnamese only), euros for
visitors from the euro area, and a German catalogue that keeps up with the Vietnamese one."""

import datetime
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from shop import languages, notifications
from shop.models import ProductGroup
from tests.factories import (
    BatchFactory,
    CooperativeFactory,
    OrderFactory,
    OrderLineBatchFactory,
    OrderLineFactory,
    ProductFactory,
    VariantFactory,
    VillageFactory,
)
from traceability.links import digital_link_path


@pytest.fixture
def lotus_tea(db, today):
    """Lotus tea, English and Vietnamese names, one 100 g box with a batch of 2 on sale."""
    product = ProductFactory(
        cooperative=CooperativeFactory(name="HTX Tây Hồ", slug="htx-tay-ho"),
        slug="tra-sen",
        group=ProductGroup.BEVERAGES,
        name_en="West Lake lotus tea",
        name_vi="Trà sen Tây Hồ",
        ocop_certified_on=datetime.date(2025, 1, 10),
        ocop_valid_until=datetime.date(2099, 1, 9),
    )
    variant = VariantFactory(
        product=product,
        name_en="100 g box",
        name_vi="Hộp 100 g",
        price_usd=Decimal("9.50"),
        price_eur=Decimal("8.70"),
        price_vnd=Decimal("180000"),
    )
    BatchFactory(variant=variant, quantity_received=2)
    return product


# The visitor's language and currency


@pytest.mark.parametrize(
    ("accept_language", "cookie_language", "currency"),
    [
        ("de-DE,de;q=0.9,en;q=0.5", None, "EUR"),
        ("de", None, "EUR"),
        ("de-AT", None, "EUR"),
        ("de-CH,de;q=0.9", None, "USD"),
        ("fr-BE,fr;q=0.9", None, "EUR"),
        ("en-IE,en;q=0.9", None, "EUR"),
        ("nl", None, "EUR"),
        ("en-US,en;q=0.9", None, "USD"),
        ("en", None, "USD"),
        ("es", None, "USD"),
        ("vi-VN,vi;q=0.9", None, "USD"),
        ("", None, "USD"),
        ("*", None, "USD"),
        ("", "de", "EUR"),
        ("en-US", "de", "USD"),
        ("zh-Hant-TW", None, "USD"),
        ("es-419", None, "USD"),
        ("en;q=0.5, de-AT;q=0.9", None, "EUR"),
        ("de_DE", None, "USD"),
    ],
)
def test_the_first_currency_follows_the_region_then_the_language(
    accept_language, cookie_language, currency
):
    assert (
        languages.default_currency(accept_language=accept_language, language=cookie_language)
        == currency
    )


def test_product_text_is_read_in_english_by_every_reader_but_the_vietnamese():
    assert [languages.content_language(code) for code in ("en", "vi", "de", "de-at", None)] == [
        "en",
        "vi",
        "en",
        "en",
        "en",
    ]


def test_modeltranslation_keeps_english_and_vietnamese_columns_and_reads_english_for_german():
    from modeltranslation import settings as modeltranslation_settings
    from modeltranslation.utils import get_language as content_language

    assert modeltranslation_settings.AVAILABLE_LANGUAGES == ["en", "vi"]
    with translation.override("de"):
        assert content_language() == "en"


@pytest.mark.django_db
def test_a_german_browser_gets_german_pages_english_product_names_and_euros(client, lotus_tea):
    # given a visitor whose browser asks for German and has no cookies
    # when they open the catalogue and the product page
    listing = client.get(reverse("shop:catalogue"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    page = client.get(lotus_tea.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    # then the pages speak German, price in euros and name the product in English
    listing_html, page_html = listing.content.decode(), page.content.decode()
    assert listing["Content-Language"] == "de"
    assert '<html lang="de">' in listing_html
    assert "Filtern und sortieren" in listing_html
    assert "West Lake lotus tea" in listing_html
    assert "Trà sen Tây Hồ" not in listing_html
    assert "ab 8,70\xa0€" in listing_html
    assert "<h1>West Lake lotus tea</h1>" in page_html
    assert '<p class="price">8,70\xa0€</p>' in page_html
    assert "Sie erhalten diese Charge" in page_html
    assert "Nur noch 2 in dieser Charge" in page_html
    assert "gültig bis 09.01.2099" in page_html
    assert "Getränke" in page_html
    assert ">Deutsch</a>" in page_html
    assert 'lang="de" aria-current="true">Deutsch</a>' in page_html


@pytest.mark.django_db
def test_the_switchers_take_a_german_visitor_back_to_english_and_dollars(client, lotus_tea):
    german = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}
    # when the German visitor picks English, then US dollars
    client.get(reverse("shop:preferences"), {"language": "en", "next": "/"}, **german)
    english_eur = client.get(lotus_tea.get_absolute_url(), **german).content.decode()
    client.get(reverse("shop:preferences"), {"currency": "USD", "next": "/"}, **german)
    english_usd = client.get(lotus_tea.get_absolute_url(), **german).content.decode()
    # then the page is English: still in euros (a browser in Germany) until dollars are chosen
    assert '<html lang="en">' in english_eur
    assert '<p class="price">€8.70</p>' in english_eur
    assert '<html lang="en">' in english_usd
    assert '<p class="price">$9.50</p>' in english_usd
    assert "You will receive this batch" in english_usd


@pytest.mark.django_db
def test_a_currency_cookie_wins_over_the_german_locale(client, lotus_tea):
    client.cookies[settings.CURRENCY_COOKIE_NAME] = "VND"
    html = client.get(lotus_tea.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de-DE").content.decode()
    assert '<html lang="de">' in html
    assert '<p class="price">180.000\xa0₫</p>' in html


@pytest.mark.django_db
def test_the_page_cache_keeps_german_euro_and_english_dollar_pages_apart(settings, lotus_tea):
    settings.PAGE_CACHE_SECONDS = 30
    cache.clear()
    url = lotus_tea.get_absolute_url()
    german, american = Client(), Client()
    # given both rendered the page once, when each asks again
    for visitor, accept in ((german, "de-DE"), (american, "en-US"), (german, "de-DE")):
        visitor.get(url, HTTP_ACCEPT_LANGUAGE=accept)
    american_html = american.get(url, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    german_html = german.get(url, HTTP_ACCEPT_LANGUAGE="de-DE").content.decode()
    # then each gets their own language and currency from the cache
    assert '<p class="price">8,70\xa0€</p>' in german_html
    assert "Sie erhalten diese Charge" in german_html
    assert '<p class="price">$9.50</p>' in american_html
    assert "You will receive this batch" in american_html
    cache.clear()


@pytest.mark.django_db
def test_the_workspace_and_labels_stay_in_vietnamese_or_english():
    from django.test import RequestFactory

    from shop.workspace.access import workspace_language
    from shop.workspace.forms import LabelForm

    request = RequestFactory().get("/workspace/")
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert workspace_language(request) == "vi"
    form = LabelForm(batches=[], initial_counts={})
    assert [code for code, _name in form.fields["language"].choices] == ["en", "vi"]


# Trace pages and emails


@pytest.mark.django_db
def test_the_trace_page_in_german_names_the_product_in_english(client, lotus_tea):
    batch = lotus_tea.variants.get().batches.get()
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert '<html lang="de">' in html
    assert "Der Weg, Schritt für Schritt" in html
    assert "Für diese Charge wurden noch keine Schritte erfasst." in html
    assert "Informationen zur Rückverfolgbarkeit" in html
    assert "West Lake lotus tea" in html
    assert "Trà sen Tây Hồ" not in html
    assert 'lang="de" aria-current="true">Deutsch</a>' in html


@pytest.mark.django_db
def test_an_order_placed_in_german_is_confirmed_in_german():
    # given an order placed in German, paid in euros
    order = OrderFactory(
        language="de",
        currency="EUR",
        buyer_name="Jana Schmidt",
        subtotal=Decimal("23.00"),
        shipping_total=Decimal("9.00"),
        total=Decimal("32.00"),
    )
    line = OrderLineFactory(
        order=order,
        # Lines are shown with the catalogue's current names (the snapshot is for history).
        variant=VariantFactory(name_en="250 g jar", product__name_en="Longan honey"),
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
    # then it is German, with German money and dates, and the product's English name
    [message] = mail.outbox
    text = message.body
    html = message.alternatives[0][0]
    assert message.subject == f"Bestellung {order.number} bestätigt. Vielen Dank!"
    assert "Guten Tag Jana Schmidt," in text
    assert "- Longan honey · 250 g jar: 2 × 11,50\xa0€ = 23,00\xa0€" in text
    assert "Charge HN2503 · geerntet am 5. März 2025 · aus Làng Nón Chuông" in text
    assert "Gesamtsumme: 32,00\xa0€" in text.splitlines()
    assert '<html lang="de">' in html


# The German catalogue


def test_our_german_wins_over_django_and_reads_through_gettext():
    from django import forms

    # Passed as values, not literals, so makemessages does not list this file as a source.
    add, products = "Add to cart", ("%(counter)s product", "%(counter)s products")
    stage = ("trace stage", "Harvest")
    with translation.override("de"):
        assert (
            str(forms.IntegerField().error_messages["invalid"]) == "Geben Sie eine ganze Zahl ein."
        )
        assert translation.gettext(add) == "In den Warenkorb"
        assert translation.ngettext(*products, 3) == "%(counter)s Produkte"
        assert translation.pgettext(*stage) == "Ernte"


@pytest.mark.django_db
def test_the_api_answers_a_german_reader_with_english_product_names_and_german_money(
    client, lotus_tea
):
    query = (
        "{ products(first: 5) { edges { node { name(language: DE) "
        "variants { name(language: DE) } priceFrom { formatted(language: DE) currency } } } } }"
    )
    response = client.post(
        "/graphql/",
        json.dumps({"query": query}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="de-DE",
    )
    [edge] = response.json()["data"]["products"]["edges"]
    assert edge["node"] == {
        "name": "West Lake lotus tea",
        "variants": [{"name": "100 g box"}],
        "priceFrom": {"formatted": "8,70\xa0€", "currency": "EUR"},
    }


def test_the_500_page_in_german_adds_the_english_line():
    from django.test import RequestFactory

    from shop.views import errors

    with translation.override("de"):
        html = errors.server_error(RequestFactory().get("/products/")).content.decode()
    assert '<html lang="de">' in html
    assert "Etwas ist schiefgelaufen" in html
    assert '<p lang="en" class="other-language">Something went wrong' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "catalogue", "cart", "checkout", "login", "signup", "password_reset"]
)
def test_every_public_page_answers_in_german(client, lotus_tea, name):
    response = client.get(reverse(f"shop:{name}"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        html = response.content.decode()
        assert '<html lang="de">' in html
        assert ">Warenkorb</a>" in html
