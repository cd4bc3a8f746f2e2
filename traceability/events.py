"""Appending to a batch's event log, and checking that nobody changed it afterwards.

The log is append-only and hash-chained: each event stores SHA-256 over its canonical
content (every field a reader sees, the input batches, the photo's own SHA-256) together
with the previous event's hash. Changing, deleting or reordering any event after the fact
breaks the chain from that event on, which verify_chain reports and the trace page shows.
The first event carries the batch's facts (lot, dates, village), so the chain covers them
too, and every append signs the batch's new head into the public checkpoint log in the
same transaction (traceability.checkpoints), so a chain recomputed by someone with write
access to the database still differs from what the shop signed.
"""

import datetime
import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop import uploads
from shop.models import Batch, GiftSetComponent
from traceability import cache, checkpoints, records
from traceability.epcis import default_biz_step
from traceability.models import EventKind, TraceEvent, Village
from traceability.records import GENESIS, batch_facts, current_facts  # noqa: F401 (API)

APPEND_ATTEMPTS = 3
# Clocks on phones in the field drift; an event a few minutes ahead is still believable.
FUTURE_SLACK = datetime.timedelta(minutes=10)


class EventError(ValueError):
    """The event cannot be appended; nothing was written."""


class InvalidEvent(EventError):
    """A field is missing, too long or not one of the allowed values."""


class NotAGiftSet(EventError):
    """Only a gift set's batch is assembled from other batches."""


class NotAComponent(EventError):
    """An input batch is not of a variant the gift set contains, or one is missing."""


