"""Row locks on batches. Every writer locks in primary-key order, in one statement, so two
transactions never wait on each other in a cycle; availability is read afterwards, in a new
statement that sees every hold and allocation committed before the lock was granted."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from shop.models import Batch, Variant


@dataclass(frozen=True)
class Need:
    """Units of one stocked variant that a cart line needs. A gift set is stocked in its own
    box lots (made by shop.fulfilment.assembly), so every variant needs only itself."""

    variant_id: int
    units: int
    per_item: int = 1


def needs_for(*, variant: Variant, quantity: int) -> list[Need]:
    return [Need(variant.pk, quantity)]


def lock_batches(batch_ids: Iterable[int]) -> None:
    ids = set(batch_ids)
    if ids:
        list(
            Batch.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def locked_sellable(variant_ids: Iterable[int], now: datetime.datetime) -> list[Batch]:
    """Lock the on-sale batches of the variants, then read their availability, FEFO first."""
    ids = set(variant_ids)
    lock_batches(Batch.objects.on_sale().filter(variant_id__in=ids).values_list("pk", flat=True))
    return list(Batch.objects.on_sale().filter(variant_id__in=ids).with_available(now).fefo())


def take_fefo(batches: list[Batch], need: Need) -> list[tuple[Batch, int]]:
    """Plan units for `need` from `batches` in order, decrementing their `available`.
    Returns [] when the batches cannot give every unit."""
    taken, missing = [], need.units
    for batch in batches:
        if missing == 0:
            break
        if batch.variant_id != need.variant_id or batch.available <= 0:
            continue
        units = min(batch.available, missing)
        batch.available -= units
        taken.append((batch, units))
        missing -= units
    return taken if missing == 0 else []


def items_available(batches: list[Batch], needs: list[Need]) -> int:
    """How many whole items the batches can give."""
    totals: dict[int, int] = {}
    for batch in batches:
        totals[batch.variant_id] = totals.get(batch.variant_id, 0) + max(batch.available, 0)
    return min(totals.get(n.variant_id, 0) // n.per_item for n in needs)
