"""The shop's languages as data: how each is written (babel locale, date style, its own
name), which language product text is read in, and the currency a visitor sees first.

Product and cooperative text (names, descriptions, stories) is kept in English and
Vietnamese only (settings.MODELTRANSLATION_LANGUAGES); a reader of any other shop language
(German) reads the English text, while the page's own words come from that language's
catalogue in shop/locale.
"""

from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header

# babel locale per shop language; anything unknown is written as English.
BABEL_LOCALES: dict[str, str] = {
    "en": "en_US",
    "vi": "vi_VN",
    "de": "de_DE",
    "fr": "fr_FR",
    "ja": "ja_JP",
    "ko": "ko_KR",
    "zh-hans": "zh_Hans_CN",
}
# Vietnamese "medium" abbreviates the month ("thg 3"); the long form reads better.
DATE_FORMATS: dict[str, str] = {
    "en": "medium",
    "vi": "long",
    "de": "medium",
    "fr": "medium",
    "ja": "medium",
    "ko": "medium",
    "zh-hans": "medium",
}
# Each language named in itself, as a language switcher shows it.
NATIVE_NAMES: dict[str, str] = {
    "en": "English",
    "vi": "Tiếng Việt",
    "de": "Deutsch",
    "fr": "Français",
    "ja": "日本語",
    "ko": "한국어",
    "zh-hans": "简体中文",
}

# Countries whose money is the euro (the euro area, with Bulgaria from 1 January 2026, and
# the micro-states and territories that use it by agreement or in practice).
EURO_COUNTRIES = frozenset(
    "AT BE BG CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK "
    "AD MC SM VA ME XK GF GP MQ RE YT PM BL MF AX".split()
)
# Languages spoken mostly in the euro area, for an Accept-Language without a region
# ("de", "nl"); Spanish and Portuguese are not, their readers are mostly in the Americas.
EURO_LANGUAGES = frozenset("de fr nl it fi el et lv lt sk sl mt lb hr bg ga".split())
# Other countries whose own money the shop takes (converted from USD: shop.currencies), and
# the language that, without a region, stands for each.
COUNTRY_CURRENCIES: dict[str, str] = {"JP": "JPY", "KR": "KRW"}
LANGUAGE_CURRENCIES: dict[str, str] = {"ja": "JPY", "ko": "KRW"}


def shop_language(language: str | None) -> str:
    """A language code as the shop knows it ("de-at" -> "de", "zh-cn" -> "zh-hans"); unknown
    ones (and traditional Chinese, which the shop does not write) read English."""
    code = (language or "").lower().replace("_", "-")
    if code.startswith("zh"):
        return (
            "zh-hans"
            if code in ("zh", "zh-hans", "zh-cn", "zh-sg") or code.startswith("zh-hans")
            else "en"
        )
    code = code[:2]
    return code if code in BABEL_LOCALES else "en"


def babel_locale(language: str | None) -> str:
    return BABEL_LOCALES[shop_language(language)]


def date_format(language: str | None) -> str:
    return DATE_FORMATS[shop_language(language)]


def content_language(language: str | None) -> str:
    """The language product text is read in: Vietnamese for Vietnamese readers, English
    for everyone else (the only two languages the catalogue is written in)."""
    return "vi" if shop_language(language) == "vi" else "en"


def default_currency(*, accept_language: str, language: str | None) -> str:
    """The currency a visitor who never chose one sees first.

    The region of the browser's preferred language decides (de-DE, fr-BE, en-IE: EUR; ja-JP:
    JPY; ko-KR: KRW; de-CH, en-US: the shop's default); without a region, that language does
    ("de", "nl": EUR; "ja": JPY), then the shop language being read ("de", "fr": EUR; "ja": JPY).
    The currency switcher's cookie always wins over this (shop.middleware)."""
    # Django's own parser: sorted by q, lower case, () for a malformed or overlong header.
    preferred = parse_accept_lang_header(accept_language[:255])
    first = preferred[0][0] if preferred else ""
    parts = first.split("-")
    region = next((part.upper() for part in parts[1:] if len(part) == 2), "")
    if region:
        if region in EURO_COUNTRIES:
            return "EUR"
        return COUNTRY_CURRENCIES.get(region, settings.DEFAULT_CURRENCY)
    if parts[0] in EURO_LANGUAGES or shop_language(language) in EURO_LANGUAGES:
        return "EUR"
    if parts[0] in LANGUAGE_CURRENCIES:
        return LANGUAGE_CURRENCIES[parts[0]]
    return LANGUAGE_CURRENCIES.get(shop_language(language), settings.DEFAULT_CURRENCY)
