"""Destination taxes and duties on a consignment: who pays them and how much (selectors).

`rate_table` reads a country's rates valid on a day (one query for its VAT/GST rates, one
for its duty rates; none for Vietnam or no country). `quote` is pure: given the table, the
currency and the lines, it says which TaxMode applies and prices it:

- Vietnam (domestic) -> NONE, with a note; a country without any rate row -> NONE, no note.
- The country's rates collect at sale up to a value (`TaxRate.collect_up_to_eur`, the EU's
  IOSS 150) and the goods are worth no more than that in EUR (each variant's `price_eur`
  times its quantity, whatever the order's currency; shipping is not part of the value)
  -> COLLECTED: each line pays the destination's rate for its product's tax category.
- Otherwise -> DAP: nothing is charged, the recipient pays VAT and duties on delivery. When a
  DutyRate exists for every line's HS code, a delivered-duty-paid price is offered, and the
  shopper may choose it (`duties_paid`) -> DDP.

Every amount is in the order's currency and quantised via shop.money. Tax is computed and
rounded per line; `tax_total` and `duties_total` are the sums of the rounded lines. The
collected VAT is charged on the goods only (not on shipping).
"""

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Protocol

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from shop.models import DutyRate, TaxCategory, TaxMode, TaxRate, Variant
from shop.money import quantize

DOMESTIC = "VN"
ZERO = Decimal(0)
HUNDRED = Decimal(100)


class TaxableLine(Protocol):
    """What a quote needs of a line (a carts.CartRow is one): the variant with its product
    loaded, the quantity, and the line's price in the order's currency."""

    @property
    def variant(self) -> Variant: ...

    @property
    def quantity(self) -> int: ...

    @property
    def line_total(self) -> Decimal: ...


@dataclass(frozen=True)
class RateTable:
    """A country's rates valid on one day: VAT/GST by category, duties by HS prefix."""

    country: str
    tax_rates: dict[str, TaxRate] = field(default_factory=dict)
    duty_rates: tuple[DutyRate, ...] = ()

    @property
    def is_known(self) -> bool:
        return bool(self.tax_rates or self.duty_rates)

    @property
    def collect_up_to_eur(self) -> Decimal | None:
        limits = [r.collect_up_to_eur for r in self.tax_rates.values() if r.collect_up_to_eur]
        return min(limits) if limits else None

    @property
    def prices_include_tax(self) -> bool:
        return any(rate.prices_include_tax for rate in self.tax_rates.values())

    def tax_rate(self, category: str) -> Decimal:
        """The rate (%) of a category; a category without a row pays the standard rate."""
        row = self.tax_rates.get(category) or self.tax_rates.get(TaxCategory.STANDARD)
        return row.rate if row is not None else ZERO

    def duty_rate(self, hs_code: str) -> Decimal | None:
        """The duty (%) of the longest prefix of `hs_code` in the table (None: unknown)."""
        matches = [d for d in self.duty_rates if hs_code and hs_code.startswith(d.hs_prefix)]
        if not matches:
            return None
        return max(matches, key=lambda d: len(d.hs_prefix)).rate


def rate_table(*, country: str, day: datetime.date) -> RateTable:
    """The rates of `country` valid on `day` (the newest row wins where two are valid)."""
    code = (country or "").upper()
    if not code or code == DOMESTIC:
        return RateTable(country=code)
    tax_rates: dict[str, TaxRate] = {}
    for row in TaxRate.objects.valid_on(day).filter(country=code).order_by("-valid_from"):
        tax_rates.setdefault(row.category, row)
    newest: dict[str, DutyRate] = {}
    for duty in DutyRate.objects.valid_on(day).filter(country=code).order_by("-valid_from"):
        newest.setdefault(duty.hs_prefix, duty)
    return RateTable(country=code, tax_rates=tax_rates, duty_rates=tuple(newest.values()))


@dataclass(frozen=True)
class TaxLine:
    """One line's destination tax: `rate` (%) and `amount` are what the shop charges (both 0
    when it charges nothing); `duty` is the DDP duty on the line (0 otherwise)."""

    variant_id: int
    line_total: Decimal
    rate: Decimal
    amount: Decimal
    duty: Decimal = ZERO

    @property
    def gross(self) -> Decimal:
        return self.line_total + self.amount


