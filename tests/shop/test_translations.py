"""The storefront in Vietnamese: pages switch language, and the compiled catalogue matches
the .po file that people edit."""

import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_countries import countries

from tests.factories import BatchFactory, ProductFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "shop" / "locale" / "vi" / "LC_MESSAGES"
# Where the storefront's own strings come from: each must be translated.
STOREFRONT_SOURCES = (
    "frontend_templates/shop/",
    "frontend_templates/400.html",
    "frontend_templates/404.html",
    "frontend_templates/500.html",
    "frontend_templates/base.html",
    "shop/forms.py",
    "shop/templatetags/storefront.py",
    "shop/views/storefront.py",
)


# What a translation must carry over unchanged: Python and str.format placeholders, HTML tags.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|%%|\{[a-z_]*\}|</?[a-z]+[^>]*>")


def po_catalog():
    with open(LOCALE_DIR / "django.po", "rb") as po:
        return read_po(po, locale="vi")


def as_key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and message.id != ""


@pytest.mark.django_db
def test_pages_in_vietnamese_show_vietnamese_strings_and_product_names(client):
    # given a product with an English and a Vietnamese name
    product = ProductFactory(name_en="Phu Quoc fish sauce", name_vi="Nước mắm Phú Quốc")
    BatchFactory(variant__product=product, quantity_received=2)
    # when the shopper switches to Vietnamese
    client.get(reverse("shop:preferences"), {"language": "vi", "next": "/"})
    catalogue = client.get(reverse("shop:catalogue")).content.decode()
    page = client.get(product.get_absolute_url()).content.decode()
    # then the pages speak Vietnamese and name the product in Vietnamese
    assert '<html lang="vi">' in catalogue
    assert "Lọc và sắp xếp" in catalogue
    assert "Còn hàng" in catalogue
    assert "Nước mắm Phú Quốc" in catalogue
    assert "Phu Quoc fish sauce" not in catalogue
    assert "<h1>Nước mắm Phú Quốc</h1>" in page
    assert "Bạn sẽ nhận hàng từ lô này" in page
    assert "Chỉ còn 2 sản phẩm trong lô này" in page
    assert "Thực phẩm" in page


@pytest.mark.django_db
def test_vietnamese_dates_and_money_follow_the_vietnamese_locale(client, settings):
    product = ProductFactory(
        ocop_certified_on="2025-01-10", ocop_valid_until="2099-01-09", name_vi="Trà sen"
    )
    BatchFactory(variant__product=product)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.cookies[settings.CURRENCY_COOKIE_NAME] = "VND"
    html = client.get(product.get_absolute_url()).content.decode()
    assert "có hiệu lực đến 9 tháng 1, 2099" in html
    assert '<p class="price">250.000\xa0₫</p>' in html


def test_the_compiled_catalogue_matches_the_po_file():
    # given the .po people edit and the .mo Django reads
    po = po_catalog()
    with open(LOCALE_DIR / "django.mo", "rb") as mo_file:
        mo = read_mo(mo_file)
    # then every translated entry of the .po is in the .mo with the same text, and back
    # keyed by context too: "from" is both a closure's first day and a thank-you's signer
    expected = {
        (m.context, as_key(m.id)): as_key(m.string) for m in po if translated(m) and not m.fuzzy
    }
    compiled = {(m.context, as_key(m.id)): as_key(m.string) for m in mo if m.id}
    assert compiled == expected


def test_every_translated_entry_reads_the_same_through_django_gettext():
    po = po_catalog()
    with translation.override("vi"):
        for message in po:
            if not translated(message) or message.fuzzy:
                continue
            if isinstance(message.id, tuple) and message.context:
                got = translation.npgettext(message.context, *message.id, 1)
            elif isinstance(message.id, tuple):
                got = translation.ngettext(*message.id, 1)
            elif message.context:
                got = translation.pgettext(message.context, message.id)
            else:
                got = translation.gettext(message.id)
            expected = message.string[0] if isinstance(message.id, tuple) else message.string
            assert got == expected, message.id


def test_every_storefront_string_is_translated_to_vietnamese():
    missing = [
        message.id
        for message in po_catalog()
        if message.id
        and any(path.startswith(STOREFRONT_SOURCES) for path, _line in message.locations)
        and (not translated(message) or message.fuzzy)
    ]
    assert missing == []


def test_the_catalogue_has_no_untranslated_and_no_fuzzy_entry():
    # given the Vietnamese catalogue as people edit it
    po = po_catalog()
    # then every entry has its Vietnamese, and no guess of msgmerge is left unchecked
    untranslated = [m.id for m in po if m.id and not translated(m)]
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_the_catalogue_has_vietnamese_plural_forms_and_one_form_per_plural_entry():
    po = po_catalog()
    assert po.plural_forms == "nplurals=1; plural=0;"
    wrong = [m.id for m in po if isinstance(m.id, tuple) and len(m.string) != 1]
    assert wrong == []


def test_every_translation_keeps_the_placeholders_and_tags_of_its_english():
    po = po_catalog()
    broken = []
    for message in po:
        if not message.id:
            continue
        english = message.id[-1] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for vietnamese in strings:
            if sorted(PLACEHOLDER.findall(vietnamese)) != sorted(PLACEHOLDER.findall(english)):
                broken.append(english)
    assert broken == []


def test_our_catalogue_corrects_wrong_vietnamese_of_django_and_django_countries():
    # given the strings shop/translation_overrides.py marks
    with translation.override("vi"):
        # when Django and django-countries translate them
        whole_number = str(forms.IntegerField().error_messages["invalid"])
        names = {code: str(name) for code, name in countries}
    # then our Vietnamese wins over the packages' own
    assert str(whole_number) == "Hãy nhập một số nguyên."
    assert (names["IS"], names["IE"]) == ("Iceland", "Ai-len")
    assert (names["JE"], names["NE"], names["RE"]) == ("Jersey", "Niger", "Réunion")
