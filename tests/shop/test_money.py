from decimal import Decimal

import pytest

from shop.money import UnknownCurrency, format_money, quantize, to_minor_units


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("12.345", "USD", Decimal("12.35")),
        ("12.344", "EUR", Decimal("12.34")),
        ("250000.5", "VND", Decimal("250001")),
        ("250000.4", "VND", Decimal("250000")),
    ],
)
def test_quantize_rounds_half_up_to_the_minor_unit(amount, currency, expected):
    result = quantize(Decimal(amount), currency)

    assert result == expected
    assert result.as_tuple().exponent == expected.as_tuple().exponent


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("250000", "VND", 250000), ("12.50", "USD", 1250), ("0.99", "EUR", 99), ("7", "USD", 700)],
)
def test_stripe_amounts_are_minor_units_and_vnd_is_zero_decimal(amount, currency, minor):
    assert to_minor_units(Decimal(amount), currency) == minor


def test_unknown_currency_is_refused():
    with pytest.raises(UnknownCurrency):
        quantize(Decimal("1"), "GBP")


def test_formatting_follows_the_locale():
    assert format_money(Decimal("12.5"), "USD", "en") == "$12.50"
    assert format_money(Decimal("250000"), "VND", "vi") == "250.000\xa0₫"
    assert format_money(Decimal("11.5"), "EUR", "vi") == "11,50\xa0€"
