"""Money rules: Decimal amounts quantised to each currency's minor unit, and
locale-aware formatting with babel."""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency

from shop import languages

# ISO 4217 minor units. VND has none (and is zero-decimal in Stripe too).
MINOR_UNITS: dict[str, int] = {"VND": 0, "USD": 2, "EUR": 2}
CURRENCIES: tuple[str, ...] = ("USD", "EUR", "VND")


class UnknownCurrency(ValueError):
    pass


def exponent(currency: str) -> int:
    try:
        return MINOR_UNITS[currency]
    except KeyError as exc:
        raise UnknownCurrency(currency) from exc


def quantize(amount: Decimal | int | str, currency: str) -> Decimal:
    """Round half up to the currency's minor unit: 12.345 USD -> 12.35, 1500.4 VND -> 1500."""
    places = exponent(currency)
    return Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal, currency: str) -> int:
    """The integer amount Stripe expects: 12.50 USD -> 1250, 250000 VND -> 250000."""
    return int(quantize(amount, currency).scaleb(exponent(currency)))


def format_money(amount: Decimal, currency: str, language: str) -> str:
    """'$12.50' in English, '12,50 US$' in Vietnamese, '12,50 €' in German, '250.000 ₫'
    for VND."""
    locale = languages.babel_locale(language)
    return format_currency(quantize(amount, currency), currency, locale=locale)
