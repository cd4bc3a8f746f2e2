"""What an event's hash covers, and the batch facts the chain carries.

Kept apart from traceability.events so that the EPCIS export (which events.py itself reads
for business steps) can publish the exact record a hash covers without an import cycle.
The same canonical form is rebuilt by traceability/verifier.py, which has no Django: a
change here must be made there too (tests/traceability/test_verifier.py checks both agree).
"""

import datetime
import json
from collections.abc import Iterable, Sequence

GENESIS = "0" * 64
FACT_KEYS = ("gtin", "lot", "harvest_date", "packing_date", "best_before", "village")
# A correction names the Batch attribute it changed; the facts name it as the label does.
FACT_OF_FIELD = {
    "lot_code": "lot",
    "harvest_date": "harvest_date",
    "packing_date": "packing_date",
    "best_before": "best_before",
    "village": "village",
}


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def content(event, input_ids: Sequence[int]) -> dict:
    """The event's content as the hash covers it: every field a reader sees, the input
    batches, the photo's own SHA-256 and the previous event's hash."""
    record = {
        "batch": event.batch_id,
        "sequence": event.sequence,
        "kind": event.kind,
        "biz_step": event.biz_step,
        "occurred_at": _utc(event.occurred_at),
        "recorded_at": _utc(event.recorded_at),
        "place": event.place,
        "village": event.village_id,
        "actor": event.actor,
        "notes_en": event.notes_en,
        "notes_vi": event.notes_vi,
        "standard": event.standard,
        "photo": event.photo.name or "",
        "photo_sha256": event.photo_sha256,
        "inputs": sorted(input_ids),
        "previous_hash": event.previous_hash,
    }
    # Fields added later enter the content only when set, so older chains still verify.
    if event.location_gln:
        record["location_gln"] = event.location_gln
    if event.facts:
        record["facts"] = event.facts
    return record


def canonical(data: dict) -> bytes:
    """Sorted-key compact JSON, UTF-8: the bytes hashed and signed."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def batch_facts(batch) -> dict:
    """The facts fixed at a batch's receipt, as its first event records them.

    Reads `batch.variant.gtin`: select the variant with the batch, or this is a query."""
    return {
        "gtin": batch.variant.gtin,
        "lot": batch.lot_code,
        "harvest_date": batch.harvest_date.isoformat(),
        "packing_date": batch.packing_date.isoformat(),
        "best_before": batch.best_before.isoformat(),
        "village": batch.village_id,
    }


def correction_facts(*, field: str, value) -> dict:
    """The facts a CORRECTION event carries: the corrected field with its new value."""
    if field == "village":
        return {"village": int(getattr(value, "pk", value))}
    if isinstance(value, datetime.date):
        value = value.isoformat()
    return {FACT_OF_FIELD[field]: str(value)}


def current_facts(events: Iterable) -> dict:
    """The batch's facts as its chain states them: each event's facts folded in order."""
    facts: dict = {}
    for event in events:
        facts.update(event.facts or {})
    return facts
