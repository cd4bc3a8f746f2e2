"""Product cards as the storefront lists them (home, catalogue, search, cooperative pages).

A card is read as plain values: the columns a card shows, the "from" price in the shopper's
currency and whether it is in stock, in the one query that lists the products
(shop.card_query). Its strings (links, money, stars) are computed once per distinct
value and language rather than per card through template tags: building and rendering
model instances card by card was most of a rendered catalogue page's cost (issue 13).
Cards are drawn here too (`draw`, behind the {% product_cards %} tag): twenty cards through
the template engine cost more than the rest of the page together.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import filepath_to_uri
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext, override

from shop import languages, thumbnails
from shop.money import format_money

MAX_STARS = 5
PLACEHOLDER = "shop/placeholder.svg"
COLUMNS = (
    "pk",
    "slug",
    "name_en",
    "name_vi",
    "photo",
    "ocop_stars",
    "ocop_valid_until",
    "price_from",
    "cooperative__slug",
    "cooperative__name",
    "cooperative__province__name",
    "in_stock",
    "gallery_photo",
)


@dataclass(frozen=True, slots=True)
class Card:
    pk: int
    slug: str
    name: str
    url: str
    photo_url: str
    cooperative_name: str
    cooperative_url: str
    province_name: str
    stars: int
    stars_html: SafeString
    certificate_current: bool
    price_from: Decimal | None
    price_text: str
    in_stock: bool


def _language() -> str:
    return languages.shop_language(get_language())


@functools.lru_cache(maxsize=4096)
def price_text(amount: Decimal, currency: str, language: str) -> str:
    """'from $12.50' in the language given; a page has a handful of distinct prices."""
    with override(language):
        price = format_money(amount, currency, language)
        return gettext("from %(price)s") % {"price": price}


@functools.lru_cache(maxsize=64)
def stars_html(stars: int, language: str) -> SafeString:
    """Filled and empty stars with a spoken label, as the {% ocop_stars %} tag draws them."""
    stars = max(0, min(int(stars), MAX_STARS))
    with override(language):
        label = ngettext("%(count)d OCOP star", "%(count)d OCOP stars", stars) % {"count": stars}
    return format_html(
        '<span class="stars" role="img" aria-label="{}" title="{}">'
        '<span class="stars-label">OCOP</span><span class="stars-on">{}</span>'
        '<span class="stars-off">{}</span></span>',
        label,
        label,
        "★" * stars,
        "★" * (MAX_STARS - stars),
    )


def _prefix(name: str) -> str:
    # One reverse() per list instead of one per card: the slug is the only part that varies.
    return reverse(name, kwargs={"slug": "slug"}).removesuffix("slug/")


def to_cards(rows: Iterable[tuple], *, currency: str) -> list[Card]:
    """Cards from rows of shop.card_query.page_rows, worded in the active language."""
    language = _language()
    product_prefix = _prefix("shop:product")
    cooperative_prefix = _prefix("shop:cooperative")
    media_url = settings.MEDIA_URL
    placeholder = static(PLACEHOLDER)
    today = timezone.localdate()
    cards = []
    for row in rows:
        (
            pk, slug, name_en, name_vi, photo, stars, valid_until, price_from,
            cooperative_slug, cooperative_name, province_name, in_stock, gallery_photo,
        ) = row[: len(COLUMNS)]  # fmt: skip
        if gallery_photo:
            photo_url = thumbnails.thumbnail_url(gallery_photo, thumbnails.CARD_WIDTH)
        elif photo:
            photo_url = f"{media_url}{filepath_to_uri(photo)}"
        else:
            photo_url = placeholder
        # Product names exist in English and Vietnamese only: German readers get English.
        name = (name_vi or name_en) if language == "vi" else (name_en or name_vi)
        cards.append(
            Card(
                pk=pk,
                slug=slug,
                name=name or "",
                url=f"{product_prefix}{slug}/",
                photo_url=photo_url,
                cooperative_name=cooperative_name,
                cooperative_url=f"{cooperative_prefix}{cooperative_slug}/",
                province_name=province_name,
                stars=stars,
                stars_html=stars_html(stars, language),
                certificate_current=valid_until >= today,
                price_from=price_from,
                price_text=price_text(price_from, currency, language)
                if price_from is not None
                else "",
                in_stock=bool(in_stock),
            )
        )
    return cards


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def draw(cards: Iterable[Card]) -> SafeString:
    """The cards' markup: an <article class="card"> each with the photo and name linking to
    the product, the cooperative and province, the OCOP stars (or "certificate expired"),
    the "from" price and whether it is in stock."""
    expired = _e(gettext("OCOP certificate expired"))
    in_stock = f'<span class="stock stock-in">{_e(gettext("In stock"))}</span>'
    out_of_stock = f'<span class="stock stock-out">{_e(gettext("Out of stock"))}</span>'
    drawn = []
    for card in cards:
        rating = (
            card.stars_html
            if card.certificate_current
            else f'<span class="badge badge-expired">{expired}</span>'
        )
        price = f'<span class="price">{_e(card.price_text)}</span>' if card.price_text else ""
        drawn.append(
            '<article class="card">\n'
            f'  <a class="card-link" href="{_e(card.url)}">\n'
            f'    <img class="card-photo" src="{_e(card.photo_url)}" alt="" width="400" '
            'height="300" loading="lazy">\n'
            f'    <h3 class="card-title">{_e(card.name)}</h3>\n'
            "  </a>\n"
            f'  <p class="card-origin"><a href="{_e(card.cooperative_url)}">'
            f"{_e(card.cooperative_name)}</a>"
            '<span class="sep" aria-hidden="true"> · </span>'
            f'<span class="province">{_e(card.province_name)}</span></p>\n'
            f'  <p class="card-rating">{rating}</p>\n'
            f'  <p class="card-bottom">\n    {price}\n'
            f"    {in_stock if card.in_stock else out_of_stock}\n  </p>\n"
            "</article>"
        )
    return mark_safe("".join(drawn))
