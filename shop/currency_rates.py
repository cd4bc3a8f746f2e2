"""The current exchange rates of the converted currencies (shop.currencies: JPY, KRW).

All rates are read in one query and kept for the rest of the request: CurrencyMiddleware
calls `forget()` as each request starts, so a page of 24 cards reads the table once, and a
rate saved in the admin shows on the next request. Outside a request (emails, tasks) the
copy is kept RATE_MEMO_SECONDS, so a worker that renders many emails does not read it per
email but still sees a new rate within a minute.
"""

import threading
import time
from decimal import Decimal

from django.apps import apps
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from shop import currencies

RATE_MEMO_SECONDS = 60.0


class NoRate(LookupError):
    """No exchange rate is valid yet for a converted currency."""


_memo = threading.local()


def forget() -> None:
    """Drop the kept rates; the next price in a converted currency reads them again."""
    _memo.rates = None


def current_rates() -> dict[str, Decimal]:
    """{"JPY": Decimal("152.37"), ...}: per converted currency, the rate with the latest
    `valid_from` not in the future. One query, then kept (see the module's docstring)."""
    kept = getattr(_memo, "rates", None)
    if kept is not None and time.monotonic() - kept[0] < RATE_MEMO_SECONDS:
        return kept[1]
    # Model looked up by name: shop.models imports shop.money, which reads rates from here.
    rate_model = apps.get_model("shop", "CurrencyRate")
    now = timezone.now()
    latest = (
        rate_model.objects.filter(
            currency=OuterRef("currency"), base=currencies.BASE, valid_from__lte=now
        )
        .order_by("-valid_from")
        .values("valid_from")[:1]
    )
    rows = rate_model.objects.filter(
        base=currencies.BASE, valid_from__lte=now, valid_from=Subquery(latest)
    ).values_list("currency", "rate")
    rates = {code: Decimal(rate) for code, rate in rows}
    _memo.rates = (time.monotonic(), rates)
    return rates


def rate(code: str) -> Decimal:
    """Units of a converted currency per USD now; NoRate when the admin has none yet."""
    try:
        return current_rates()[code]
    except KeyError as exc:
        raise NoRate(code) from exc


def usable(code: str) -> bool:
    """Whether prices can be shown in this currency: a stored one, or a converted one with a
    rate."""
    return currencies.is_stored(code) or code in current_rates()
