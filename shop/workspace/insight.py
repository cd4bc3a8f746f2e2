"""Reads for the workspace's insight page: what sold, from which batch, and where the QR codes
were scanned. Scoped to one cooperative like shop.workspace.selectors.

Sales count the units of order lines' batch records in state `sold` (paid orders); a gift
set sells from its own box lots, so its sales count there. Scans come from
traceability.selectors.scans_by_day_and_country, read only for a batch of this cooperative.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from shop.models import AllocationState, Batch, OrderLineBatch
from shop.workspace import selectors
from traceability.models import ScanCount
from traceability.selectors import scans_by_day_and_country

SCAN_DAYS = 30


@dataclass(frozen=True)
class Sales:
    label: str
    units: int


def _sold(cooperative_id: int):
    return OrderLineBatch.objects.filter(
        state=AllocationState.SOLD, batch__variant__product__cooperative_id=cooperative_id
    ).order_by()


def _product_name(row: dict) -> str:
    first, second = ("name_vi", "name_en") if get_language() == "vi" else ("name_en", "name_vi")
    return row[f"batch__variant__product__{first}"] or row[f"batch__variant__product__{second}"]


def sales_per_batch(*, cooperative_id: int) -> list[Sales]:
    """Units sold from each batch, most first."""
    rows = (
        _sold(cooperative_id)
        .values(
            "batch",
            "batch__lot_code",
            "batch__variant__product__name_en",
            "batch__variant__product__name_vi",
        )
        .annotate(units=Sum("quantity"))
        .order_by("-units", "batch__lot_code")
    )
    return [Sales(f"{row['batch__lot_code']} · {_product_name(row)}", row["units"]) for row in rows]


def sales_per_product(*, cooperative_id: int) -> list[Sales]:
    """Units sold of each product, over all its variants and batches, most first."""
    rows = (
        _sold(cooperative_id)
        .values(
            "batch__variant__product",
            "batch__variant__product__name_en",
            "batch__variant__product__name_vi",
        )
        .annotate(units=Sum("quantity"))
        .order_by("-units", "batch__variant__product")
    )
    return [Sales(_product_name(row), row["units"]) for row in rows]


def most_scanned_batch(*, cooperative_id: int, today: datetime.date | None = None) -> int | None:
    """The id of the cooperative's batch scanned most over the last SCAN_DAYS days, if any:
    the batch the insight page opens on."""
    since = (today or timezone.localdate()) - datetime.timedelta(days=SCAN_DAYS - 1)
    return (
        ScanCount.objects.filter(
            batch__variant__product__cooperative_id=cooperative_id, day__gte=since
        )
        .values("batch")
        .annotate(scans=Sum("count"))
        .order_by("-scans", "-batch")
        .values_list("batch", flat=True)
        .first()
    )


@dataclass(frozen=True)
class Scans:
    batch: Batch
    days: list[tuple[datetime.date, int]]  # every day of the window, oldest first, 0 included
    countries: list[tuple[str, int]]  # country name, scans; most first

    @property
    def total(self) -> int:
        return sum(count for _day, count in self.days)


def batch_scans(*, cooperative_id: int, batch_id: int, today: datetime.date | None = None) -> Scans:
    """Scans of one of the cooperative's batches over the last SCAN_DAYS days, by day and
    by country. Raises Batch.DoesNotExist for another cooperative's batch."""
    found = selectors.batch(cooperative_id=cooperative_id, batch_id=batch_id)
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=SCAN_DAYS - 1)
    rows = scans_by_day_and_country(batch_id=found.pk, since=since)
    by_day: Counter = Counter()
    by_country: Counter = Counter()
    for row in rows:
        by_day[row["day"]] += row["count"]
        by_country[row["country"]] += row["count"]
    days = [
        (since + datetime.timedelta(days=offset), by_day[since + datetime.timedelta(days=offset)])
        for offset in range(SCAN_DAYS)
    ]
    named = [
        (countries.name(code) if code else _("Unknown"), count)
        for code, count in sorted(by_country.items(), key=lambda item: (-item[1], item[0]))
    ]
    return Scans(batch=found, days=days, countries=named)
