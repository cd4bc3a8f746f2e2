"""shop.taxes: VAT collected at the destination's rate for EU consignments up to EUR 150,
DAP above it and elsewhere, DDP offered only with a full duty table."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from shop import taxes
from shop.demo.taxes import load_taxes
from shop.models import DutyRate, TaxCategory, TaxMode, TaxRate, Variant
from tests.factories import VariantFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 1)

# The EU 27's standard and food rates of the demo data, valid on DAY.
EU = {
    "AT": ("20", "10"),
    "BE": ("21", "6"),
    "BG": ("20", "20"),
    "HR": ("25", "13"),
    "CY": ("19", "5"),
    "CZ": ("21", "12"),
    "DK": ("25", "25"),
    "EE": ("24", "24"),
    "FI": ("25.5", "13.5"),
    "FR": ("20", "5.5"),
    "DE": ("19", "7"),
    "GR": ("24", "13"),
    "HU": ("27", "18"),
    "IE": ("23", "0"),
    "IT": ("22", "10"),
    "LV": ("21", "21"),
    "LT": ("21", "21"),
    "LU": ("17", "3"),
    "MT": ("18", "0"),
    "NL": ("21", "9"),
    "PL": ("23", "5"),
    "PT": ("23", "6"),
    "RO": ("21", "11"),
    "SK": ("23", "19"),
    "SI": ("22", "9.5"),
    "ES": ("21", "10"),
    "SE": ("25", "6"),
}


@dataclass(frozen=True)
class Line:
    variant: Variant
    quantity: int
    line_total: Decimal


def line(*, eur: str, quantity: int = 1, total: str | None = None, **product) -> Line:
    """A line of `quantity` units at `eur` each; its total in the order's currency is
    `total` (the EUR amount when not given)."""
    variant = VariantFactory(
        price_eur=Decimal(eur), **{f"product__{k}": v for k, v in product.items()}
    )
    amount = Decimal(total) if total else Decimal(eur) * quantity
    return Line(variant=variant, quantity=quantity, line_total=amount)


def quote(country: str, lines: list[Line], *, currency: str = "EUR", day=DAY, **kwargs):
    table = taxes.rate_table(country=country, day=day)
    return taxes.quote(table=table, currency=currency, lines=lines, **kwargs)


@pytest.mark.parametrize("country", sorted(EU))
def test_every_eu_country_collects_its_own_rates_up_to_150_euros(country):
    load_taxes()
    standard, food = (Decimal(rate) for rate in EU[country])
    honey = line(eur="98.90", tax_category=TaxCategory.FOOD)
    scarf = line(eur="25.55", quantity=2, tax_category=TaxCategory.STANDARD)

    result = quote(country, [honey, scarf])

    food_tax = (Decimal("98.90") * food / 100).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    standard_tax = (Decimal("51.10") * standard / 100).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    assert result.mode == TaxMode.COLLECTED
    assert result.goods_value_eur == Decimal("150.00")
    assert [(t.rate, t.amount) for t in result.lines] == [
        (food, food_tax),
        (standard, standard_tax),
    ]
    assert result.tax_total == food_tax + standard_tax
    assert result.duties_total == Decimal("0.00")
    assert result.prices_include_tax is True
    assert result.charged == food_tax + standard_tax


@pytest.mark.parametrize("country", sorted(EU))
def test_no_eu_country_charges_vat_over_150_euros(country):
    load_taxes()
    honey = line(eur="98.90", tax_category=TaxCategory.FOOD)
    scarf = line(eur="51.11", tax_category=TaxCategory.STANDARD)

    result = quote(country, [honey, scarf])

    assert result.mode == TaxMode.DAP
    assert result.goods_value_eur == Decimal("150.01")
    assert [(t.rate, t.amount) for t in result.lines] == [(0, 0), (0, 0)]
    assert (result.tax_total, result.duties_total, result.charged) == (0, 0, 0)
    assert result.prices_include_tax is False
    assert result.note == (
        "This order is worth more than €150, so no VAT is charged here: the recipient pays "
        "it and any import duties to the carrier on delivery."
    )


def test_german_vat_of_a_cart_and_its_labels():
    load_taxes()
    honey = line(eur="9.90", quantity=3, tax_category=TaxCategory.FOOD)
    bowl = line(eur="24.00", tax_category=TaxCategory.STANDARD)

    result = quote("DE", [honey, bowl])

    assert result.by_rate == [
        (Decimal("7.00"), Decimal("2.08")),
        (Decimal("19.00"), Decimal("4.56")),
    ]
    assert result.subtotal == Decimal("60.34")  # 29.70 + 24.00 + 6.64 VAT, shown with VAT in
    assert result.country_name == "Germany"
    assert result.tax_name == "VAT"
    assert result.line_for(bowl.variant.pk).gross == Decimal("28.56")
    assert [taxes.rate_label(rate) for rate, _ in result.by_rate] == ["7", "19"]
    assert result.note == "VAT is included: there is nothing more to pay on delivery."


def test_a_usd_cart_is_valued_in_euros_for_the_threshold_and_taxed_in_dollars():
    load_taxes()
    # 160 USD of goods, but 149.50 EUR by the variants' euro prices: collected.
    tea = line(eur="74.75", quantity=2, total="160.00", tax_category=TaxCategory.FOOD)

    result = quote("FR", [tea], currency="USD")

    assert result.mode == TaxMode.COLLECTED
    assert result.goods_value_eur == Decimal("149.50")
    assert result.tax_total == Decimal("8.80")  # 5.5% of 160.00 USD
    over = quote("FR", [line(eur="75.01", quantity=2, total="160.00")], currency="USD")
    assert (over.mode, over.tax_total) == (TaxMode.DAP, 0)


def test_vnd_amounts_are_whole_dong():
    load_taxes()
    rice = line(eur="20.00", total="545455", tax_category=TaxCategory.FOOD)

    result = quote("DE", [rice], currency="VND")

    assert result.tax_total == Decimal("38182")  # 7% of 545,455 = 38,181.85


def test_the_rate_valid_on_the_day_is_used():
    load_taxes()
    honey = line(eur="50.00", tax_category=TaxCategory.FOOD)

    before = quote("SE", [honey], day=datetime.date(2026, 3, 31))
    after = quote("SE", [honey], day=datetime.date(2026, 4, 1))

    assert (before.lines[0].rate, before.tax_total) == (Decimal("12.00"), Decimal("6.00"))
    assert (after.lines[0].rate, after.tax_total) == (Decimal("6.00"), Decimal("3.00"))
    assert quote("SE", [honey], day=datetime.date(2025, 12, 31)).mode == TaxMode.NONE


def test_uk_collects_up_to_its_threshold_with_zero_rated_food():
    load_taxes()
    tea = line(eur="30.00", tax_category=TaxCategory.FOOD)
    basket = line(eur="17.40", tax_category=TaxCategory.STANDARD)

    result = quote("GB", [tea, basket])

    assert result.mode == TaxMode.COLLECTED
    assert [(t.rate, t.amount) for t in result.lines] == [(0, 0), (Decimal(20), Decimal("3.48"))]


@pytest.mark.parametrize("country", ["JP", "KR"])
def test_countries_without_collection_at_sale_are_dap(country):
    load_taxes()

    result = quote(country, [line(eur="40.00")])

    assert (result.mode, result.tax_total, result.ddp_offered) == (TaxMode.DAP, 0, False)
    assert result.note == "Import duties and taxes are paid by the recipient on delivery."


def test_vietnam_is_domestic_and_an_unknown_country_has_no_note(django_assert_num_queries):
    load_taxes()
    lines = [line(eur="40.00")]

    with django_assert_num_queries(0):
        domestic = quote("VN", lines, currency="VND")
    unknown = quote("CL", lines)

    assert (domestic.mode, domestic.tax_total) == (TaxMode.NONE, 0)
    assert domestic.note == "Shipped within Vietnam: there are no import duties or taxes."
    assert (unknown.mode, unknown.tax_total, unknown.note) == (TaxMode.NONE, 0, "")


def test_a_country_reads_its_rates_in_two_queries(django_assert_num_queries):
    load_taxes()
    with django_assert_num_queries(2):
        table = taxes.rate_table(country="de", day=DAY)
    assert sorted(table.tax_rates) == ["food", "standard"]
    assert table.collect_up_to_eur == Decimal("150.00")


def test_ddp_is_offered_only_when_every_line_has_a_duty_rate():
    load_taxes()
    tea = line(eur="30.00", hs_code="090210")
    unknown = line(eur="20.00", hs_code="961900")

    partial = quote("US", [tea, unknown], duties_paid=True)
    full = quote("US", [tea], duties_paid=False)
    no_code = quote("US", [line(eur="10.00", hs_code="")])

    assert (partial.mode, partial.ddp_offered, partial.charged) == (TaxMode.DAP, False, 0)
    assert (full.mode, full.ddp_offered, full.charged) == (TaxMode.DAP, True, 0)
    assert full.note == (
        "Import duties and taxes are paid by the recipient on delivery. You can also pay them "
        "now, at checkout."
    )
    assert no_code.ddp_offered is False


def test_ddp_prices_duties_and_import_vat_on_goods_shipping_and_duty():
    TaxRate.objects.create(
        country="CH",
        category=TaxCategory.FOOD,
        rate=Decimal("2.60"),
        prices_include_tax=False,
        source="test",
        valid_from=datetime.date(2026, 1, 1),
    )
    TaxRate.objects.create(
        country="CH",
        category=TaxCategory.STANDARD,
        rate=Decimal("8.10"),
        prices_include_tax=False,
        source="test",
        valid_from=datetime.date(2026, 1, 1),
    )
    for prefix, rate in (("0409", "5.00"), ("6912", "3.00"), ("691200", "4.00")):
        DutyRate.objects.create(
            country="CH", hs_prefix=prefix, rate=Decimal(rate), source="test", valid_from=DAY
        )
    honey = line(eur="30.00", hs_code="040900", tax_category=TaxCategory.FOOD)
    bowl = line(eur="10.00", hs_code="691200", tax_category=TaxCategory.STANDARD)

    result = quote("CH", [honey, bowl], shipping=Decimal("8.00"), duties_paid=True)

    # honey: duty 1.50; VAT (30 + 6.00 shipping + 1.50) x 2.6% = 0.975 -> 0.98
    # bowl: duty 0.40 (the longer prefix, 4%); VAT (10 + 2.00 + 0.40) x 8.1% = 1.0044 -> 1.00
    assert result.mode == TaxMode.DDP
    assert [(t.duty, t.rate, t.amount) for t in result.lines] == [
        (Decimal("1.50"), Decimal("2.60"), Decimal("0.98")),
        (Decimal("0.40"), Decimal("8.10"), Decimal("1.00")),
    ]
    assert (result.duties_total, result.tax_total) == (Decimal("1.90"), Decimal("1.98"))
    assert result.charged == Decimal("3.88")
    assert result.prices_include_tax is False


def test_expired_duty_rates_do_not_offer_ddp():
    DutyRate.objects.create(
        country="US",
        hs_prefix="2103",
        rate=Decimal("6.40"),
        source="test",
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2025, 12, 31),
    )

    result = quote("US", [line(eur="10.00", hs_code="210390")])

    assert (result.mode, result.ddp_offered, result.note) == (TaxMode.NONE, False, "")


def test_demo_tax_data_loads_twice_without_duplicates():
    assert load_taxes() == (63, 19)
    assert load_taxes() == (63, 19)
    assert TaxRate.objects.count() == 63
    assert set(TaxRate.objects.values_list("country", flat=True)) == set(EU) | {
        "GB",
        "JP",
        "KR",
        "AU",
    }
    assert DutyRate.objects.filter(country="US").count() == 19
