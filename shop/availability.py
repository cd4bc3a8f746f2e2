"""Stock availability as shoppers see it: the one place pages read it from.

A batch's available units are its on-hand stock less the units allocated to orders and the
units in live cart holds (BatchQuerySet.with_available, the same formula shop.inventory
re-reads under its row locks). Pages never compute availability themselves: they call these
functions, so a change to the rule lands everywhere at once.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from shop.models import Batch, BatchStatus, Product


def annotate_available(
    batches: QuerySet[Batch], *, now: datetime.datetime | None = None
) -> QuerySet[Batch]:
    """Annotate `available` (units a shopper can still buy) on each batch."""
    return batches.with_available(now)


def buyable_batches(*, now: datetime.datetime | None = None) -> QuerySet[Batch]:
    """Batches a shopper can buy from now: on sale, within best-before, units available."""
    return annotate_available(Batch.objects.sellable(), now=now).filter(available__gt=0)


def available_for_batch(batch: Batch) -> int:
    """Units of an annotated batch a shopper can buy (never negative)."""
    return max(batch.available, 0)


def is_buyable(batch: Batch) -> bool:
    """Whether an annotated batch is one buyable_batches() would return (tested together)."""
    return shopper_status(batch) == BatchStatus.ON_SALE


def shopper_status(batch: Batch) -> str:
    """The status a shopper sees for an annotated batch: past best-before is expired, and a
    batch on sale with nothing left to buy is sold out."""
    status = batch.display_status
    if status == BatchStatus.ON_SALE and available_for_batch(batch) <= 0:
        return BatchStatus.SOLD_OUT
    return status


def product_in_stock(*, now: datetime.datetime | None = None) -> Q:
    """A filter expression on Product: a shopper can buy at least one unit now, that is, one
    of its variants has a buyable batch. A gift set is sold from its own box lots (made by
    shop.fulfilment.assembly), never from its components' lots, so the rule is the same.
    mark_in_stock applies the same rule to rows already read.
    """
    return Q(Exists(buyable_batches(now=now).filter(variant__product=OuterRef("pk"))))


def mark_in_stock(products: Iterable[Product], *, now: datetime.datetime | None = None) -> None:
    """Set `in_stock` on each product by the rule of product_in_stock, in one query however
    many products there are.

    Cheaper than annotating the rule onto a page of products: the nested availability
    subqueries are built and compiled once rather than per annotation.
    """
    products = list(products)
    ids = [product.pk for product in products]
    if not ids:
        return
    stocked_products = set(
        buyable_batches(now=now)
        .filter(variant__product__in=ids)
        .order_by()
        .values_list("variant__product", flat=True)
        .distinct()
    )
    for product in products:
        product.in_stock = product.pk in stocked_products
