"""The signed checkpoint log: every chain head, signed when it changes and once a day.

Each append to a batch's event log (traceability.events) writes, in the same transaction, a
Checkpoint whose body says "batch B's chain has N events ending in hash H", signed with the
shop's Ed25519 key (traceability.signing) and naming the digest of the checkpoint before it.
A row written into the event table by hand has no such signature, and a chain cut short,
rewritten or extended no longer matches its last signed head: the trace page (check_batch)
and the standalone verifier both compare against it.

Body: canonical JSON (traceability.records.canonical) of {log, sequence, kind, signed_at,
key_id, previous, heads: [{batch, events, head}]} (a daily checkpoint adds events,
batches, heads_digest and mismatched). signature = Ed25519 over the body bytes;
digest = SHA-256 over the body bytes followed by the 64 signature bytes.

Lock order: appends to the log are serialised by one lock taken last in any transaction
(after batch rows): a PostgreSQL advisory lock; SQLite serialises writers itself, and the
unique sequence makes a lost race an IntegrityError that traceability.events retries.
"""

import base64
import datetime
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from traceability import records, signing
from traceability.models import Checkpoint, CheckpointHead, TraceEvent

LOG_NAME = "ocop-trace-checkpoints/1"
# An arbitrary constant naming the checkpoint log's advisory lock on PostgreSQL.
_LOG_LOCK = 0x0C0B_7A1C
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Head:
    batch: int
    events: int
    head: str

    def as_dict(self) -> dict:
        return {"batch": self.batch, "events": self.events, "head": self.head}


def lock_log() -> None:
    """Wait for other writers of the log; held until the caller's transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOG_LOCK])


def digest(body: bytes, signature: bytes) -> str:
    return hashlib.sha256(body + signature).hexdigest()


def _sign(*, kind: str, heads: Sequence[Head], extra: dict | None = None) -> Checkpoint:
    key = signing.signing_key()
    last = Checkpoint.objects.order_by("-sequence").values_list("sequence", "digest").first()
    sequence, previous = (last[0] + 1, last[1]) if last else (1, records.GENESIS)
    now = timezone.now()
    content = {
        "log": LOG_NAME,
        "sequence": sequence,
        "kind": kind,
        "signed_at": now.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "key_id": key.key_id,
        "previous": previous,
        "heads": [head.as_dict() for head in heads],
        **(extra or {}),
    }
    body = records.canonical(content)
    signature = key.sign(body)
    checkpoint = Checkpoint.objects.create(
        sequence=sequence,
        created_at=now,
        body=body.decode(),
        signature=base64.b64encode(signature).decode(),
        key_id=key.key_id,
        previous_digest=previous,
        digest=digest(body, signature),
    )
    CheckpointHead.objects.bulk_create(
        CheckpointHead(checkpoint=checkpoint, batch_id=h.batch, events=h.events, head=h.head)
        for h in heads
    )
    return checkpoint


def record_heads(*, heads: Sequence[Head]) -> Checkpoint:
    """Sign a checkpoint of these chain heads. Call inside the transaction that wrote them
    (traceability.events does), so the events and their signature commit together.
    Takes the log's lock; raises signing.SigningKeyError without a key."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_heads must run inside the transaction that wrote the heads.")
    lock_log()
    return _sign(kind="append", heads=heads)


def latest_head(*, batch_id: int) -> CheckpointHead | None:
    """The last signed head of the batch, with its checkpoint, in one query."""
    return (
        CheckpointHead.objects.filter(batch_id=batch_id)
        .select_related("checkpoint")
        .order_by("-checkpoint_id")
        .first()
    )


def stated_heads() -> dict[int, Head]:
    """Every batch's head as the log last stated it."""
    newest = (
        CheckpointHead.objects.filter(batch_id=OuterRef("batch_id"))
        .order_by("-checkpoint_id")
        .values("checkpoint_id")[:1]
    )
    rows = CheckpointHead.objects.filter(checkpoint_id=Subquery(newest)).values_list(
        "batch_id", "events", "head"
    )
    return {batch: Head(batch, events, head) for batch, events, head in rows}


def current_heads() -> dict[int, Head]:
    """Every batch's head as the event table holds it now (two queries)."""
    counts = dict(
        TraceEvent.objects.values("batch_id").annotate(n=Count("pk")).values_list("batch_id", "n")
    )
    last = (
        TraceEvent.objects.filter(batch_id=OuterRef("batch_id"))
        .order_by("-sequence")
        .values("sequence")[:1]
    )
    rows = TraceEvent.objects.filter(sequence=Subquery(last)).values_list("batch_id", "hash")
    return {batch: Head(batch, counts[batch], head) for batch, head in rows}


@dataclass(frozen=True)
class DailyReport:
    checkpoint: Checkpoint
    # Batches whose event table no longer matches their last signed head: not re-signed.
    mismatched: list[int]
    # Batches with events but never signed (written before the log existed, or by hand).
    unsigned: list[int]


