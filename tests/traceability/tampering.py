"""A sealed lot and the eight ways of tampering with its record that the issue names; the
trace page (test_tamper.py) and the standalone verifier (test_verifier.py) must each catch
every one. Each tampering writes to the database or media directly, as an insider would."""

import datetime
import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from shop.models import Batch
from tests.factories import VariantFactory, VillageFactory
from traceability import events, receipts
from traceability.models import EventKind, TraceEvent


def jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), colour).save(out, "JPEG")
    return out.getvalue()


def sealed_lot() -> Batch:
    """A lot received through receipts.receive_lot (stage 1, the harvest with the facts),
    then processed with a photo (stage 2), inspected (3) and packed (4)."""
    village = VillageFactory()
    batch = receipts.receive_lot(
        variant=VariantFactory(product__cooperative__village=village),
        lot_code="SEAL-2611",
        harvest_date=timezone.localdate() - datetime.timedelta(days=30),
        packing_date=timezone.localdate() - datetime.timedelta(days=20),
        best_before=timezone.localdate() + datetime.timedelta(days=300),
        village=village,
        quantity=12,
    )
    start = timezone.now() - datetime.timedelta(days=10)
    stages = [
        (EventKind.PROCESSING, "Xưởng ủ chượp", ContentFile(jpeg((200, 120, 40)), "vat.jpg")),
        (EventKind.INSPECTION, "Phòng thí nghiệm tỉnh", None),
        (EventKind.PACKING, "Xưởng đóng chai", None),
    ]
    for day, (kind, place, photo) in enumerate(stages):
        events.append_event(
            batch=batch, kind=kind, occurred_at=start + datetime.timedelta(days=day),
            place=place, actor="Hợp tác xã", photo=photo,
        )  # fmt: skip
    return batch


def _event(batch, sequence) -> TraceEvent:
    return TraceEvent.objects.get(batch=batch, sequence=sequence)


def change_a_field(batch):
    TraceEvent.objects.filter(batch=batch, sequence=2).update(place="Somewhere else")


def delete_a_middle_event(batch):
    _event(batch, 2).delete()


def delete_the_last_event(batch):
    _event(batch, 4).delete()


def swap_two_events(batch):
    second, third = _event(batch, 2), _event(batch, 3)
    TraceEvent.objects.filter(pk=second.pk).update(sequence=99)
    TraceEvent.objects.filter(pk=third.pk).update(sequence=2)
    TraceEvent.objects.filter(pk=second.pk).update(sequence=3)


def rewrite_an_event_and_rehash_the_rest(batch):
    chain = list(TraceEvent.objects.filter(batch=batch).order_by("sequence"))
    chain[1].place = "Somewhere else"
    for previous, event in zip(chain, chain[1:], strict=False):
        event.previous_hash = previous.hash
        event.hash = events.event_hash(event, [])
        event.save(update_fields=["place", "previous_hash", "hash"])


def append_a_forged_event(batch):
    last = TraceEvent.objects.filter(batch=batch).order_by("-sequence").first()
    now = timezone.now()
    forged = TraceEvent(
        batch=batch, sequence=last.sequence + 1, kind=EventKind.CERTIFICATION,
        biz_step="inspecting", occurred_at=now, recorded_at=now, place="Nowhere",
        actor="Forger", standard="VietGAP", previous_hash=last.hash,
    )  # fmt: skip
    forged.hash = events.event_hash(forged, [])
    forged.save(force_insert=True)


def edit_a_batch_fact(batch):
    Batch.objects.filter(pk=batch.pk).update(
        harvest_date=batch.harvest_date - datetime.timedelta(days=3)
    )


def swap_a_photo_file(batch):
    name = _event(batch, 2).photo.name
    Path(default_storage.path(name)).write_bytes(jpeg((10, 10, 200)))


# Each tampering, with the checks the page finds failed and a line the verifier must print.
CASES = {
    "changed_field": (change_a_field, ("chain",), "stage 2: its content does not match its hash"),
    "deleted_middle_event": (
        delete_a_middle_event,
        ("chain", "signed"),
        "stage 2: its record says sequence 3",
    ),
    "deleted_last_event": (
        delete_the_last_event,
        ("signed",),
        "the shop signed 4 stages; the record has 3",
    ),
    "two_events_swapped": (
        swap_two_events,
        ("chain",),
        "stage 2: does not follow the stage before it",
    ),
    "rewritten_with_later_hashes_recomputed": (
        rewrite_an_event_and_rehash_the_rest,
        ("signed",),
        "the last stage is not the one the shop signed",
    ),
    "forged_event_appended": (
        append_a_forged_event,
        ("signed",),
        "the shop signed 4 stages; the record has 5",
    ),
    "batch_fact_edited": (edit_a_batch_fact, ("facts",), "fact harvest_date: the batch says"),
    "photo_file_swapped": (
        swap_a_photo_file,
        ("photos",),
        "stage 2: the photo is not the one recorded",
    ),
}
