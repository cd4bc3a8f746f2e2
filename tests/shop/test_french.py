"""The storefront, trace pages and emails in French: French page words from shop/locale/fr
(polite shop French, vouvoiement, French spacing before : ; ? !), English product text (the
catalogue is written in English and Vietnamese only), euros for French browsers, dates and
money written the French way by babel, and a French catalogue that keeps up with the
Vietnamese one."""

import datetime
import json
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
    VariantFactory,
    VillageFactory,
)
from tests.shop import test_german
from tests.shop.test_catalogues import LOCALE, catalogue, strings
from traceability.links import digital_link_path

FRENCH_PO = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}
NBSP, NNBSP = "\u00a0", "\u202f"

# West Lake lotus tea, English and Vietnamese names, one 100 g box with a batch of 2 on sale.
lotus_tea = test_german.lotus_tea


def french_page(client, path, **headers):
    response = client.get(path, **(headers or FRENCH))
    assert response.status_code == 200
    return response, response.content.decode()


# The reader's language and currency


def test_french_browsers_read_french_with_english_product_text():
    assert [languages.shop_language(code) for code in ("fr", "fr-FR", "fr_BE", "fr-ca")] == [
        "fr"
    ] * 4
    assert languages.content_language("fr") == "en"
    assert languages.babel_locale("fr-BE") == "fr_FR"


@pytest.mark.parametrize(
    ("accept_language", "currency"),
    [
        ("fr-FR,fr;q=0.9", "EUR"),
        ("fr", "EUR"),
        ("fr-BE", "EUR"),
        ("fr-LU", "EUR"),
        ("fr-CA,fr;q=0.9", "USD"),
        ("fr-CH", "USD"),
        # a French page chosen by its cookie, with no Accept-Language to go by
        ("", "EUR"),
        ("*", "EUR"),
    ],
)
def test_french_browsers_in_the_euro_area_see_euros_first(accept_language, currency):
    assert languages.default_currency(accept_language=accept_language, language="fr") == currency


def test_modeltranslation_reads_english_product_text_for_french():
    from modeltranslation.utils import get_language as content_language

    with translation.override("fr"):
        assert content_language() == "en"


# Storefront pages


@pytest.mark.django_db
def test_a_french_browser_gets_french_pages_english_product_names_and_euros(client, lotus_tea):
    # given a visitor whose browser asks for French (France) and has no cookies
    # when they open the catalogue and the product page
    listing, listing_html = french_page(client, reverse("shop:catalogue"))
    _page, page_html = french_page(client, lotus_tea.get_absolute_url())
    # then the pages speak French, price in euros and name the product in English
    assert listing["Content-Language"] == "fr"
    assert '<html lang="fr">' in listing_html
    assert "Filtrer et trier" in listing_html
    assert "1 produit" in listing_html
    assert "West Lake lotus tea" in listing_html
    assert "Trà sen Tây Hồ" not in listing_html
    assert f"à partir de 8,70{NBSP}€" in listing_html
    assert "<h1>West Lake lotus tea</h1>" in page_html
    assert f'<p class="price">8,70{NBSP}€</p>' in page_html
    assert "Vous recevrez ce lot" in page_html
    assert "Plus que 2 dans ce lot" in page_html
    assert "Ajouter au panier" in page_html
    # babel's French medium date
    assert "valable jusqu’au 9 janv. 2099" in page_html
    assert "Boissons" in page_html
    assert 'lang="fr" aria-current="true">Français</a>' in page_html
    assert ">Panier</a>" in page_html


@pytest.mark.django_db
def test_the_cart_and_checkout_speak_french(client, lotus_tea):
    variant = lotus_tea.variants.get()
    # given a French shopper who put the box in the cart
    added = client.post(reverse("shop:cart_add"), {"variant": variant.pk, "quantity": 1}, **FRENCH)
    assert added.status_code == 302
    # when they open the cart and the checkout
    _cart, cart_html = french_page(client, reverse("shop:cart"))
    _checkout, checkout_html = french_page(client, reverse("shop:checkout"))
    # then both are in French, the product still in English, the money in euros
    assert '<html lang="fr">' in cart_html
    assert "Votre panier" in cart_html
    assert "Ajouté à votre panier." in cart_html
    assert "West Lake lotus tea" in cart_html
    assert f"8,70{NBSP}€" in cart_html
    assert "Passer la commande" in cart_html
    assert '<html lang="fr">' in checkout_html
    assert "Adresse de livraison" in checkout_html
    assert "Code postal" in checkout_html
    assert "Options cadeau" in checkout_html


@pytest.mark.django_db
def test_a_french_speaker_in_canada_reads_french_and_pays_in_dollars(client, lotus_tea):
    canadian = {"HTTP_ACCEPT_LANGUAGE": "fr-CA,fr;q=0.9"}
    _page, html = french_page(client, lotus_tea.get_absolute_url(), **canadian)
    assert '<html lang="fr">' in html
    assert "Vous recevrez ce lot" in html
    assert f'<p class="price">9,50{NBSP}$US</p>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "catalogue", "cart", "checkout", "login", "signup", "password_reset"]
)
def test_every_public_page_answers_in_french(client, lotus_tea, name):
    response = client.get(reverse(f"shop:{name}"), **FRENCH)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        html = response.content.decode()
        assert '<html lang="fr">' in html
        assert ">Panier</a>" in html