class ChainBusy(EventError):
    """Other appends to the same batch kept winning the race; try again."""


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of recomputing a chain: `broken_at` is the first bad sequence number."""

    valid: bool
    events: int
    broken_at: int | None = None


def canonical_content(event: TraceEvent, input_ids: Sequence[int]) -> bytes:
    """The bytes the hash covers: sorted-key compact JSON of the event's content
    (traceability.records.content, published as `ocop:record` in the EPCIS export)."""
    return records.canonical(records.content(event, input_ids))


def event_hash(event: TraceEvent, input_ids: Sequence[int]) -> str:
    return hashlib.sha256(canonical_content(event, input_ids)).hexdigest()


def verify_chain(
    events: Sequence[TraceEvent], inputs: Mapping[int, Sequence[int]] | None = None
) -> ChainCheck:
    """Recompute the chain of one batch's events, given in sequence order.

    `inputs` maps an event's id to its input batch ids (events absent have none); without
    it, reads `event.inputs.all()`: prefetch it then, or this makes a query per event.
    """
    previous = GENESIS
    for position, event in enumerate(events, start=1):
        if inputs is None:
            input_ids = [batch.pk for batch in event.inputs.all()]
        else:
            input_ids = list(inputs.get(event.pk, ()))
        if (
            event.sequence != position
            or event.previous_hash != previous
            or event_hash(event, input_ids) != event.hash
        ):
            return ChainCheck(valid=False, events=len(events), broken_at=position)
        previous = event.hash
    return ChainCheck(valid=True, events=len(events))


def _store_photo(photo: File | None) -> tuple[str, str]:
    """Store the photo re-encoded (shop.uploads); the hash covers exactly the bytes stored.

    Raises InvalidEvent for anything but a JPEG, PNG or WebP picture within its limits."""
    if photo is None:
        return "", ""
    try:
        clean = uploads.reencode_image(photo)
    except ValidationError as refused:
        raise InvalidEvent(" ".join(refused.messages)) from None
    digest = hashlib.sha256(clean.read()).hexdigest()
    clean.seek(0)
    name = default_storage.save(f"trace-events/{clean.name}", clean)
    return name, digest


def _append(event: TraceEvent, inputs: Sequence[Batch], *, facts: dict | None = None) -> TraceEvent:
    """Write the event at the end of its batch's chain and sign the new head.

    The first event of a batch carries the batch's facts (records.batch_facts), so the chain
    covers them; `facts` (a correction's new values) are added on top. In the same
    transaction a signed checkpoint names the batch's new head (traceability.checkpoints),
    under the checkpoint log's lock, taken first so racing appends queue rather than retry.
    """
    input_ids = [batch.pk for batch in inputs]
    for attempt in range(APPEND_ATTEMPTS):
        try:
            with transaction.atomic():
                checkpoints.lock_log()
                rows = TraceEvent.objects.filter(batch_id=event.batch_id)
                last = rows.order_by("-sequence").values_list("sequence", "hash").first()
                event.sequence = last[0] + 1 if last else 1
                event.previous_hash = last[1] if last else GENESIS
                opening = batch_facts(event.batch) if event.sequence == 1 else {}
                event.facts = opening | (facts or {})
                event.hash = event_hash(event, input_ids)
                event.save(force_insert=True)
                if input_ids:
                    event.inputs.set(input_ids)
                # The chain's own claim of its length: a middle row deleted later shows.
                head = checkpoints.Head(event.batch_id, event.sequence, event.hash)
                checkpoints.record_heads(heads=[head])
        except IntegrityError:
            # Another append took this sequence number (or checkpoint) first: read the new
            # tail, retry.
            event.pk = None
            if attempt == APPEND_ATTEMPTS - 1:
                raise ChainBusy("The event log of this batch is busy; try again.") from None
            continue
        break
    transaction.on_commit(functools.partial(cache.invalidate_batch_page, batch_id=event.batch_id))
    return event


def _build(
    *,
    batch: Batch,
    kind: str,
    occurred_at: datetime.datetime,
    place: str,
    actor: str,
    village: Village | None,
    biz_step: str | None,
    notes_en: str,
    notes_vi: str,
    standard: str,
    recorded_by,
) -> TraceEvent:
    if timezone.is_naive(occurred_at):
        raise InvalidEvent("The time of an event must carry its time zone.")
    if occurred_at > timezone.now() + FUTURE_SLACK:
        raise InvalidEvent("An event cannot be recorded before it happens.")
    event = TraceEvent(
        batch=batch,
        kind=kind,
        biz_step=biz_step or (default_biz_step(kind) if kind in EventKind.values else ""),
        occurred_at=occurred_at,
        place=(place or "").strip(),
        village=village,
        actor=(actor or "").strip(),
        notes_en=notes_en or "",
        notes_vi=notes_vi or "",
        standard=(standard or "").strip(),
        # Circular 02/2024's location trace code: the village's GLN for a stage there,
        # else the cooperative's premises (traceability.locations).
        location_gln=village.gln if village is not None else batch.variant.product.cooperative.gln,
        recorded_by=recorded_by,
        recorded_at=timezone.now(),
    )
    try:
        event.clean_fields(
            exclude=["batch", "village", "recorded_by", "sequence", "previous_hash", "hash"]
        )
    except ValidationError as exc:
        messages = (f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
        raise InvalidEvent("; ".join(messages)) from None
    return event


def append_event(
    *,
    batch: Batch,
    kind: EventKind | str,
    occurred_at: datetime.datetime,
    place: str,
    actor: str,
    village: Village | None = None,
    biz_step: str | None = None,
    notes_en: str = "",
    notes_vi: str = "",
    standard: str = "",
    photo: File | None = None,
    recorded_by=None,
) -> TraceEvent:
    """Append one event (not a gift-set assembly) to the end of the batch's chain.

    `occurred_at` must be aware and not in the future; `biz_step` defaults to the kind's
    CBV business step. Side effects: stores the photo, writes one TraceEvent, and after
    commit gives the batch's trace page (and its gift sets' pages) a fresh cache version.
    Raises InvalidEvent, ChainBusy.
    """
    if kind == EventKind.TRANSFORMATION:
        raise InvalidEvent("Record a gift-set assembly with record_transformation.")
    if kind == EventKind.CORRECTION:
        # A correction changes the batch with the event: traceability.corrections does both.
        raise InvalidEvent("Record a correction with traceability.corrections.correct_batch.")
    event = _build(
        batch=batch, kind=kind, occurred_at=occurred_at, place=place, actor=actor,
        village=village, biz_step=biz_step, notes_en=notes_en, notes_vi=notes_vi,
        standard=standard, recorded_by=recorded_by,
    )  # fmt: skip
    event.photo, event.photo_sha256 = _store_photo(photo)
    return _append(event, [])


def record_correction(
    *,
    batch: Batch,
    occurred_at: datetime.datetime,
    place: str,
    actor: str,
    notes_en: str,
    notes_vi: str,
    facts: dict,
    recorded_by=None,
) -> TraceEvent:
    """Append the CORRECTION event of traceability.corrections.correct_batch (its only
    caller, which updates the batch in the same transaction). `facts` are the corrected
    facts with their new values (records.correction_facts): folded over the chain they
    give the batch's facts after the correction. Side effects as for append_event.
    Raises InvalidEvent, ChainBusy."""
    event = _build(
        batch=batch, kind=EventKind.CORRECTION, occurred_at=occurred_at, place=place,
        actor=actor, village=None, biz_step=None, notes_en=notes_en, notes_vi=notes_vi,
        standard="", recorded_by=recorded_by,
    )  # fmt: skip
    return _append(event, [], facts=facts)


def record_transformation(
    *,
    output: Batch,
    inputs: Sequence[Batch],
    occurred_at: datetime.datetime,
    place: str,
    actor: str,
    village: Village | None = None,
    notes_en: str = "",
    notes_vi: str = "",
    photo: File | None = None,
    recorded_by=None,
) -> TraceEvent:
    """Record that the gift set's batch `output` was assembled from the batches `inputs`.

    Rules: `output` is a batch of a gift set; every input is a batch of one of the gift
    set's component variants, and every component has at least one input batch. The event
    joins the output batch's chain (an EPCIS TransformationEvent). Side effects as for
    append_event. Raises NotAGiftSet, NotAComponent, InvalidEvent, ChainBusy.
    """
    if not output.variant.product.is_gift_set:
        raise NotAGiftSet(f"{output} is not a gift set.")
    inputs = list({batch.pk: batch for batch in inputs}.values())
    components = set(
        GiftSetComponent.objects.filter(gift_set_id=output.variant_id).values_list(
            "component_id", flat=True
        )
    )
    given = {batch.variant_id for batch in inputs}
    if not inputs or any(batch.pk == output.pk for batch in inputs) or not given <= components:
        raise NotAComponent("Every input must be a batch of one of the gift set's components.")
    if given != components:
        raise NotAComponent("Each component of the gift set needs an input batch.")
    event = _build(
        batch=output, kind=EventKind.TRANSFORMATION, occurred_at=occurred_at, place=place,
        actor=actor, village=village, biz_step=None, notes_en=notes_en, notes_vi=notes_vi,
        standard="", recorded_by=recorded_by,
    )  # fmt: skip
    event.photo, event.photo_sha256 = _store_photo(photo)
    return _append(event, inputs)