@dataclass(frozen=True)
class TaxQuote:
    country: str
    currency: str
    mode: str  # a TaxMode value
    lines: tuple[TaxLine, ...]
    tax_total: Decimal
    duties_total: Decimal
    # The shopper sees line prices with the tax in (only when the tax is collected).
    prices_include_tax: bool
    goods_value_eur: Decimal
    ddp_offered: bool
    note: str

    @property
    def charged(self) -> Decimal:
        """What the shopper pays at checkout on top of goods, shipping and wrap."""
        return self.tax_total + self.duties_total

    @property
    def subtotal(self) -> Decimal:
        """The goods as the shopper sees them: with the tax in where prices include it."""
        net = sum((line.line_total for line in self.lines), ZERO)
        return quantize(net + (self.tax_total if self.prices_include_tax else 0), self.currency)

    @property
    def by_rate(self) -> list[tuple[Decimal, Decimal]]:
        """(rate, tax) for each rate charged, lowest rate first, for the "VAT 19%" lines."""
        sums: dict[Decimal, Decimal] = {}
        for line in self.lines:
            if line.amount:
                sums[line.rate] = sums.get(line.rate, ZERO) + line.amount
        return sorted(sums.items())

    @property
    def country_name(self) -> str:
        return str(countries.name(self.country)) if self.country else ""

    @property
    def tax_name(self) -> str:
        return tax_name(self.country)

    def line_for(self, variant_id: int) -> TaxLine | None:
        return next((line for line in self.lines if line.variant_id == variant_id), None)


# What shoppers there call the tax (EU and UK: VAT).
TAX_NAMES = {"AU": gettext_lazy("GST"), "JP": gettext_lazy("consumption tax")}


def tax_name(country: str) -> str:
    return str(TAX_NAMES.get(country, _("VAT")))


def quote(
    *,
    table: RateTable,
    currency: str,
    lines: list[TaxableLine],
    shipping: Decimal = ZERO,
    duties_paid: bool = False,
) -> TaxQuote:
    """The destination taxes of a consignment (see the module docstring for the rules).

    DDP, priced only when offered and `duties_paid` (else the quote stays DAP), follows the
    customs of an importing country: duty_i = line_total_i x duty%; the line's import VAT_i =
    (line_total_i + shipping x line_total_i / goods + duty_i) x VAT%, each rounded per line.
    `shipping` (in `currency`) matters for DDP only. No database query.
    """
    value_eur = quantize(
        sum((line.variant.price_eur * line.quantity for line in lines), ZERO), "EUR"
    )
    common = {"country": table.country, "currency": currency, "goods_value_eur": value_eur}
    if table.country == DOMESTIC:
        note = _("Shipped within Vietnam: there are no import duties or taxes.")
        return _untaxed(lines, mode=TaxMode.NONE, note=note, **common)
    if not table.is_known:
        return _untaxed(lines, mode=TaxMode.NONE, note="", **common)
    limit = table.collect_up_to_eur
    if limit is not None and value_eur <= limit:
        taxed = tuple(_collected_line(line, table, currency) for line in lines)
        return TaxQuote(
            mode=TaxMode.COLLECTED,
            lines=taxed,
            tax_total=quantize(sum((t.amount for t in taxed), ZERO), currency),
            duties_total=quantize(0, currency),
            prices_include_tax=table.prices_include_tax,
            ddp_offered=False,
            note=_("%(tax)s is included: there is nothing more to pay on delivery.")
            % {"tax": tax_name(table.country)},
            **common,
        )
    duties = [table.duty_rate(line.variant.product.hs_code) for line in lines]
    offered = bool(lines) and all(rate is not None for rate in duties)
    if offered and duties_paid:
        return _ddp(table, currency, lines, duties, shipping, common)
    if limit is not None:
        note = _(
            "This order is worth more than €%(limit)s, so no %(tax)s is charged here: the "
            "recipient pays it and any import duties to the carrier on delivery."
        ) % {"limit": rate_label(limit), "tax": tax_name(table.country)}
    else:
        note = _("Import duties and taxes are paid by the recipient on delivery.")
    if offered:
        note = f"{note} {_('You can also pay them now, at checkout.')}"
    return replace(_untaxed(lines, mode=TaxMode.DAP, note=note, **common), ddp_offered=offered)


def _untaxed(lines, *, country, currency, goods_value_eur, mode, note) -> TaxQuote:
    none = quantize(0, currency)
    return TaxQuote(
        country=country,
        currency=currency,
        mode=mode,
        lines=tuple(
            TaxLine(variant_id=line.variant.pk, line_total=line.line_total, rate=ZERO, amount=none)
            for line in lines
        ),
        tax_total=none,
        duties_total=none,
        prices_include_tax=False,
        goods_value_eur=goods_value_eur,
        ddp_offered=False,
        note=note,
    )


