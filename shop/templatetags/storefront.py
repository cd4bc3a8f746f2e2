"""Template tags of the storefront: money in the shopper's currency and locale, OCOP stars,
and dates written the way each language writes them."""

import datetime
import functools
from decimal import Decimal
from urllib.parse import quote as urlquote

from babel.dates import format_date
from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, override

from shop import cards as storefront_cards
from shop import languages
from shop.money import format_money

register = template.Library()


def _language() -> str:
    return languages.shop_language(get_language())


@register.simple_tag
def money(amount: Decimal | None, currency: str) -> str:
    """{% money product.price_from currency %} -> "$12.50", "12,50 US$", "250.000 ₫"."""
    if amount is None:
        return ""
    return format_money(amount, currency, _language())


@register.filter
def local_date(value: datetime.date | None) -> str:
    """{{ batch.best_before|local_date }} -> "Mar 5, 2025" / "5 tháng 3, 2025".

    A moment (an order's `paid_at`) is dated in the current time zone, Vietnam's unless a
    page chose another: 06:30 in Hà Nội is 23:30 UTC the day before, and the reader's
    calendar is the one that counts."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return _formatted_date(value, _language())


@functools.lru_cache(maxsize=4096)
def _formatted_date(value: datetime.date, language: str) -> str:
    # Babel takes a tenth of a millisecond a date; a page shows a few dozen, mostly the same.
    return format_date(
        value, languages.date_format(language), locale=languages.babel_locale(language)
    )


@register.simple_tag
def ocop_stars(stars: int) -> str:
    """Filled and empty stars with a spoken label: "★★★★☆" read as "4 OCOP stars"."""
    return storefront_cards.stars_html(int(stars), _language())


@register.simple_tag
def product_cards(cards) -> str:
    """{% product_cards page.object_list %}: the cards of shop.cards, drawn in one go."""
    return storefront_cards.draw(cards)


# The header every page draws: its links and words change only with the language, the
# currency and the script prefix, so each is built once per process per combination and
# only the page's own address is put in per request.
_HERE = "\x00here\x00"
_COUNT = "\x00count\x00"
_CURRENT = ' aria-current="true"'


@functools.lru_cache(maxsize=64)
def _nav(language: str, prefix: str) -> str:
    with override(language):
        links = (
            (reverse("shop:catalogue"), gettext("Products")),
            (reverse("shop:cart"), gettext("Cart")),
            (reverse("shop:account_orders"), gettext("Account")),
        )
    html = "".join(f'\n      <a href="{escape(url)}">{escape(label)}</a>' for url, label in links)
    # The cart's count goes right after the cart's link (site_nav puts it in).
    cart_link = f'<a href="{escape(links[1][0])}">{escape(links[1][1])}</a>'
    return html.replace(cart_link, cart_link + _COUNT, 1)


@functools.lru_cache(maxsize=64)
def _language_switcher(language: str, prefix: str) -> str:
    preferences = escape(reverse("shop:preferences"))
    with override(language):
        label = escape(gettext("Language"))
    links = "".join(
        f'\n        <a href="{preferences}?language={code}&amp;next={_HERE}" lang="{code}"'
        f"{_CURRENT if code == language else ''}>{escape(languages.NATIVE_NAMES[code])}</a>"
        for code, _name in settings.LANGUAGES
    )
    return f'<nav class="switcher" aria-label="{label}">{links}\n      </nav>'


@functools.lru_cache(maxsize=64)
def _currency_switcher(language: str, currency: str, prefix: str) -> str:
    preferences = escape(reverse("shop:preferences"))
    with override(language):
        label = escape(gettext("Currency"))
    links = "".join(
        f'<a href="{preferences}?currency={escape(code)}&amp;next={_HERE}"'
        f"{_CURRENT if code == currency else ''}>{escape(code)}</a>"
        for code in settings.CURRENCIES
    )
    return f'<nav class="switcher" aria-label="{label}">\n        {links}\n      </nav>'


def _here(context) -> str:
    request = context.get("request")
    return urlquote(request.get_full_path()) if request is not None else ""


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    """The header's links to products, cart and account, in the reader's language, and the
    cart's item count: drawn here where the page knows it (`cart_count` in the context: the
    cart and checkout, never cached), else filled in by static shop/header.js from the
    `cart_count` cookie (cached pages are the same for everyone)."""
    language = _language()
    count = _cart_count(language, context.get("cart_count"))
    return mark_safe(_nav(language, get_script_prefix()).replace(_COUNT, count))


@functools.lru_cache(maxsize=256)
def _cart_count(language: str, count: int | None) -> str:
    with override(language):
        label = gettext("Items in your cart:")
    shown = count is not None and count > 0
    number = str(count) if shown else ""
    spoken = f"{label} {count}" if shown else ""
    return (
        f'<span class="cart-count" data-cart-count data-label="{escape(label)}"'
        f"{'' if shown else ' hidden'}>"
        f'<span data-cart-count-number aria-hidden="true">{number}</span>'
        f'<span class="visually-hidden" data-cart-count-label>{escape(spoken)}</span></span>'
    )


@register.simple_tag(takes_context=True)
def language_switcher(context) -> SafeString:
    """English, Tiếng Việt and Deutsch links that come back to this page once chosen."""
    html = _language_switcher(_language(), get_script_prefix())
    return mark_safe(html.replace(_HERE, _here(context)))


@register.simple_tag(takes_context=True)
def currency_switcher(context) -> SafeString:
    """A link per currency that comes back to this page once chosen."""
    currency = context.get("currency") or settings.DEFAULT_CURRENCY
    html = _currency_switcher(_language(), currency, get_script_prefix())
    return mark_safe(html.replace(_HERE, _here(context)))
