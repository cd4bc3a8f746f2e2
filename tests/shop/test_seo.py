"""What the public pages tell search engines (shop.seo, shop.structured_data, shop.sitemaps):
an hreflang alternate per language and x-default, canonical addresses, Open Graph tags,
schema.org Product/Offer and Organization data checked against Google's rich result rules,
sitemap.xml, robots.txt, and the `?lang=` addresses with the page cache."""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop import inventory
from shop.models import ProductGroup
from shop.money import MINOR_UNITS
from tests.factories import (
    BatchFactory,
    CartFactory,
    CooperativeFactory,
    ProductFactory,
    VariantFactory,
)
from traceability.gs1 import check_digit

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SCHEMA_AVAILABILITY = {
    f"https://schema.org/{name}"
    for name in (
        "InStock",
        "OutOfStock",
        "SoldOut",
        "LimitedAvailability",
        "PreOrder",
        "BackOrder",
        "Discontinued",
        "InStoreOnly",
        "OnlineOnly",
        "PreSale",
        "MadeToOrder",
    )
}
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


class Head(HTMLParser):
    """The <link>, <meta> and JSON-LD elements of a page's <head>."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[dict] = []
        self.metas: list[dict] = []
        self.json_ld: list[str] = []
        self.html_lang = ""
        self._in_head = False
        self._in_json_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang", "")
        elif tag == "head":
            self._in_head = True
        elif self._in_head and tag == "link":
            self.links.append(attributes)
        elif self._in_head and tag == "meta":
            self.metas.append(attributes)
        elif self._in_head and tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        elif tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def hreflangs(self) -> list[tuple[str, str]]:
        return [
            (link["hreflang"], link["href"])
            for link in self.links
            if link.get("rel") == "alternate" and "hreflang" in link
        ]

    def canonicals(self) -> list[str]:
        return [link["href"] for link in self.links if link.get("rel") == "canonical"]

    def meta(self, key: str) -> list[str]:
        return [
            m["content"] for m in self.metas if m.get("property") == key or m.get("name") == key
        ]

    def data(self) -> list[dict]:
        return [json.loads(text) for text in self.json_ld]


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def lang_of(url: str) -> str:
    return dict(parse_qsl(urlsplit(url).query))["lang"]


def assert_valid_gtin(digits: str, length: int) -> None:
    assert re.fullmatch(rf"\d{{{length}}}", digits), digits
    assert int(digits[-1]) == check_digit(digits[:-1].rjust(13, "0"))


def assert_valid_offer(offer: dict, *, currency: str, url: str) -> None:
    """Google's Product rich result rules for an Offer (merchant listing): price as a string
    with the currency's decimals, an ISO 4217 currency, a schema.org availability."""
    assert offer["@type"] == "Offer"
    decimals = MINOR_UNITS[currency]
    pattern = rf"\d+\.\d{{{decimals}}}" if decimals else r"\d+"
    assert isinstance(offer["price"], str) and re.fullmatch(pattern, offer["price"])
    assert offer["priceCurrency"] == currency
    assert offer["availability"] in SCHEMA_AVAILABILITY
    assert offer["url"] == url
    assert offer["itemCondition"] == "https://schema.org/NewCondition"
    assert offer["seller"]["@type"] == "Organization" and offer["seller"]["name"]
    assert is_absolute(offer["seller"]["url"])
    gtins = {key: value for key, value in offer.items() if key.startswith("gtin")}
    assert len(gtins) <= 1
    for key, value in gtins.items():
        assert_valid_gtin(value, int(key[4:]))


