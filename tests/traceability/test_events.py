"""The event log: append-only, hash-chained, EPCIS-shaped; gift sets link their components."""

import datetime
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from tests.factories import BatchFactory, GiftSetComponentFactory, VariantFactory
from tests.traceability.factories import add_events, gift_set_with_components
from traceability import epcis, events
from traceability.models import EventKind, TraceEvent

pytestmark = pytest.mark.django_db


def chain_of(batch):
    return list(
        TraceEvent.objects.filter(batch=batch).prefetch_related("inputs").order_by("sequence")
    )


def test_events_are_numbered_and_each_hash_covers_the_one_before():
    # Given a batch
    batch = BatchFactory()

    # When three events are appended
    first, second, third = add_events(batch, 3)

    # Then they form a chain from the genesis hash
    assert [e.sequence for e in (first, second, third)] == [1, 2, 3]
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert third.hash == hashlib.sha256(events.canonical_content(third, [])).hexdigest()
    assert events.verify_chain(chain_of(batch)) == events.ChainCheck(valid=True, events=3)


def test_the_default_business_step_comes_from_the_kind():
    batch = BatchFactory()

    harvest, processing, inspection = add_events(batch, 3)

    assert (harvest.kind, harvest.biz_step) == (EventKind.HARVEST, "commissioning")
    assert (processing.kind, processing.biz_step) == (EventKind.PROCESSING, "other")
    assert (inspection.kind, inspection.biz_step) == (EventKind.INSPECTION, "inspecting")


def test_changing_an_old_event_in_the_database_breaks_the_chain_there():
    # Given a chain of four events
    batch = BatchFactory()
    add_events(batch, 4)

    # When someone edits the second one behind the service's back
    TraceEvent.objects.filter(batch=batch, sequence=2).update(place="Somewhere else")

    # Then the chain no longer verifies, from that event on
    assert events.verify_chain(chain_of(batch)) == events.ChainCheck(
        valid=False, events=4, broken_at=2
    )


def test_deleting_an_event_breaks_the_chain():
    batch = BatchFactory()
    add_events(batch, 3)

    TraceEvent.objects.filter(batch=batch, sequence=2).delete()

    assert events.verify_chain(chain_of(batch)).broken_at == 2


def test_rewriting_an_event_and_its_hash_is_still_caught_by_the_next_one():
    batch = BatchFactory()
    add_events(batch, 3)
    forged = TraceEvent.objects.get(batch=batch, sequence=1)
    forged.actor = "Someone else"
    TraceEvent.objects.filter(pk=forged.pk).update(
        actor=forged.actor, hash=events.event_hash(forged, [])
    )

    assert events.verify_chain(chain_of(batch)).broken_at == 2


def test_a_naive_or_future_time_is_refused_and_nothing_is_written():
    batch = BatchFactory()

    with pytest.raises(events.InvalidEvent):
        events.append_event(
            batch=batch, kind=EventKind.HARVEST, occurred_at=datetime.datetime(2025, 5, 1),
            place="Field", actor="Farmer",
        )  # fmt: skip
    with pytest.raises(events.InvalidEvent):
        events.append_event(
            batch=batch, kind=EventKind.HARVEST,
            occurred_at=timezone.now() + datetime.timedelta(days=1), place="Field", actor="Farmer",
        )  # fmt: skip

    assert TraceEvent.objects.count() == 0


def test_missing_place_or_unknown_kind_is_refused():
    batch = BatchFactory()
    now = timezone.now()

    with pytest.raises(events.InvalidEvent, match="place"):
        events.append_event(
            batch=batch, kind=EventKind.HARVEST, occurred_at=now, place=" ", actor="A"
        )
    with pytest.raises(events.InvalidEvent, match="kind"):
        events.append_event(batch=batch, kind="teleporting", occurred_at=now, place="P", actor="A")

    assert TraceEvent.objects.count() == 0


def test_a_photo_is_stored_and_its_own_hash_is_sealed_in_the_chain(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    batch = BatchFactory()
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 40)).save(out, "JPEG")
    jpeg = out.getvalue()

    event = events.append_event(
        batch=batch, kind=EventKind.HARVEST, occurred_at=timezone.now(), place="Field",
        actor="Farmer", photo=ContentFile(jpeg, name="harvest.jpg"),
    )  # fmt: skip

    assert event.photo.name.startswith("trace-events/")
    with event.photo.open("rb") as stored:
        assert event.photo_sha256 == hashlib.sha256(stored.read()).hexdigest()
    TraceEvent.objects.filter(pk=event.pk).update(photo_sha256="0" * 64)
    assert events.verify_chain(chain_of(batch)).valid is False


