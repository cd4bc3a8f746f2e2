"""Template tags of the storefront: money in the shopper's currency and locale, OCOP stars,
and dates written the way each language writes them."""

import datetime
from decimal import Decimal

from babel.dates import format_date
from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext

from shop.money import format_money

register = template.Library()

BABEL_LOCALES = {"en": "en_US", "vi": "vi_VN"}
# Vietnamese "medium" abbreviates the month ("thg 3"); the long form reads better.
DATE_FORMATS = {"en": "medium", "vi": "long"}
MAX_STARS = 5


def _language() -> str:
    language = (get_language() or "en")[:2]
    return language if language in BABEL_LOCALES else "en"


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
    language = _language()
    return format_date(value, DATE_FORMATS[language], locale=BABEL_LOCALES[language])


@register.simple_tag
def ocop_stars(stars: int) -> str:
    """Filled and empty stars with a spoken label: "★★★★☆" read as "4 OCOP stars"."""
    stars = max(0, min(int(stars), MAX_STARS))
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
