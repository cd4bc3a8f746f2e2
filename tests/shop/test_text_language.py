"""Product text is written in English and Vietnamese only: a reader who gets the other
language's text sees it marked with its own `lang` and a note, and the admin lists the
products a translation is missing from."""

import pytest
from django.urls import reverse

from shop.models import Product
from tests.factories import BatchFactory, ProductFactory, UserFactory, VariantFactory


@pytest.fixture
def english_only(db):
    product = ProductFactory(
        slug="lotus-tea",
        name_en="Lotus tea",
        name_vi="Trà sen",
        description_en="Green tea scented with West Lake lotus.",
        description_vi="",
        story_en="Picked at dawn.",
        story_vi="Hái lúc bình minh.",
    )
    BatchFactory(variant=VariantFactory(product=product))
    return product


def page(client, product, language):
    response = client.get(product.get_absolute_url(), {"lang": language})
    assert response.status_code == 200
    return response.content.decode()


def test_a_vietnamese_reader_is_told_the_description_is_not_translated_yet(client, english_only):
    html = page(client, english_only, "vi")

    assert '<div class="description" lang="en">' in html
    assert html.count('class="text-language"') == 1
    assert "Hái lúc bình minh." in html


def test_an_english_reader_sees_no_note(client, english_only):
    html = page(client, english_only, "en")

    assert '<div class="description">' in html
    assert 'class="text-language"' not in html


def test_a_japanese_reader_reads_english_text_marked_as_english(client, english_only):
    html = page(client, english_only, "ja")

    assert '<html lang="ja"' in html
    assert '<div class="description" lang="en">' in html
    # Both texts are English for a Japanese reader: both are marked.
    assert html.count('class="text-language"') == 2


def test_the_admin_lists_products_missing_a_vietnamese_translation(client, english_only):
    ProductFactory(slug="done")  # both languages filled in
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:shop_product_changelist"), {"untranslated": "vi"})

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [english_only]
    assert list(Product.objects.missing_translation("en")) == []
