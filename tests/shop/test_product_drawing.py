"""The product page's parts drawn in Python (shop.templatetags.product_drawing): every value
escaped, the words in the reader's language, a gift set's contents and the story."""

import pytest
from django.conf import settings

from tests.factories import (
    BatchFactory,
    CooperativeFactory,
    GiftSetComponentFactory,
    ProductFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


def _page(client, product, language="en") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_names_and_texts_are_escaped_never_taken_as_html(client):
    cooperative = CooperativeFactory(name='HTX "Trà" <b>Shan</b> & Tuyết')
    product = ProductFactory(
        cooperative=cooperative,
        name_en="Tea <script>alert(1)</script>",
        description_en="Hand-picked & sun-dried.\n\n<i>Second</i> paragraph.",
        story_en="Grandmother's <em>recipe</em>.",
    )
    BatchFactory(variant=VariantFactory(product=product))
    html = _page(client, product)
    assert "<h1>Tea &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html
    assert "<script>alert(1)</script>" not in html
    assert "HTX &quot;Trà&quot; &lt;b&gt;Shan&lt;/b&gt; &amp; Tuyết</a>" in html
    assert (
        "<p>Hand-picked &amp; sun-dried.</p>\n\n<p>&lt;i&gt;Second&lt;/i&gt; paragraph.</p>" in html
    )
    assert "<p>Grandmother&#x27;s &lt;em&gt;recipe&lt;/em&gt;.</p>" in html
    assert "More from HTX &quot;Trà&quot; &lt;b&gt;Shan&lt;/b&gt; &amp; Tuyết" in html


def test_the_words_are_the_readers_language_with_diacritics(client):
    product = ProductFactory(name_vi="Trà Shan Tuyết cổ thụ")
    BatchFactory(variant=VariantFactory(product=product))
    html = _page(client, product, "vi")
    assert "<h1>Trà Shan Tuyết cổ thụ</h1>" in html
    assert (
        '<nav class="breadcrumb" aria-label="Đường dẫn"><a href="/products/">Sản phẩm</a>' in html
    )
    assert f"{product.cooperative.name}</a> sản xuất," in html
    assert '<h2 id="story-title">Câu chuyện của nhà sản xuất</h2>' in html
    assert "By <a" not in html


def test_a_gift_set_lists_its_components_with_quantities(client):
    component = GiftSetComponentFactory(
        quantity=2, component__product__name_en="Lotus tea", component__name_en="100 g tin"
    )
    gift_set = component.gift_set.product
    html = _page(client, gift_set)
    assert '<h2 id="inside-title">In this gift set</h2>' in html
    assert "<strong>2 × Lotus tea</strong> · 100 g tin" in html


def test_a_product_without_story_or_description_draws_neither(client):
    product = ProductFactory(description_en="", description_vi="", story_en="", story_vi="")
    html = _page(client, product)
    assert 'class="description"' not in html
    assert 'class="section story"' not in html
    assert "This product has no sizes on sale yet." in html
