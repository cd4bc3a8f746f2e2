"""Template filters that show prices the way the destination expects: with its VAT in where
shoppers there see prices so (shop.taxes.TaxQuote.prices_include_tax), else as they are."""

from decimal import Decimal

from django import template

from shop import taxes
from shop.money import quantize
from shop.taxes import OrderTaxes, TaxQuote, rate_label

register = template.Library()


def _taxed(quote: TaxQuote | None, variant_id: int):
    if quote is None or not quote.prices_include_tax:
        return None
    return quote.line_for(variant_id)


@register.filter
def shown_total(row, quote: TaxQuote | None) -> Decimal:
    """{% money row|shown_total:tax_quote currency %}: the line's total, VAT in if shown so."""
    line = _taxed(quote, row.variant.pk)
    return line.gross if line else row.line_total


@register.filter
def shown_unit(row, quote: TaxQuote | None) -> Decimal:
    """The unit price, VAT in if shown so (the line's rate; the line total is rounded once)."""
    line = _taxed(quote, row.variant.pk)
    if line is None:
        return row.unit_price
    return quantize(row.unit_price * (100 + line.rate) / 100, quote.currency)


@register.filter
def percent(rate: Decimal) -> str:
    """19.00 -> "19", 5.50 -> "5.5"."""
    return rate_label(rate)


@register.filter
def order_taxes(order) -> OrderTaxes:
    """{% with taxes=order|order_taxes %}: the order's VAT by rate, duties and note."""
    return taxes.order_taxes(order)
