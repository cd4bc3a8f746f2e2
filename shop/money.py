"""Money rules: Decimal amounts quantised to each currency's minor unit, prices in the
converted currencies (JPY, KRW: shop.currencies), and locale-aware formatting with babel."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.numbers import format_currency

from shop import currencies, currency_rates, languages
from shop.currencies import UnknownCurrency

# ISO 4217 minor units. VND, JPY and KRW have none (and are zero-decimal in Stripe too).
MINOR_UNITS: dict[str, int] = {code: c.minor_units for code, c in currencies.REGISTRY.items()}
CURRENCIES: tuple[str, ...] = currencies.CODES

__all__ = [
    "CURRENCIES",
    "MINOR_UNITS",
    "UnknownCurrency",
    "column_price",
    "exponent",
    "format_money",
    "from_usd",
    "quantize",
    "table_price",
    "to_minor_units",
]


def exponent(currency: str) -> int:
    return currencies.get(currency).minor_units


def quantize(amount: Decimal | int | str, currency: str) -> Decimal:
    """Round half up to the currency's minor unit: 12.345 USD -> 12.35, 1500.4 VND -> 1500."""
    places = exponent(currency)
    return Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_minor_units(amount: Decimal, currency: str) -> int:
    """The integer amount Stripe expects: 12.50 USD -> 1250, 250000 VND -> 250000,
    2900 JPY -> 2900 (zero-decimal: the whole amount)."""
    return int(quantize(amount, currency).scaleb(exponent(currency)))


def from_usd(amount: Decimal | int | str, currency: str) -> Decimal:
    """A stored USD amount in a converted currency at the current rate, rounded to its shelf
    step (10 yen, 100 won). Raises currency_rates.NoRate when the admin has no rate yet."""
    converted = currencies.convert(Decimal(amount), currency, currency_rates.rate(currency))
    return quantize(converted, currency)


def column_price(row: Any, prefix: str, currency: str) -> Decimal | None:
    """A price kept per currency in `<prefix>_<code>` columns (Variant.price_usd,
    ShippingZone.free_over_eur …), for an instance or a dict row: the currency's own column
    when it is stored, else the USD column converted; None stays None (no threshold)."""
    spec = currencies.get(currency)
    code = currency if spec.stored else currencies.BASE
    name = f"{prefix}_{code.lower()}"
    value = row[name] if isinstance(row, dict) else getattr(row, name)
    if value is None:
        return None
    return quantize(value, currency) if spec.stored else from_usd(value, currency)


def table_price(table: dict[str, Any], currency: str) -> Decimal:
    """A fee given per stored currency ({"USD": "4.00", "EUR": "3.50", …}, e.g.
    settings.GIFT_WRAP_FEES): its own entry, else the USD entry converted."""
    if currency in table:
        return quantize(Decimal(table[currency]), currency)
    currencies.get(currency)
    return from_usd(Decimal(table[currencies.BASE]), currency)


def format_money(amount: Decimal, currency: str, language: str) -> str:
    """'$12.50' in English, '12,50 US$' in Vietnamese, '12,50 €' in German, '250.000 ₫'
    for VND, '￥2,900' in Japanese."""
    locale = languages.babel_locale(language)
    return format_currency(quantize(amount, currency), currency, locale=locale)
