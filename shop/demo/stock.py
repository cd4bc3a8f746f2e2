"""Plans each demo variant's batches: dates relative to today, quantities and sales.

Pure and deterministic: the same variant on the same day always gets the same plan, and
lot codes do not depend on the date, so a later load finds the batches an earlier one made.
"""

import datetime
import zlib
from dataclasses import dataclass

from shop.demo.specs import ProductSpec, Stock, VariantSpec


@dataclass(frozen=True)
class BatchPlan:
    lot_code: str
    harvest_date: datetime.date
    packing_date: datetime.date
    best_before: datetime.date
    quantity: int
    sold: int
    from_second_village: bool

    @property
    def left(self) -> int:
        return self.quantity - self.sold


def plan_batches(
    *, product: ProductSpec, variant: VariantSpec, today: datetime.date
) -> list[BatchPlan]:
    """Oldest batch first. The oldest batch still in date is the one on sale now (FEFO), so
    it carries the sales; newer batches are untouched. The variant's Stock decides whether
    that batch is nearly gone, whether an older one is sold out, or whether an expired one
    lingers before it."""
    seed = zlib.crc32(variant.sku.encode())
    count = variant.batches
    newest_age = 18 + seed % 17
    spacing = max(30, min(120, product.shelf_life_days // (count + 1)))
    ages = [newest_age + spacing * (count - 1 - index) for index in range(count)]
    if variant.stock is Stock.EXPIRED_BATCH:
        # Past best-before by three to five weeks.
        ages.insert(0, product.shelf_life_days + product.packing_days + 21 + seed % 14)

    plans = []
    current = 1 if variant.stock is Stock.EXPIRED_BATCH else 0
    for index, age in enumerate(ages):
        quantity = variant.received + 6 * ((seed >> index) % 4)
        harvest = today - datetime.timedelta(days=age)
        packing = harvest + datetime.timedelta(days=product.packing_days)
        plans.append(
            BatchPlan(
                lot_code=f"{variant.sku}-{index + 1:02d}",
                harvest_date=harvest,
                packing_date=packing,
                best_before=packing + datetime.timedelta(days=product.shelf_life_days),
                quantity=quantity,
                sold=_sold(variant.stock, index - current, quantity, seed),
                from_second_village=product.second_village is not None and index % 2 == 1,
            )
        )
    return plans


def _sold(stock: Stock, position: int, quantity: int, seed: int) -> int:
    """Units sold from a batch at `position` relative to the one on sale now (0)."""
    if position < 0:  # the expired batch: sold most of it, a few units await write-off
        return quantity - (4 + seed % 3)
    if stock is Stock.SOLD_OUT_BATCH:
        position -= 1
        if position < 0:
            return quantity
    if position > 0:
        return 0
    if stock is Stock.NEARLY_SOLD_OUT:
        return quantity - (2 + seed % 2)
    return quantity * (35 + seed % 30) // 100