def _collected_line(line: TaxableLine, table: RateTable, currency: str) -> TaxLine:
    rate = table.tax_rate(line.variant.product.tax_category)
    return TaxLine(
        variant_id=line.variant.pk,
        line_total=line.line_total,
        rate=rate,
        amount=quantize(line.line_total * rate / HUNDRED, currency),
    )


def _ddp(table, currency, lines, duties, shipping, common) -> TaxQuote:
    goods = sum((line.line_total for line in lines), ZERO)
    taxed = []
    for line, duty_rate in zip(lines, duties, strict=True):
        duty = quantize(line.line_total * duty_rate / HUNDRED, currency)
        freight = shipping * line.line_total / goods if goods else ZERO
        rate = table.tax_rate(line.variant.product.tax_category)
        vat = quantize((line.line_total + freight + duty) * rate / HUNDRED, currency)
        taxed.append(
            TaxLine(
                variant_id=line.variant.pk,
                line_total=line.line_total,
                rate=rate,
                amount=vat,
                duty=duty,
            )
        )
    return TaxQuote(
        mode=TaxMode.DDP,
        lines=tuple(taxed),
        tax_total=quantize(sum((t.amount for t in taxed), ZERO), currency),
        duties_total=quantize(sum((t.duty for t in taxed), ZERO), currency),
        prices_include_tax=False,
        ddp_offered=True,
        note=_("Duties and import taxes are paid at checkout: nothing more to pay on delivery."),
        **common,
    )


def rate_label(rate: Decimal) -> str:
    """19.00 -> "19", 5.50 -> "5.5" (for "VAT 19%")."""
    text = f"{rate:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def destination_quote(
    *, country: str, currency: str, lines: list[TaxableLine], day: datetime.date | None = None
) -> TaxQuote | None:
    """The taxes of lines going to `country` before a shipping method is chosen (the cart
    page); None when the destination is not known yet or there are no lines. Two queries
    at most (rate_table)."""
    if not country or not lines:
        return None
    table = rate_table(country=country, day=day or timezone.localdate())
    return quote(table=table, currency=currency, lines=lines)


@dataclass(frozen=True)
class OrderTaxes:
    """An order's destination taxes as its pages, emails and slips show them: on top of the
    net amounts, like an invoice (the same names as TaxQuote, for the same templates)."""

    country: str
    currency: str
    mode: str
    by_rate: list[tuple[Decimal, Decimal]]
    tax_total: Decimal
    duties_total: Decimal
    prices_include_tax: bool = False

    country_name = TaxQuote.country_name
    tax_name = TaxQuote.tax_name

    @property
    def note(self) -> str:
        if self.mode == TaxMode.COLLECTED:
            return _("%(tax)s is included: there is nothing more to pay on delivery.") % {
                "tax": self.tax_name
            }
        if self.mode == TaxMode.DAP:
            return _("Import duties and taxes are paid by the recipient on delivery.")
        if self.mode == TaxMode.DDP:
            return _(
                "Duties and import taxes were paid at checkout: nothing more to pay on delivery."
            )
        return ""


def order_taxes(order) -> OrderTaxes:
    """The taxes an order stored (its lines read through order.lines.all(): prefetch them)."""
    sums: dict[Decimal, Decimal] = {}
    for line in order.lines.all():
        if line.tax_amount:
            sums[line.tax_rate] = sums.get(line.tax_rate, ZERO) + line.tax_amount
    return OrderTaxes(
        country=str(order.shipping_address.country),
        currency=order.currency,
        mode=order.tax_mode,
        by_rate=sorted(sums.items()),
        tax_total=order.tax_total,
        duties_total=order.duties_total,
    )


def labelled_lines(quote: TaxQuote | OrderTaxes) -> list[tuple[str, Decimal]]:
    """("VAT 19% (Germany)", amount) for each rate charged, then the duties, worded in the
    active language (the emails; the pages word the same in shop/tax_lines.html)."""
    rows = []
    for rate, amount in quote.by_rate:
        values = {"tax": quote.tax_name, "rate": rate_label(rate), "country": quote.country_name}
        if quote.prices_include_tax:
            label = _("incl. %(tax)s %(rate)s%% (%(country)s)") % values
        elif quote.mode == TaxMode.DDP:
            label = _("Import %(tax)s %(rate)s%% (%(country)s)") % values
        else:
            label = _("%(tax)s %(rate)s%% (%(country)s)") % values
        rows.append((label, amount))
    if quote.duties_total:
        label = _("Import duties (%(country)s)") % {"country": quote.country_name}
        rows.append((label, quote.duties_total))
    return rows
