"""The hand-written "in stock" SQL of the storefront's cards agrees with the ORM rule."""

import datetime

import pytest
from django.utils import timezone

from shop import availability, card_query, inventory
from shop.catalogue_filters import CatalogueFilters
from shop.models import Batch, BatchStatus, MovementKind, Product
from shop.models.orders import AllocationState, OrderStatus
from tests.factories import (
    BatchFactory,
    CartFactory,
    OrderLineBatchFactory,
    ProductFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


def both_rules(*, now=None) -> tuple[set[str], set[str]]:
    by_orm = set(
        Product.objects.filter(availability.product_in_stock(now=now)).values_list(
            "name_en", flat=True
        )
    )
    rows = card_query.page_rows(
        filters=CatalogueFilters(), currency="USD", offset=0, limit=500, now=now
    )
    by_sql = {row[2] for row in rows if row[11]}
    return by_orm, by_sql


def batch_of(name: str, **kwargs) -> Batch:
    return BatchFactory(variant=VariantFactory(product=ProductFactory(name_en=name)), **kwargs)


def test_every_way_a_product_can_be_out_of_stock_is_read_alike_by_both_rules():
    # given one product per case that decides "in stock"
    today = timezone.localdate()
    batch_of("On sale")
    Batch.objects.filter(pk=batch_of("Recalled").pk).update(status=BatchStatus.RECALLED)
    Batch.objects.filter(pk=batch_of("Assembling").pk).update(status=BatchStatus.ASSEMBLING)
    batch_of(
        "Past best-before",
        harvest_date=today - datetime.timedelta(days=400),
        packing_date=today - datetime.timedelta(days=390),
        best_before=today - datetime.timedelta(days=1),
    )
    batch_of(
        "Best-before today",
        harvest_date=today - datetime.timedelta(days=20),
        packing_date=today - datetime.timedelta(days=10),
        best_before=today,
    )
    sold = batch_of("Sold out", quantity_received=2)
    inventory.record_movement(batch_id=sold.pk, kind=MovementKind.SOLD, quantity=-2)
    held = batch_of("All held", quantity_received=2)
    inventory.hold(cart=CartFactory(), variant=held.variant, quantity=2)
    partly = batch_of("Partly held", quantity_received=3)
    inventory.hold(cart=CartFactory(), variant=partly.variant, quantity=2)
    allocated = batch_of("All allocated", quantity_received=2)
    OrderLineBatchFactory(line__variant=allocated.variant, batch=allocated, quantity=2)
    lapsed = batch_of("Allocated to a lapsed order", quantity_received=2)
    OrderLineBatchFactory(
        line__variant=lapsed.variant,
        line__order__expires_at=timezone.now() - datetime.timedelta(minutes=1),
        batch=lapsed,
        quantity=2,
    )
    paid = batch_of("Allocated to a paid order", quantity_received=2)
    OrderLineBatchFactory(
        line__variant=paid.variant,
        line__order__status=OrderStatus.PAID,
        line__order__expires_at=timezone.now() - datetime.timedelta(minutes=1),
        batch=paid,
        quantity=2,
    )
    released = batch_of("Released allocation", quantity_received=2)
    OrderLineBatchFactory(
        line__variant=released.variant,
        batch=released,
        quantity=2,
        state=AllocationState.RELEASED,
    )
    ProductFactory(name_en="No batches")
    # when both rules are read, now and after the holds have lapsed
    now_orm, now_sql = both_rules()
    later_orm, later_sql = both_rules(now=timezone.now() + datetime.timedelta(days=1))
    # then they agree, case by case
    assert (
        now_sql
        == now_orm
        == {
            "On sale",
            "Best-before today",
            "Partly held",
            "Allocated to a lapsed order",
            "Released allocation",
        }
    )
    assert later_sql == later_orm
    assert "All held" in later_sql


def test_the_available_figure_of_every_batch_is_the_same_by_sql_and_by_the_orm():
    # given batches with holds, allocations to live, lapsed and paid orders, released ones
    batch = BatchFactory(quantity_received=10)
    inventory.hold(cart=CartFactory(), variant=batch.variant, quantity=3)
    OrderLineBatchFactory(line__variant=batch.variant, batch=batch, quantity=2)
    OrderLineBatchFactory(
        line__variant=batch.variant,
        line__order__expires_at=timezone.now() - datetime.timedelta(minutes=1),
        batch=batch,
        quantity=1,
    )
    OrderLineBatchFactory(
        line__variant=batch.variant,
        line__order__status=OrderStatus.PAID,
        line__order__expires_at=timezone.now() - datetime.timedelta(minutes=1),
        batch=batch,
        quantity=1,
    )
    OrderLineBatchFactory(
        line__variant=batch.variant, batch=batch, quantity=1, state=AllocationState.RELEASED
    )
    other = BatchFactory(quantity_received=4)
    # when both forms are read, now and after the hold has lapsed
    later = timezone.now() + datetime.timedelta(days=1)
    figures = {}
    for moment in (None, later):
        by_sql = dict(
            Batch.objects.annotate(available=availability.available_column(now=moment)).values_list(
                "pk", "available"
            )
        )
        by_orm = dict(Batch.objects.with_available(moment).values_list("pk", "available"))
        assert by_sql == by_orm
        figures[moment] = by_sql
    # then 10 − 3 held − 2 live − 1 paid = 4 now; tomorrow the hold and the unpaid order
    # have lapsed, and only the paid unit is gone: 9; the other batch has all 4
    assert figures[None] == {batch.pk: 4, other.pk: 4}
    assert figures[later][batch.pk] == 9


def test_the_buyable_batches_read_is_the_buyable_batches_rule():
    # given batches on sale, sold out, all held, recalled and past best-before
    today = timezone.localdate()
    on_sale = BatchFactory(quantity_received=3)
    held = BatchFactory(quantity_received=2)
    inventory.hold(cart=CartFactory(), variant=held.variant, quantity=2)
    sold = BatchFactory(quantity_received=2)
    inventory.record_movement(batch_id=sold.pk, kind=MovementKind.SOLD, quantity=-2)
    recalled = BatchFactory()
    Batch.objects.filter(pk=recalled.pk).update(status=BatchStatus.RECALLED)
    BatchFactory(
        harvest_date=today - datetime.timedelta(days=400),
        packing_date=today - datetime.timedelta(days=390),
        best_before=today - datetime.timedelta(days=1),
    )
    # when both are read, now and once the hold has lapsed
    for moment in (None, timezone.now() + datetime.timedelta(days=1)):
        by_orm = dict(availability.buyable_batches(now=moment).values_list("pk", "available"))
        by_sql = dict(availability.buyable_batches_read(now=moment).values_list("pk", "available"))
        # then they agree, figure by figure
        assert by_sql == by_orm
    assert set(by_orm) == {on_sale.pk, held.pk}
