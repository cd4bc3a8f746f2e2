"""The demo's trace timelines: every lot tells three to six stages, in order, in the past,
each pictured (the photo's hash is the stored file's) and described in both languages; the
harvest comes first, in the lot's village, with the lot's facts; gift boxes are assembled,
packed and shipped; every trace page shows its stages; loading again writes nothing."""

import hashlib
from collections import Counter

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from shop.demo import loader
from shop.demo.cooperatives import BRANDS
from shop.demo.journeys import GIFT_BOX_STAGES
from shop.demo.timelines import journey_for, pick, stage_count
from shop.models import Batch, Cooperative, Product
from traceability.gs1 import normalise_gln
from traceability.links import digital_link_path
from traceability.models import Checkpoint, EventKind, TraceEvent, Village

pytestmark = pytest.mark.django_db

# Written by shop.fulfilment (assembly and transfers between cooperatives), not the demo.
FULFILMENT = {EventKind.TRANSFORMATION, EventKind.RECEIVING}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo load for the module, rolled back after its last test (as in test_demo.py)."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield loader.load_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()


def chains() -> dict[int, list[TraceEvent]]:
    by_batch: dict[int, list[TraceEvent]] = {}
    for event in TraceEvent.objects.order_by("batch", "sequence"):
        by_batch.setdefault(event.batch_id, []).append(event)
    return by_batch


def written_by_fulfilment(event: TraceEvent) -> bool:
    return event.kind in FULFILMENT or "gift box lot" in event.notes_en


def test_every_demo_batch_has_three_to_six_events_in_time_order_and_none_in_the_future(demo):
    now = timezone.now()

    by_batch = chains()

    assert demo.batches == 106
    assert set(by_batch) == set(Batch.objects.values_list("pk", flat=True))
    counts = Counter(len(events) for events in by_batch.values())
    assert set(counts) <= {3, 4, 5, 6}
    assert sum(counts.values()) == 106
    for events in by_batch.values():
        moments = [event.occurred_at for event in events]
        assert moments == sorted(moments)
        assert len(set(moments)) == len(moments)
        assert all(timezone.is_aware(moment) and moment <= now for moment in moments)


def test_every_lot_opens_with_its_harvest_in_its_village_carrying_its_facts(demo):
    for batch in Batch.objects.filter(variant__product__is_gift_set=False).select_related(
        "variant"
    ):
        first = batch.trace_events.get(sequence=1)
        assert first.kind == EventKind.HARVEST
        assert first.village_id == batch.village_id
        assert first.occurred_at.date() <= batch.packing_date
        assert first.facts == {
            "gtin": batch.variant.gtin,
            "lot": batch.lot_code,
            "harvest_date": batch.harvest_date.isoformat(),
            "packing_date": batch.packing_date.isoformat(),
            "best_before": batch.best_before.isoformat(),
            "village": batch.village_id,
        }


def test_each_stage_the_demo_writes_has_a_photo_whose_hash_is_the_stored_files(demo):
    own = [event for event in TraceEvent.objects.all() if not written_by_fulfilment(event)]

    assert len(own) > 450
    for event in own:
        assert event.photo.name.startswith("trace-events/")
        with default_storage.open(event.photo.name, "rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == event.photo_sha256


def test_stages_are_described_in_both_languages_and_checks_name_their_standard(demo):
    own = [event for event in TraceEvent.objects.all() if not written_by_fulfilment(event)]

    assert all(event.notes_en and event.notes_vi and event.actor for event in own)
    checks = [e for e in own if e.kind in (EventKind.INSPECTION, EventKind.CERTIFICATION)]
    assert len(checks) >= 100
    assert all(event.standard for event in checks)
    assert {"TCVN 5107:2018", "VietGAP", "ISO 6486-1"} <= {event.standard for event in checks}


def test_fish_sauce_and_silk_tell_their_own_stories(demo):
    fish = TraceEvent.objects.filter(
        batch__variant__sku="PQ-NM40-250", kind=EventKind.PROCESSING
    ).first()
    silk = TraceEvent.objects.filter(
        batch__variant__sku="VP-LUA-1M", kind=EventKind.HARVEST
    ).first()

    assert "barrels" in fish.notes_en and "thùng gỗ" in fish.notes_vi
    assert "Cocoons" in silk.notes_en and "kén" in silk.notes_vi


def test_gift_box_lots_are_assembled_then_packed_and_shipped(demo):
    boxes = Batch.objects.filter(variant__product__is_gift_set=True)

    assert boxes.count() == 6
    for box in boxes:
        kinds = list(box.trace_events.order_by("sequence").values_list("kind", flat=True))
        assert kinds == [EventKind.TRANSFORMATION, EventKind.PACKING, EventKind.SHIPPING]
        packed = box.trace_events.get(kind=EventKind.PACKING)
        assert packed.notes_en == GIFT_BOX_STAGES[0].notes_en


def test_a_lot_that_goes_into_a_partners_gift_box_keeps_within_six_events(demo):
    sent = TraceEvent.objects.filter(kind=EventKind.RECEIVING).values_list("batch", flat=True)

    assert len(set(sent)) >= 6
    for batch_id in set(sent):
        assert 3 <= TraceEvent.objects.filter(batch_id=batch_id).count() <= 6


def test_every_trace_page_shows_its_stages(demo, client):
    by_batch = chains()
    for batch in Batch.objects.select_related("variant"):
        path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)

        html = client.get(path).content.decode()

        assert html.count('<li class="stage stage-') == len(by_batch[batch.pk]), path
        assert "No stages have been recorded" not in html