@pytest.mark.django_db
def test_the_language_switcher_takes_a_french_visitor_to_english(client, lotus_tea):
    client.get(reverse("shop:preferences"), {"language": "en", "next": "/"}, **FRENCH)
    _page, html = french_page(client, lotus_tea.get_absolute_url())
    assert '<html lang="en">' in html
    assert "You will receive this batch" in html
    # still euros: the browser is in France until another currency is chosen
    assert '<p class="price">€8.70</p>' in html


@pytest.mark.django_db
def test_the_trace_page_in_french_names_the_product_in_english(client, lotus_tea):
    batch = lotus_tea.variants.get().batches.get()
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    response, html = french_page(client, path)
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in html
    assert "Le parcours, étape par étape" in html
    assert "Aucune étape n’a encore été enregistrée pour ce lot." in html
    assert "Informations de traçabilité" in html
    assert "West Lake lotus tea" in html
    assert "Trà sen Tây Hồ" not in html
    assert 'lang="fr" aria-current="true">Français</a>' in html


@pytest.mark.django_db
def test_the_api_answers_a_french_reader_with_english_product_names_and_french_money(
    client, lotus_tea
):
    query = (
        "{ products(first: 5) { edges { node { name(language: FR) "
        "variants { name(language: FR) } priceFrom { formatted(language: FR) currency } } } } }"
    )
    response = client.post(
        "/graphql/", json.dumps({"query": query}), content_type="application/json", **FRENCH
    )
    [edge] = response.json()["data"]["products"]["edges"]
    assert edge["node"] == {
        "name": "West Lake lotus tea",
        "variants": [{"name": "100 g box"}],
        "priceFrom": {"formatted": f"8,70{NBSP}€", "currency": "EUR"},
    }


def test_the_500_page_in_french_adds_the_english_line():
    from django.test import RequestFactory

    from shop.views import errors

    with translation.override("fr"):
        html = errors.server_error(RequestFactory().get("/products/")).content.decode()
    assert '<html lang="fr">' in html
    assert "Une erreur s’est produite" in html
    assert '<p lang="en" class="other-language">Something went wrong' in html


# Emails


@pytest.mark.django_db
def test_an_order_placed_in_french_is_confirmed_in_french():
    # given an order placed in French, paid in euros
    order = OrderFactory(
        language="fr",
        currency="EUR",
        buyer_name="Camille Martin",
        subtotal=Decimal("23.00"),
        shipping_total=Decimal("9.00"),
        total=Decimal("32.00"),
    )
    # lines are named at read time from their variant, in the reader's product language
    variant = VariantFactory(name_en="250 g jar", product__name_en="Longan honey")
    line = OrderLineFactory(
        order=order,
        variant=variant,
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
    # then it is French, with French money and dates, and the product's English name
    [message] = mail.outbox
    text = message.body
    html = message.alternatives[0][0]
    assert message.subject == f"Commande {order.number} confirmée. Merci{NNBSP}!"
    assert "Bonjour Camille Martin," in text
    assert f"- Longan honey · 250 g jar: 2 × 11,50{NBSP}€ = 23,00{NBSP}€" in text
    assert f"Lot HN2503 · récolté le 5 mars 2025 · provenance{NBSP}: Làng Nón Chuông" in text
    assert f"Total: 32,00{NBSP}€" in text.splitlines()
    assert '<html lang="fr">' in html


# The French catalogue


def test_french_translations_use_french_spacing_and_apostrophes():
    # A no-break space before ":" and a narrow one before ";", "?" and "!" (none breaks a line
    # before its mark), inside guillemets too; the typographic apostrophe throughout.
    bad_spacing = re.compile(r"\w[:;?!](\s|$)|[ ][:;?!]|«[^\u00a0]|[^\u00a0]»")
    wrong = [
        french
        for message in catalogue(FRENCH_PO, "fr")
        if message.id
        for french in strings(message)
        if bad_spacing.search(re.sub(r"<[^>]+>|%\([a-z_]+\)[sd]|https?://\S+", "", french))
        or "'" in re.sub(r"<[^>]+>", "", french)
    ]
    # the only mark glued to its word: a placeholder the template follows with its own value
    assert wrong == []


def test_french_addresses_the_reader_as_vous():
    tutoiement = re.compile(r"\b(tu|te|toi|ton|ta|tes)\b|\b\w+-toi\b", re.IGNORECASE)
    assert [
        french
        for message in catalogue(FRENCH_PO, "fr")
        if message.id
        for french in strings(message)
        if tutoiement.search(french)
    ] == []


def test_our_french_wins_over_django_and_reads_through_gettext():
    from django import forms

    # Passed as values, not literals, so makemessages does not list this file as a source.
    add, products = "Add to cart", ("%(counter)s product", "%(counter)s products")
    stage = ("trace stage", "Harvest")
    with translation.override("fr"):
        assert str(forms.IntegerField().error_messages["invalid"]) == "Saisissez un nombre entier."
        assert translation.gettext(add) == "Ajouter au panier"
        # French counts 0 and 1 as singular
        assert translation.ngettext(*products, 0) == "%(counter)s produit"
        assert translation.ngettext(*products, 1) == "%(counter)s produit"
        assert translation.ngettext(*products, 2) == "%(counter)s produits"
        assert translation.pgettext(*stage) == "Récolte"


def test_the_catalogue_paths_are_where_django_reads_them():
    assert Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po" == FRENCH_PO
