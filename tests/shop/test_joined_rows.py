"""shop.joined_rows, through the trace page's and the product page's reads: the instances a
hand-written SELECT gives are the ORM's own, field for field (dates, decimals, JSON, aware
times), linked as select_related links them, on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop import product_page
from shop.models import Batch, Cooperative, Product, Variant
from tests.factories import BatchFactory, UserFactory, VariantFactory, VillageFactory
from tests.traceability.factories import add_events, gift_set_with_components
from traceability import recalls, trace_reads
from traceability.models import Province, TraceEvent, Village

pytestmark = pytest.mark.django_db


def values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_lot_read_by_hand_equals_the_orm_read_with_every_relation_linked():
    batch = BatchFactory()
    add_events(batch, 2)

    with CaptureQueriesContext(connection) as queries:
        read = trace_reads.lot(batch.pk)
        variant, product = read.variant, read.variant.product
        cooperative, village = product.cooperative, read.village
        province = village.province
        recall = getattr(read, "recall", None)

    assert len(queries) == 1
    assert recall is None
    orm = Batch.objects.get(pk=batch.pk)
    assert values(read) == values(orm)
    assert values(variant) == values(Variant.objects.get(pk=orm.variant_id))
    assert values(product) == values(Product.objects.get(pk=variant.product_id))
    assert values(cooperative) == values(Cooperative.objects.get(pk=product.cooperative_id))
    assert values(village) == values(Village.objects.get(pk=orm.village_id))
    assert values(province) == values(Province.objects.get(pk=village.province_id))
    assert not read._state.adding


def test_a_recalled_lot_carries_its_recall():
    batch = BatchFactory()
    recalls.recall_batch(
        batch=batch, reason="Nhiễm khuẩn — bacteria", actor=UserFactory(is_superuser=True)
    )

    read = trace_reads.lot(batch.pk)

    assert read.recall.reason == "Nhiễm khuẩn — bacteria"
    assert read.recall.created_at.tzinfo is not None
    assert read.recall.batch is read


def test_events_read_by_hand_equal_the_orm_read_with_inputs_and_villages():
    gift_lot, components = gift_set_with_components(3, events_each=2)
    batch_ids = [gift_lot.pk, *(c.pk for c in components)]

    chains, inputs = trace_reads.events(batch_ids)

    for batch_id in batch_ids:
        orm = list(TraceEvent.objects.filter(batch_id=batch_id).order_by("sequence"))
        assert [values(e) for e in chains[batch_id]] == [values(e) for e in orm]
        for read, event in zip(chains[batch_id], orm, strict=True):
            assert sorted(inputs.get(read.pk, [])) == sorted(b.pk for b in event.inputs.all())
            if event.village_id:
                assert values(read.village.province) == values(event.village.province)
    assert any(inputs.values())  # the assembly event names its component lots


def test_a_box_lots_components_are_read_with_their_lots():
    gift_lot, components = gift_set_with_components(2)

    read = trace_reads.components(gift_lot.pk)

    assert sorted(item.batch.pk for item in read) == sorted(c.pk for c in components)
    assert all(item.batch.variant.product.cooperative.name for item in read)
    assert trace_reads.components(components[0].pk) == []


def test_the_product_pages_lots_of_one_village_share_its_instance_and_differ_by_village():
    variant = VariantFactory()
    shared, other = VillageFactory(), VillageFactory(name="Làng Cổ Tuyết")
    first = BatchFactory(variant=variant, village=shared)
    second = BatchFactory(variant=variant, village=shared)
    third = BatchFactory(variant=variant, village=other)

    page = product_page.product_page(slug=variant.product.slug, currency="USD")

    lots = {batch.pk: batch for batch in page.product.variant_list[0].batch_list}
    assert lots.keys() == {first.pk, second.pk, third.pk}
    assert lots[first.pk].village is lots[second.pk].village
    assert values(lots[first.pk].village) == values(Village.objects.get(pk=shared.pk))
    assert lots[third.pk].village.name == "Làng Cổ Tuyết"
    assert values(lots[third.pk].village.province) == values(
        Province.objects.get(pk=other.province_id)
    )