def test_demo_cooperatives_and_villages_have_glns_and_products_a_brand(demo):
    glns = list(Cooperative.objects.values_list("gln", flat=True)) + list(
        Village.objects.filter(gln__gt="").values_list("gln", flat=True)
    )

    assert Village.objects.filter(gln="").count() == 0
    assert len(glns) == 15 + Village.objects.count()
    assert [normalise_gln(gln) for gln in glns] == glns
    assert len(set(glns)) == len(glns)
    assert Cooperative.objects.get(slug="duong-dong-fish-sauce").gln == "8936011000000"
    assert set(Product.objects.values_list("brand", flat=True)) == set(BRANDS.values())
    assert TraceEvent.objects.filter(location_gln="").count() == 0


def test_loading_twice_writes_no_event_photo_or_checkpoint(demo, today):
    before = (
        TraceEvent.objects.count(),
        Checkpoint.objects.count(),
        sorted(TraceEvent.objects.values_list("hash", flat=True)),
        len(default_storage.listdir("trace-events")[1]),
    )

    again = loader.load_demo(today=today)

    assert again.batches_received == 0
    assert (
        TraceEvent.objects.count(),
        Checkpoint.objects.count(),
        sorted(TraceEvent.objects.values_list("hash", flat=True)),
        len(default_storage.listdir("trace-events")[1]),
    ) == before


def test_a_lot_without_events_gets_its_timeline_on_the_next_load(demo, today):
    # given a demo lot received before the demo wrote timelines (no events at all)
    lot = Batch.objects.get(lot_code="KS-GIO-NHO-01")
    lot.trace_events.all().delete()

    loader.load_demo(today=today)

    kinds = list(lot.trace_events.order_by("sequence").values_list("kind", flat=True))
    expected = pick(journey_for("kim-son-sedge-basket"), stage_count("KS-GIO-NHO-01"))
    assert kinds == [stage.kind for stage in expected]
    assert lot.trace_events.get(sequence=1).facts["lot"] == "KS-GIO-NHO-01"


def test_a_box_lot_with_only_its_assembly_is_packed_and_shipped_on_the_next_load(demo, today):
    # given a box lot assembled before the demo wrote the stages after it
    box = Batch.objects.get(lot_code="GIFT-TRA-01")
    box.trace_events.filter(sequence__gt=1).delete()

    loader.load_demo(today=today)

    kinds = list(box.trace_events.order_by("sequence").values_list("kind", flat=True))
    assert kinds == [EventKind.TRANSFORMATION, EventKind.PACKING, EventKind.SHIPPING]
    moments = list(box.trace_events.order_by("sequence").values_list("occurred_at", flat=True))
    assert moments == sorted(moments) and moments[-1] <= timezone.now()


def test_timelines_keep_the_harvest_and_drop_certification_shipping_then_processing():
    journey = journey_for("tan-cuong-green-tea")

    assert [s.kind for s in pick(journey, 6)] == [
        EventKind.HARVEST,
        EventKind.PROCESSING,
        EventKind.PACKING,
        EventKind.INSPECTION,
        EventKind.CERTIFICATION,
        EventKind.SHIPPING,
    ]
    assert [s.kind for s in pick(journey, 4)] == [
        EventKind.HARVEST,
        EventKind.PROCESSING,
        EventKind.PACKING,
        EventKind.INSPECTION,
    ]
    assert [s.kind for s in pick(journey, 2)] == [EventKind.HARVEST, EventKind.PACKING]
    assert journey_for("ngoc-linh-ginseng-in-honey")[0].notes_en.startswith("Roots")
    assert journey_for("bat-trang-crackle-tea-set")[0].notes_en.startswith("White clay")
