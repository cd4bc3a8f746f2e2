"""Stock availability as shoppers see it: the one place pages read it from.

A batch's available units are its on-hand stock less the units allocated to orders and the
units in live cart holds (BatchQuerySet.with_available, the same formula shop.inventory
re-reads under its row locks). Pages never compute availability themselves: they call these
functions, so a change to the rule lands everywhere at once.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from shop.models import Batch, BatchStatus, GiftSetComponent, Product


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
    """A filter expression on Product: a shopper can buy at least one unit now.

    A plain product needs a buyable batch of one of its variants. A gift set is packed from
    its components, so it is in stock when each of its components has a buyable batch.
    mark_in_stock applies the same rule to rows already read.
    """
    own_batch = Exists(buyable_batches(now=now).filter(variant__product=OuterRef("pk")))
    components = GiftSetComponent.objects.filter(gift_set__product=OuterRef("pk"))
    component_missing = components.filter(
        ~Exists(buyable_batches(now=now).filter(variant=OuterRef("component")))
    )
    return own_batch | (Q(is_gift_set=True) & Exists(components) & ~Exists(component_missing))


def mark_in_stock(products: Iterable[Product], *, now: datetime.datetime | None = None) -> None:
    """Set `in_stock` on each product by the rule of product_in_stock, in one query (two
    when gift sets are among them) however many products there are.

    Cheaper than annotating the rule onto a page of products: the nested availability
    subqueries are built and compiled once rather than per annotation.
    """
    products = list(products)
    ids = [product.pk for product in products]
    if not ids:
        return
    gift_ids = [product.pk for product in products if product.is_gift_set]
    components: dict[int, set[int]] = {}
    if gift_ids:
        pairs = GiftSetComponent.objects.filter(gift_set__product__in=gift_ids).values_list(
            "gift_set__product", "component"
        )
        for product_id, component_id in pairs:
            components.setdefault(product_id, set()).add(component_id)
    wanted = Q(variant__product__in=ids)
    if components:
        wanted |= Q(variant__in=set().union(*components.values()))
    rows = set(
        buyable_batches(now=now)
        .filter(wanted)
        .order_by()
        .values_list("variant", "variant__product")
        .distinct()
    )
    buyable_variants = {variant_id for variant_id, _product_id in rows}
    stocked_products = {product_id for _variant_id, product_id in rows}
    for product in products:
        needs = components.get(product.pk)
        product.in_stock = product.pk in stocked_products or bool(
            product.is_gift_set and needs and needs <= buyable_variants
        )
