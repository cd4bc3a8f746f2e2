"""The header every storefront page draws: links, switchers and the way back to the page."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def header(response) -> str:
    page = response.content.decode()
    return page[page.index('<header class="site-header">') : page.index("</header>")]


def test_the_header_speaks_the_readers_language_and_marks_the_current_choices(client):
    # given a Vietnamese reader paying in euros
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.cookies[settings.CURRENCY_COOKIE_NAME] = "EUR"
    # when a catalogue search is shown
    drawn = header(client.get(reverse("shop:catalogue"), {"q": "trà xanh", "page": "1"}))
    # then the links are in Vietnamese and the current language and currency are marked
    assert '<a href="/products/">Sản phẩm</a>' in drawn
    assert '<a href="/cart/">Giỏ hàng</a>' in drawn
    assert 'aria-label="Ngôn ngữ"' in drawn and 'aria-label="Tiền tệ"' in drawn
    assert re.search(r'lang="vi" aria-current="true">Tiếng Việt</a>', drawn)
    assert re.search(r'currency=EUR&amp;next=[^"]*" aria-current="true">EUR</a>', drawn)
    assert 'aria-current="true">USD' not in drawn


def test_each_switch_comes_back_to_the_page_with_its_query(client):
    # given a search page in English
    drawn = header(client.get(reverse("shop:catalogue"), {"q": "trà xanh", "page": "1"}))
    # when the shopper picks Vietnamese, then euros
    to_vi = re.search(r'href="([^"]*language=vi[^"]*)"', drawn).group(1).replace("&amp;", "&")
    to_eur = re.search(r'href="([^"]*currency=EUR[^"]*)"', drawn).group(1).replace("&amp;", "&")
    # then each link comes back to the same search, diacritics and all
    for link in (to_vi, to_eur):
        back = parse_qs(urlsplit(link).query)["next"][0]
        assert back == "/products/?q=tr%C3%A0+xanh&page=1"
        response = client.get(link)
        assert response.status_code == 302
        assert response["Location"] == "/products/?q=tr%C3%A0+xanh&page=1"