def daily_checkpoint() -> DailyReport:
    """Sign the day's heartbeat: the log's length and a digest of every head as the log
    states it, so a quiet log still shows it was alive and unchanged.

    Rule: heads that differ from their last signed state are never signed; they are named
    in the body as `mismatched`, logged as errors and returned. Side effects: one
    Checkpoint (no CheckpointHead rows), under the log's lock.
    """
    with transaction.atomic():
        lock_log()
        stated = stated_heads()
        current = current_heads()
        mismatched = sorted(b for b, head in stated.items() if current.get(b) != head)
        unsigned = sorted(set(current) - set(stated))
        ordered = [stated[b].as_dict() for b in sorted(stated)]
        extra = {
            "batches": len(ordered),
            "events": sum(head["events"] for head in ordered),
            "heads_digest": hashlib.sha256(records.canonical({"heads": ordered})).hexdigest(),
            "mismatched": mismatched,
        }
        checkpoint = _sign(kind="daily", heads=[], extra=extra)
    for batch_id in mismatched:
        logger.error("Trace record of batch %s differs from its signed head.", batch_id)
    return DailyReport(checkpoint=checkpoint, mismatched=mismatched, unsigned=unsigned)


@dataclass(frozen=True)
class Seal:
    """What the trace page checked. `failures` names each check that failed, in order:
    chain (recomputed hashes), signed (last signed head), facts (batch row vs chain),
    photos (files vs their recorded SHA-256)."""

    failures: tuple[str, ...] = ()
    broken_at: int | None = None
    bad_photos: tuple[int, ...] = field(default_factory=tuple)

    @property
    def intact(self) -> bool:
        return not self.failures

    @property
    def chain_broken(self) -> bool:
        return "chain" in self.failures

    @property
    def unsigned(self) -> bool:
        return "signed" in self.failures

    @property
    def facts_differ(self) -> bool:
        return "facts" in self.failures

    @property
    def photos_differ(self) -> bool:
        return "photos" in self.failures


def head_is_signed(head: CheckpointHead | None, *, batch_id: int, events: int, last: str) -> bool:
    """Whether `head` is this batch's (events, last hash), as stated in a checkpoint body
    that the shop's key signed."""
    if head is None:
        return False
    checkpoint = head.checkpoint
    key = signing.signing_key()
    body = checkpoint.body.encode()
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
        stated = json.loads(body)["heads"]
    except (ValueError, KeyError, TypeError):
        return False
    claimed = {"batch": batch_id, "events": events, "head": last}
    return (
        checkpoint.key_id == key.key_id
        and key.verify(signature, body)
        and claimed in stated
        and (head.events, head.head) == (events, last)
    )


def photo_matches(name: str, sha256: str) -> bool:
    try:
        with default_storage.open(name, "rb") as stored:
            found = hashlib.file_digest(stored, "sha256").hexdigest()
    except OSError:
        return False
    return found == sha256


def check_batch(*, batch, events: Sequence[TraceEvent], chain, head: CheckpointHead | None) -> Seal:
    """Check a batch's record as the trace page shows it: `events` in sequence order,
    `chain` their recomputed ChainCheck, `head` the latest signed head (latest_head).
    Reads each evidence photo from storage; no queries (batch.variant must be loaded)."""
    if not events:
        return Seal()
    failures = []
    if not chain.valid:
        failures.append("chain")
    if not head_is_signed(head, batch_id=batch.pk, events=len(events), last=events[-1].hash):
        failures.append("signed")
    if records.current_facts(events) != records.batch_facts(batch):
        failures.append("facts")
    bad = tuple(
        event.sequence
        for event in events
        if event.photo.name and not photo_matches(event.photo.name, event.photo_sha256)
    )
    if bad:
        failures.append("photos")
    return Seal(failures=tuple(failures), broken_at=chain.broken_at, bad_photos=bad)


def published(checkpoint: Checkpoint) -> dict:
    """A checkpoint as the public log shows it."""
    return {
        "sequence": checkpoint.sequence,
        "body": checkpoint.body,
        "signature": checkpoint.signature,
        "key_id": checkpoint.key_id,
        "digest": checkpoint.digest,
        "previous": checkpoint.previous_digest,
    }


def public_key() -> dict:
    """What a third party needs to check signatures: the key, its id and how to check."""
    key = signing.signing_key()
    return {
        "algorithm": signing.ALGORITHM,
        "key_id": key.key_id,
        "public_key": key.public_base64,
        "public_key_pem": key.public_pem,
        "digest": "sha256(body UTF-8 bytes || 64 raw signature bytes), hex",
    }


def log_page(*, after: int, limit: int) -> tuple[list[Checkpoint], bool]:
    """Checkpoints after sequence `after`, oldest first, at most `limit`; and whether more
    follow. One query."""
    rows = list(Checkpoint.objects.filter(sequence__gt=after).order_by("sequence")[: limit + 1])
    return rows[:limit], len(rows) > limit
