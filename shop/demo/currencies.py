"""Demo exchange rates for the converted currencies (JPY, KRW), valid from the first day of
2026. Idempotent: a rate is matched by currency and first moment of validity and brought
back to the figure below; operators enter real ones in the admin."""

import datetime
from decimal import Decimal

from django.db import transaction

from shop import currencies
from shop.models import CurrencyRate

FROM = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
SOURCE = "Demo figure near the market rate of late 2026; replace it in the admin"
# Units per USD.
RATES: dict[str, Decimal] = {"JPY": Decimal("152.40"), "KRW": Decimal("1390.50")}


def load_currency_rates() -> int:
    """Writes or corrects one CurrencyRate per converted currency; returns how many."""
    with transaction.atomic():
        for code, rate in RATES.items():
            CurrencyRate.objects.update_or_create(
                currency=code,
                base=currencies.BASE,
                valid_from=FROM,
                defaults={"rate": rate, "source": SOURCE},
            )
    return len(RATES)