def test_a_gift_set_is_assembled_from_one_batch_of_each_component():
    # Given a gift set of three components, each batch with its own harvest
    gift_batch, components = gift_set_with_components(3)

    # Then the gift set's chain holds one transformation naming the three batches
    (assembly,) = chain_of(gift_batch)
    assert assembly.kind == EventKind.TRANSFORMATION
    assert assembly.biz_step == "assembling"
    assert sorted(b.pk for b in assembly.inputs.all()) == sorted(b.pk for b in components)
    assert events.verify_chain(chain_of(gift_batch)).valid is True


def test_changing_the_inputs_of_an_assembly_breaks_the_chain():
    gift_batch, components = gift_set_with_components(2)
    assembly = TraceEvent.objects.get(batch=gift_batch)

    assembly.inputs.remove(components[0])

    assert events.verify_chain(chain_of(gift_batch)).valid is False


def test_assembly_refuses_a_batch_that_is_not_a_component_and_a_missing_component():
    gift_variant = VariantFactory(product__is_gift_set=True)
    first = GiftSetComponentFactory(gift_set=gift_variant).component
    second = GiftSetComponentFactory(gift_set=gift_variant).component
    gift_batch = BatchFactory(variant=gift_variant)
    stranger = BatchFactory()
    arguments = {"occurred_at": timezone.now(), "place": "Workshop", "actor": "Coop"}

    with pytest.raises(events.NotAComponent):
        events.record_transformation(
            output=gift_batch, inputs=[BatchFactory(variant=first), stranger], **arguments
        )
    with pytest.raises(events.NotAComponent):
        events.record_transformation(
            output=gift_batch, inputs=[BatchFactory(variant=first)], **arguments
        )
    with pytest.raises(events.NotAGiftSet):
        events.record_transformation(
            output=stranger, inputs=[BatchFactory(variant=second)], **arguments
        )

    assert TraceEvent.objects.count() == 0


def test_a_transformation_cannot_be_appended_as_a_plain_event():
    gift_batch, _components = gift_set_with_components(1)

    with pytest.raises(events.InvalidEvent):
        events.append_event(
            batch=gift_batch, kind=EventKind.TRANSFORMATION, occurred_at=timezone.now(),
            place="Workshop", actor="Coop",
        )  # fmt: skip


def test_a_lost_race_for_a_sequence_number_is_retried(monkeypatch):
    # Given an append whose first read of the tail is stale, as if another append won
    batch = BatchFactory()
    (first,) = add_events(batch, 1)
    real = events.event_hash
    calls = []

    def stale_then_real(event, input_ids):
        if not calls:
            event.sequence, event.previous_hash = 1, "0" * 64
        calls.append(event.sequence)
        return real(event, input_ids)

    monkeypatch.setattr(events, "event_hash", stale_then_real)

    # When it appends
    second = events.append_event(
        batch=batch, kind=EventKind.PACKING, occurred_at=timezone.now(), place="P", actor="A"
    )

    # Then the collision on sequence 1 made it read the tail again and land at 2
    assert calls == [1, 2]
    assert second.sequence == 2 and second.previous_hash == first.hash
    monkeypatch.undo()
    assert events.verify_chain(chain_of(batch)).valid is True


def test_epcis_document_shapes_object_and_transformation_events():
    gift_batch, components = gift_set_with_components(2)
    component = components[0]

    harvest_doc = epcis.document(batch=component, events=chain_of(component))
    gift_doc = epcis.document(batch=gift_batch, events=chain_of(gift_batch))

    harvest = harvest_doc["epcisBody"]["eventList"][0]
    assert harvest_doc["@context"][0] == "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
    assert harvest_doc["schemaVersion"] == "2.0"
    assert harvest["type"] == "ObjectEvent"
    assert harvest["action"] == "ADD"
    assert harvest["bizStep"] == "commissioning"
    assert harvest["eventTimeZoneOffset"] == "+07:00"
    assert harvest["quantityList"] == [
        {"epcClass": f"https://id.gs1.org/01/{component.variant.gtin}/10/{component.lot_code}"}
    ]
    assert harvest["readPoint"] == {
        "id": f"geo:{component.village.latitude},{component.village.longitude}"
    }
    assembly = gift_doc["epcisBody"]["eventList"][0]
    assert assembly["type"] == "TransformationEvent"
    assert sorted(i["epcClass"] for i in assembly["inputQuantityList"]) == sorted(
        f"https://id.gs1.org/01/{b.variant.gtin}/10/{b.lot_code}" for b in components
    )
    assert assembly["outputQuantityList"] == [
        {"epcClass": f"https://id.gs1.org/01/{gift_batch.variant.gtin}/10/{gift_batch.lot_code}"}
    ]
    assert "action" not in assembly