def assert_valid_product(data: dict, *, currency: str) -> None:
    """Required and recommended Product properties (Google's Product snippet and merchant
    listing documentation): name; offers (or a review or rating, which the shop has not);
    image, description, brand and an identifier recommended."""
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Product"
    assert data["name"]
    assert is_absolute(data["url"])
    assert all(is_absolute(image) for image in data.get("image", []))
    assert data["brand"]["@type"] == "Brand" and data["brand"]["name"]
    offers = data["offers"]
    if offers["@type"] == "AggregateOffer":
        prices = [Decimal(o["price"]) for o in offers["offers"]]
        assert offers["priceCurrency"] == currency
        assert Decimal(offers["lowPrice"]) == min(prices)
        assert Decimal(offers["highPrice"]) == max(prices)
        assert offers["offerCount"] == len(offers["offers"])
        assert offers["availability"] in SCHEMA_AVAILABILITY
        for offer in offers["offers"]:
            assert_valid_offer(offer, currency=currency, url=data["url"])
            assert offer["sku"]
    else:
        assert_valid_offer(offers, currency=currency, url=data["url"])
        assert data["sku"] == offers["sku"]


@pytest.fixture
def product(today):
    """A published fish sauce of one size with a lot on sale, a photo and a brand."""
    product = ProductFactory(
        slug="nuoc-mam",
        name_en="Phu Quoc fish sauce",
        name_vi="Nước mắm Phú Quốc",
        brand="Hồng Phúc",
        photo="products/nuoc-mam.jpg",
    )
    variant = VariantFactory(
        product=product, sku="NM-500", gtin="08930000000019", name_en="500 ml bottle"
    )
    BatchFactory(variant=variant)
    return product


@pytest.fixture
def pages(product) -> dict[str, str]:
    return {
        "home": reverse("shop:home"),
        "catalogue": reverse("shop:catalogue"),
        "product": product.get_absolute_url(),
        "cooperative": product.cooperative.get_absolute_url(),
    }


