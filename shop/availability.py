"""Stock availability as shoppers see it: the one place pages read it from.

A batch's available units are its on-hand stock less the units allocated to orders and the
units in live cart holds (BatchQuerySet.with_available, the same formula shop.inventory
re-reads under its row locks). Pages never compute availability themselves: they call these
functions, so a change to the rule lands everywhere at once.
"""

import datetime

from django.db import connection
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from shop.models import Batch, BatchStatus, Product
from shop.models.cart import StockHold
from shop.models.orders import AllocationState, Order, OrderLine, OrderLineBatch, OrderStatus


def annotate_available(
    batches: QuerySet[Batch], *, now: datetime.datetime | None = None
) -> QuerySet[Batch]:
    """Annotate `available` (units a shopper can still buy) on each batch."""
    return batches.with_available(now)


def buyable_batches(*, now: datetime.datetime | None = None) -> QuerySet[Batch]:
    """Batches a shopper can buy from now: on sale, within best-before, units available."""
    return annotate_available(Batch.objects.sellable(), now=now).filter(available__gt=0)


def buyable_batches_read(*, now: datetime.datetime | None = None) -> QuerySet[Batch]:
    """buyable_batches() for a page's own read of batches (never a subquery): the same rule
    with `available` as hand-written SQL (available_column), which the ORM does not have to
    build and compile on every request."""
    return (
        Batch.objects.sellable()
        .annotate(available=available_column(now=now))
        .filter(available__gt=0)
    )


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
    shop.card_query applies the same rule as SQL (in_stock_sql).
    """
    return Q(Exists(buyable_batches(now=now).filter(variant__product=OuterRef("pk"))))


def _tables() -> dict[str, str]:
    return {
        "batch": Batch._meta.db_table,
        "variant": Batch._meta.get_field("variant").related_model._meta.db_table,
        "allocation": OrderLineBatch._meta.db_table,
        "line": OrderLine._meta.db_table,
        "order": Order._meta.db_table,
        "hold": StockHold._meta.db_table,
        "product": Product._meta.db_table,
    }


def _available_sql(batch: str) -> str:
    """BatchQuerySet.with_available's formula over the batch row `batch` (4 parameters)."""
    return (
        "{row}.on_hand"
        " - COALESCE((SELECT SUM(a.quantity) FROM {allocation} a"
        " INNER JOIN {line} l ON l.id = a.line_id INNER JOIN {order} o ON o.id = l.order_id"
        " WHERE a.batch_id = {row}.id AND a.state = %s"
        " AND NOT (o.status = %s AND o.expires_at IS NOT NULL AND o.expires_at <= %s)), 0)"
        " - COALESCE((SELECT SUM(h.quantity) FROM {hold} h"
        " WHERE h.batch_id = {row}.id AND h.held_until > %s), 0)"
    ).format(**_tables(), row=batch)


def _available_params(now: datetime.datetime) -> tuple:
    moment = connection.ops.adapt_datetimefield_value(now)
    return (AllocationState.ALLOCATED.value, OrderStatus.UNPAID.value, moment, moment)


def available_sql(*, batch: str, now: datetime.datetime | None = None) -> tuple[str, tuple]:
    """`available` over the batch row named `batch` as SQL, with its parameters."""
    return _available_sql(batch), _available_params(now or timezone.now())


def available_column(*, now: datetime.datetime | None = None) -> RawSQL:
    """`available` of a Batch query as one hand-written SQL expression: with_available's
    rule without the ORM building and compiling its subqueries on every page. It names the
    batch table itself, so it annotates only a top-level query of batches (a page's own
    read or a prefetch), never one used as a subquery (Django renames tables there)."""
    sql = _available_sql(f'"{Batch._meta.db_table}"')
    return RawSQL(sql, _available_params(now or timezone.now()), output_field=IntegerField())


def in_stock_sql(
    *, product: str, now: datetime.datetime | None = None, per_row: bool = False
) -> tuple[str, tuple]:
    """product_in_stock as SQL over the product row named `product`, with its parameters:
    one of its batches is on sale, within best-before, with units left after allocations to
    live orders and live holds.

    `per_row` for a page's few rows: a scalar subquery, which PostgreSQL runs row by row on
    the batch index. An EXISTS may instead be planned as one hashed pass over every batch in
    the shop, which a generic plan (shop.settings.base.database) chose for twenty rows."""
    sql = (
        "SELECT 1 FROM {batch} b INNER JOIN {variant} v ON v.id = b.variant_id "
        "WHERE v.product_id = {row}.id AND b.status = %s AND b.best_before >= %s "
        "AND b.on_hand > 0 AND {available} > 0"
    ).format(**_tables(), row=product, available=_available_sql("b"))
    sql = f"({sql} LIMIT 1) IS NOT NULL" if per_row else f"EXISTS ({sql})"
    params = (
        BatchStatus.ON_SALE.value,
        connection.ops.adapt_datefield_value(timezone.localdate()),
        *_available_params(now or timezone.now()),
    )
    return sql, params
