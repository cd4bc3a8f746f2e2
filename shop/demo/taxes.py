"""Demo destination taxes: VAT/GST for the EU 27, the UK, Japan, Korea and Australia, and US
duties for the demo's HS headings. Idempotent: rates are matched by country, category (or
HS prefix) and first day of validity, and brought back to the data below.

Food is the reduced rate most foodstuffs pay there (honey, tea, rice, dried fruit); some
countries tax a few of them otherwise. Figures as known for 2025-2026; operators correct
them in the admin (each row names its source).
"""

import datetime
from decimal import Decimal

from django.db import transaction

from shop.models import DutyRate, TaxCategory, TaxRate

FROM = datetime.date(2026, 1, 1)
EU_SOURCE = (
    "European Commission, VAT rates in the EU, 2026-01-01 (food: the reduced rate of most "
    "foodstuffs)"
)
IOSS_EUR = Decimal("150.00")

# country: (standard %, food %)
EU_RATES: dict[str, tuple[str, str]] = {
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
# Sweden halved its food VAT from 1 April 2026 (to the end of 2027): the rate before it.
SWEDEN_FOOD_BEFORE = (Decimal(12), datetime.date(2026, 3, 31))
SWEDEN_FOOD_FROM = datetime.date(2026, 4, 1)

# country: (standard %, food %, collected at sale up to EUR or None, prices shown with tax, source)
OTHER_RATES: dict[str, tuple[str, str, Decimal | None, bool, str]] = {
    "GB": (
        "20",
        "0",
        Decimal("155.00"),
        True,
        "HMRC, VAT on goods sold to customers in the UK: the seller charges UK VAT on "
        "consignments up to GBP 135 (stored as EUR 155 at 1 GBP = 1.15 EUR), 2026-01-01",
    ),
    "JP": (
        "10",
        "8",
        None,
        True,
        "National Tax Agency Japan, consumption tax (8% reduced rate on food), 2026-01-01",
    ),
    "KR": ("10", "10", None, False, "National Tax Service Korea, VAT, 2026-01-01"),
    "AU": (
        "10",
        "0",
        Decimal("560.00"),
        True,
        "Australian Taxation Office, GST on low value imported goods up to AUD 1,000 "
        "(stored as EUR 560 at 1 AUD = 0.56 EUR); most basic food is GST-free, 2026-01-01",
    ),
}

US_SOURCE = (
    "USITC HTS 2026: general rate plus the 20% reciprocal tariff on goods of Vietnam, as an "
    "ad valorem equivalent (demo figures); the USD 800 de minimis is suspended since "
    "2025-08-29, so every parcel pays duty"
)
# HS prefix: duty % (the demo's headings: tea, coffee, spices, honey, fruit, rice, sauces,
# wine, seafood, silk, bags, ceramics, wood, baskets, scarves)
US_DUTIES: dict[str, str] = {
    "0902": "20.00",
    "0901": "20.00",
    "0904": "20.00",
    "0409": "21.00",
    "0813": "22.00",
    "1006": "31.20",
    "1211": "20.00",
    "2008": "31.20",
    "2103": "26.40",
    "2206": "20.00",
    "0306": "20.00",
    "0307": "20.00",
    "5007": "26.90",
    "4202": "37.60",
    "6912": "29.80",
    "6913": "26.00",
    "4420": "23.20",
    "4602": "26.60",
    "6214": "21.10",
}


def tax_rows() -> list[dict]:
    """Every demo TaxRate as the values of its row."""
    rows = []
    for country, (standard, food) in EU_RATES.items():
        for category, rate in ((TaxCategory.STANDARD, standard), (TaxCategory.FOOD, food)):
            start = SWEDEN_FOOD_FROM if (country, category) == ("SE", TaxCategory.FOOD) else FROM
            rows.append(_row(country, category, rate, IOSS_EUR, True, EU_SOURCE, start))
    before, until = SWEDEN_FOOD_BEFORE
    rows.append(
        {
            **_row("SE", TaxCategory.FOOD, before, IOSS_EUR, True, EU_SOURCE, FROM),
            "valid_until": until,
        }
    )
    for country, (standard, food, limit, inclusive, source) in OTHER_RATES.items():
        for category, rate in ((TaxCategory.STANDARD, standard), (TaxCategory.FOOD, food)):
            rows.append(_row(country, category, rate, limit, inclusive, source, FROM))
    return rows


def _row(country, category, rate, limit, inclusive, source, start) -> dict:
    return {
        "country": country,
        "category": category,
        "rate": Decimal(rate),
        "collect_up_to_eur": limit,
        "prices_include_tax": inclusive,
        "source": source,
        "valid_from": start,
        "valid_until": None,
    }


def load_taxes() -> tuple[int, int]:
    """Write the demo tax and duty rates; returns how many of each there are."""
    rows = tax_rows()
    with transaction.atomic():
        for row in rows:
            key = {name: row[name] for name in ("country", "category", "valid_from")}
            TaxRate.objects.update_or_create(
                **key, defaults={k: v for k, v in row.items() if k not in key}
            )
        for prefix, rate in US_DUTIES.items():
            DutyRate.objects.update_or_create(
                country="US",
                hs_prefix=prefix,
                valid_from=FROM,
                defaults={"rate": Decimal(rate), "source": US_SOURCE, "valid_until": None},
            )
    return len(rows), len(US_DUTIES)