@pytest.mark.parametrize("page", ["home", "catalogue", "product", "cooperative"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_names_each_language_once_and_its_canonical_address(
    client, pages, page, language
):
    # when a public page is read with a language chosen in the cookie
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(pages[page])
    head = Head(response.content.decode())
    # then each language of settings.LANGUAGES has exactly one absolute alternate at its own
    # ?lang= address, and x-default is the default language's
    alternates = head.hreflangs()
    codes = [code for code, _url in alternates]
    assert sorted(codes) == sorted([*LANGUAGES, "x-default"])
    urls = dict(alternates)
    assert all(is_absolute(url) for url in urls.values())
    assert all(urlsplit(urls[code]).path == pages[page] for code in codes)
    assert {code: lang_of(urls[code]) for code in LANGUAGES} == {c: c for c in LANGUAGES}
    assert urls["x-default"] == urls[settings.LANGUAGE_CODE]
    # and the canonical address is this language's, absolute, as is og:url
    assert head.canonicals() == [urls[language]]
    assert head.meta("og:url") == [urls[language]]
    assert head.html_lang == language
    # and Open Graph names this locale and the others
    assert len(head.meta("og:locale")) == 1
    assert len(head.meta("og:locale:alternate")) == len(LANGUAGES) - 1
    assert head.meta("og:title") and head.meta("og:description")
    assert head.meta("og:type") == ["product" if page == "product" else "website"]
    assert head.meta("twitter:card")


def test_locales_of_open_graph_are_language_and_territory(client, product):
    response = client.get(product.get_absolute_url() + "?lang=vi")
    head = Head(response.content.decode())
    assert head.meta("og:locale") == ["vi_VN"]
    assert "en_US" in head.meta("og:locale:alternate")


def test_a_lang_address_renders_that_language_without_a_cookie_or_redirect(client, product):
    # given a shopper whose cookie says English
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when the Vietnamese address of the product is opened
    response = client.get(product.get_absolute_url(), {"lang": "vi"})
    # then it answers in Vietnamese at once, and the shopper's choice is untouched
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert "<h1>Nước mắm Phú Quốc</h1>" in response.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert client.get(product.get_absolute_url()).headers["Content-Language"] == "en"


@pytest.mark.parametrize("value", ["xx", "", "EN"])
def test_an_unknown_lang_goes_to_the_address_without_it(client, value):
    response = client.get(reverse("shop:catalogue"), {"group": "food", "lang": value})
    assert response.status_code == 302
    assert response["Location"] == "/products/?group=food"


def test_switching_language_drops_the_lang_of_the_page_it_returns_to(client, product):
    # given a shopper reading the Vietnamese address of a product
    back = product.get_absolute_url() + "?lang=vi"
    # when they pick English in the switcher
    response = client.get(reverse("shop:preferences"), {"language": "en", "next": back})
    # then they come back to the product, in the language they chose
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.parametrize(
    ("query", "canonical", "noindex"),
    [
        ("", "/products/?lang=en", False),
        ("?sort=name&page=1", "/products/?lang=en", False),
        ("?group=food&sort=-price", "/products/?group=food&lang=en", False),
        (
            "?q=m%E1%BA%AFm&stars=4&in_stock=on",
            "/products/?q=m%E1%BA%AFm&stars=4&in_stock=on&lang=en",
            True,
        ),
        ("?page=2", "/products/?page=2&lang=en", False),
        ("?page=9", "/products/?page=2&lang=en", False),
    ],
)
def test_catalogue_canonical_keeps_what_it_lists_and_pages_past_the_first(
    client, query, canonical, noindex
):
    # given 25 products: two pages
    for n in range(25):
        ProductFactory(slug=f"p-{n}", name_en=f"Mắm {n}", ocop_stars=4)
    # when a catalogue page is read in English
    head = Head(
        client.get("/products/" + query + ("&" if query else "?") + "lang=en").content.decode()
    )
    # then its canonical address drops the order and the first page number, keeps the
    # filters and a later page (the page shown, not the one asked for)
    assert head.canonicals() == [settings.SITE_URL + canonical]
    assert head.meta("robots") == (["noindex, follow"] if noindex else [])
    assert all(lang_of(url) for _code, url in head.hreflangs())


def test_product_data_is_a_valid_schema_org_product_in_the_pages_currency(client, product):
    # when the product is read in Vietnamese, paying in đồng
    client.cookies[settings.CURRENCY_COOKIE_NAME] = "VND"
    response = client.get(product.get_absolute_url(), {"lang": "vi"})
    (data,) = Head(response.content.decode()).data()
    # then it is a Product with Google's required and recommended properties
    assert_valid_product(data, currency="VND")
    url = f"{settings.SITE_URL}/products/nuoc-mam/?lang=vi"
    assert data["url"] == url and data["@id"] == url + "#product"
    assert data["name"] == "Nước mắm Phú Quốc"
    assert data["description"] == "Cá cơm và muối biển, ủ mười hai tháng."
    assert data["image"] == [f"{settings.SITE_URL}/media/products/nuoc-mam.jpg"]
    assert data["brand"] == {"@type": "Brand", "name": "Hồng Phúc"}
    assert data["sku"] == "NM-500"
    assert data["gtin13"] == "8930000000019"
    # and its one size is an Offer in VND without decimals, sold by the cooperative
    assert data["offers"] == {
        "@type": "Offer",
        "name": "Chai 500 ml",
        "sku": "NM-500",
        "gtin13": "8930000000019",
        "price": "250000",
        "priceCurrency": "VND",
        "availability": "https://schema.org/InStock",
        "itemCondition": "https://schema.org/NewCondition",
        "url": url,
        "seller": {
            "@type": "Organization",
            "name": product.cooperative.name,
            "url": f"{settings.SITE_URL}{product.cooperative.get_absolute_url()}",
        },
    }


def test_sizes_make_an_aggregate_offer_with_each_sizes_availability(client, today):
    # given a tea in three sizes: one on sale, one sold out (held in a cart), one whose
    # only lot is past its best-before
    product = ProductFactory(slug="tra", brand="")
    on_sale = VariantFactory(product=product, weight_grams=100, price_usd=Decimal("5.00"))
    sold_out = VariantFactory(product=product, weight_grams=200, price_usd=Decimal("9.50"))
    expired = VariantFactory(product=product, weight_grams=300, price_usd=Decimal("14"))
    BatchFactory(variant=on_sale)
    BatchFactory(variant=sold_out, quantity_received=2)
    inventory.hold(cart=CartFactory(), variant=sold_out, quantity=2)
    BatchFactory(
        variant=expired,
        harvest_date=today - datetime.timedelta(days=400),
        best_before=today - datetime.timedelta(days=1),
    )
    # when its page is read in US dollars
    (data,) = Head(client.get(product.get_absolute_url()).content.decode()).data()
    # then the offer is an AggregateOffer over the three sizes, prices with two decimals
    assert_valid_product(data, currency="USD")
    offers = data["offers"]
    assert (offers["lowPrice"], offers["highPrice"], offers["offerCount"]) == ("5.00", "14.00", 3)
    assert offers["availability"] == "https://schema.org/InStock"
    assert [(o["price"], o["availability"]) for o in offers["offers"]] == [
        ("5.00", "https://schema.org/InStock"),
        ("9.50", "https://schema.org/SoldOut"),
        ("14.00", "https://schema.org/OutOfStock"),
    ]
    # and without a brand of its own the cooperative's name is the brand
    assert data["brand"]["name"] == product.cooperative.name
    assert "image" not in data


def test_text_cannot_close_the_data_script(client):
    # given a product whose name and description try to end the script element
    product = ProductFactory(
        slug="bad",
        name_en="</script><script>alert(1)</script>",
        description_en="Fish & <b>salt</b> </SCRIPT>",
    )
    VariantFactory(product=product)
    html = client.get(product.get_absolute_url()).content.decode()
    # then the data parses back to the same text and holds no markup
    head = Head(html)
    (data,) = head.data()
    assert data["name"] == "</script><script>alert(1)</script>"
    assert data["description"] == "Fish & <b>salt</b> </SCRIPT>"
    assert "<" not in head.json_ld[0] and ">" not in head.json_ld[0]
    assert "<script>alert(1)" not in html
    # and a size without a lot is offered out of stock
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_cooperative_page_describes_the_cooperative_as_an_organization(client, product):
    cooperative = product.cooperative
    response = client.get(cooperative.get_absolute_url(), {"lang": "vi"})
    (data,) = Head(response.content.decode()).data()
    url = f"{settings.SITE_URL}{cooperative.get_absolute_url()}?lang=vi"
    assert data == {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": url + "#organization",
        "name": cooperative.name,
        "url": url,
        "description": "Năm thế hệ làm gốm.",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": cooperative.address,
            "addressLocality": cooperative.village.name,
            "addressRegion": cooperative.province.name,
            "addressCountry": "VN",
        },
    }


def test_private_pages_have_no_search_tags(client):
    html = client.get(reverse("shop:cart")).content.decode()
    head = Head(html)
    assert head.canonicals() == [] and head.hreflangs() == [] and head.data() == []


def sitemap_entries(client) -> dict[str, dict[str, str]]:
    response = client.get(reverse("shop:sitemap"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    entries = {}
    for url in root:
        assert url.tag == f"{{{SITEMAP_NS}}}url"
        loc = url.find(f"{{{SITEMAP_NS}}}loc").text
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in url.findall(f"{{{XHTML_NS}}}link")
            if link.get("rel") == "alternate"
        }
        assert len(alternates) == len(url.findall(f"{{{XHTML_NS}}}link"))
        entries[loc] = alternates
    return entries


def test_sitemap_lists_every_public_page_in_every_language_with_alternates(client, product):
    # given an unpublished product and a cooperative with nothing published
    hidden = ProductFactory(slug="hidden", is_published=False)
    empty = CooperativeFactory(slug="empty")
    # when the sitemap is read
    entries = sitemap_entries(client)
    # then every address is absolute, names its language, and carries the alternates of
    # every language and x-default (the default language's), itself among them
    for loc, alternates in entries.items():
        assert is_absolute(loc)
        assert sorted(alternates) == sorted([*LANGUAGES, "x-default"])
        assert alternates[lang_of(loc)] == loc
        assert alternates["x-default"] == alternates[settings.LANGUAGE_CODE]
        assert all(is_absolute(href) for href in alternates.values())
    # and it lists the home page, the catalogue and its group, the published product and
    # its cooperative, each once per language, and nothing else
    paths = sorted(
        {(urlsplit(loc).path, urlsplit(loc).query.rsplit("lang=")[0]) for loc in entries}
    )
    assert paths == sorted(
        [
            ("/", ""),
            ("/products/", ""),
            ("/products/", f"group={ProductGroup.FOOD}&"),
            (product.get_absolute_url(), ""),
            (product.cooperative.get_absolute_url(), ""),
        ]
    )
    assert len(entries) == 5 * len(LANGUAGES)
    assert not any(hidden.slug in loc or empty.slug in loc for loc in entries)


def test_sitemap_alternates_are_the_pages_own(client, product):
    entries = sitemap_entries(client)
    for language in LANGUAGES:
        loc = f"{settings.SITE_URL}{product.get_absolute_url()}?lang={language}"
        head = Head(client.get(loc.removeprefix(settings.SITE_URL)).content.decode())
        assert entries[loc] == dict(head.hreflangs())
        assert head.canonicals() == [loc]


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client, product):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    disallowed = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")]
    private = [
        reverse("shop:cart"),
        reverse("shop:checkout"),
        reverse("shop:order", kwargs={"token": "abc"}),
        reverse("shop:account_orders"),
        reverse("shop:login"),
        reverse("shop:preferences"),
        reverse("shop:stripe_pay", kwargs={"token": "abc"}),
        "/coop/",
        "/admin/",
        "/graphql/",
    ]
    public = [
        "/",
        reverse("shop:catalogue"),
        product.get_absolute_url(),
        product.cooperative.get_absolute_url(),
        "/sitemap.xml",
        "/01/08930000000019/10/LOT1",
    ]
    assert all(any(url.startswith(rule) for rule in disallowed) for url in private)
    assert not any(url.startswith(rule) for url in public for rule in disallowed)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_lang_addresses_cost_no_more_queries_than_the_pages(client, product):
    catalogue = reverse("shop:catalogue")
    assert count_queries(client, product.get_absolute_url() + "?lang=vi") == count_queries(
        client, product.get_absolute_url()
    )
    assert count_queries(client, catalogue + "?lang=vi&group=food") == count_queries(
        client, catalogue + "?group=food"
    )


def without_token(html: str) -> str:
    # Each answer masks the visitor's CSRF token afresh.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_each_language_address_is_cached_as_its_own_page(client, product, settings):
    # given the page cache on
    settings.PAGE_CACHE_SECONDS = 30
    cache.clear()
    url = product.get_absolute_url()
    # when the Vietnamese and English addresses are rendered once each
    first_vi = client.get(url, {"lang": "vi"}).content.decode()
    first_en = client.get(url, {"lang": "en"}).content.decode()
    # then asking again answers each from the cache, without SQL, in its own language
    with CaptureQueriesContext(connection) as queries:
        again_vi = client.get(url, {"lang": "vi"}).content.decode()
        again_en = client.get(url, {"lang": "en"}).content.decode()
    assert len(queries) == 0
    assert without_token(again_vi) == without_token(first_vi)
    assert without_token(again_en) == without_token(first_en)
    assert Head(again_vi).html_lang == "vi" and Head(again_en).html_lang == "en"
    assert Head(again_vi).canonicals() == [f"{settings.SITE_URL}{url}?lang=vi"]
    assert Head(again_en).canonicals() == [f"{settings.SITE_URL}{url}?lang=en"]
    cache.clear()


def test_the_home_page_is_described_in_the_readers_language(client):
    head = Head(client.get(reverse("shop:home"), {"lang": "vi"}).content.decode())
    assert head.meta("og:title") == ["Cửa hàng Làng OCOP"]
    assert head.meta("og:site_name") == ["Cửa hàng Làng OCOP"]
    assert head.meta("description") == [
        "Mỗi sản phẩm tại đây đều được xếp hạng theo Chương trình Mỗi xã một sản phẩm "
        "(OCOP) của Việt Nam. Mỗi lô hàng cho bạn biết nơi và thời điểm thu hoạch."
    ]
