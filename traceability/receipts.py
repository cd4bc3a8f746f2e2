"""Receiving a lot: the batch, its opening stock movement and the first event of its record.

Every door that receives batches (workspace form and spreadsheet import, GraphQL, admin)
calls receive_lot, so no lot reaches the shelves without a record whose first event holds
its facts (GTIN, lot code, dates, village: traceability.records.batch_facts) under a signed
checkpoint (traceability.checkpoints).
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from shop import inventory
from shop.message_codes import Coded
from shop.models import Batch, User, Variant
from traceability import events
from traceability.models import EventKind, Village

# A harvest has a day, not a time: the record says noon of that day, Vietnam time.
HARVEST_HOUR = 12


def harvest_moment(day: datetime.date, *, now: datetime.datetime | None = None):
    """Noon of the harvest day in Vietnam, or now when that noon has not come yet."""
    noon = datetime.datetime.combine(
        day, datetime.time(HARVEST_HOUR), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )
    return min(noon, now or timezone.now())


def receive_lot(
    *,
    variant: Variant,
    lot_code: str,
    harvest_date: datetime.date,
    packing_date: datetime.date,
    best_before: datetime.date,
    village: Village,
    quantity: int,
    actor: User | None = None,
    reason: str | Coded = "",
    harvest_notes: tuple[str, str] = ("", ""),
    harvest_photo: File | None = None,
) -> Batch:
    """Receive a batch (shop.inventory.receive_batch) and open its trace record.

    Side effects, one transaction: a Batch, its `received` StockMovement, a HARVEST event
    (at noon Vietnam time of the harvest date, in the batch's village, by the cooperative,
    carrying the batch's facts; `harvest_notes` (English, Vietnamese) and `harvest_photo`
    describe it) and the signed checkpoint of that head. Raises what
    receive_batch raises (ValidationError, inventory.InventoryError, IntegrityError for a
    lot code taken a moment ago); a refused event is a ValidationError. Nothing is written
    then.
    """
    with transaction.atomic():
        batch = inventory.receive_batch(
            variant=variant, lot_code=lot_code, harvest_date=harvest_date,
            packing_date=packing_date, best_before=best_before, village=village,
            quantity=quantity, actor=actor, reason=reason,
        )  # fmt: skip
        cooperative = variant.product.cooperative
        try:
            events.append_event(
                batch=batch,
                kind=EventKind.HARVEST,
                occurred_at=harvest_moment(harvest_date),
                place=f"{village.name}, {village.province.name}",
                actor=cooperative.name,
                village=village,
                notes_en=harvest_notes[0],
                notes_vi=harvest_notes[1],
                photo=harvest_photo,
                recorded_by=actor,
            )
        except events.InvalidEvent as refused:
            raise ValidationError(str(refused)) from None
    return batch
