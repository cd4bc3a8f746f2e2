"""Correcting a fact fixed at a batch's receipt: its lot code, dates or village of origin.

Those facts are printed on labels and QR codes and shown on the trace page, so they are
never edited in place (admin, workspace and API show them read-only). A mistake is fixed
by `correct_batch`, which records who, when, the value before and after and why as a
CORRECTION event in the batch's hash-chained log, keeps a BatchCorrection row for lookups
(the resolver finds a batch by a lot code it had before), and updates the Batch, all in one
transaction. The quantity received is not correctable: stock changes go through the ledger
(shop.inventory.record_movement, an adjustment).

Lock order: the batch row only (shop.inventory.locks.lock_batches), like every stock writer,
so a correction of the dates waits for holds and sales reading the batch and vice versa.
"""

import datetime
from dataclasses import dataclass

from babel.dates import format_date
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shop import languages, pagecache
from shop.identifiers import parse_id
from shop.inventory.locks import lock_batches
from shop.models import Batch, User
from traceability import events, records
from traceability.gs1 import InvalidLot, validate_lot
from traceability.models import BatchCorrection, CorrectedField, Village

REASON_MAX_LENGTH = 500
DATE_FIELDS = (
    CorrectedField.HARVEST_DATE,
    CorrectedField.PACKING_DATE,
    CorrectedField.BEST_BEFORE,
)
_BABEL_LOCALES = languages.BABEL_LOCALES


class CorrectionError(ValueError):
    """The correction was refused; nothing was written."""


class NotCorrectable(CorrectionError):
    """The field is not one a correction may change (the quantity received never is)."""


class CorrectionNotAllowed(CorrectionError, PermissionDenied):
    """Only a superuser or active staff of the batch's own cooperative may correct it."""


class InvalidCorrection(CorrectionError):
    """The new value or the reason is not acceptable; `code` says which rule it broke:
    reason, unchanged, lot, lot_taken, dates, village, value."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def may_correct(*, user: User | None, cooperative_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.is_cooperative_staff and user.cooperative_id == cooperative_id


def as_code(field: str, value) -> str:
    """How a value is stored on the BatchCorrection row: lot code, ISO date, village id."""
    if field == CorrectedField.VILLAGE:
        return str(value.pk if isinstance(value, Village) else value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def describe(field: str, code: str, *, villages: dict[int, Village] | None = None) -> str:
    """A stored value in words for the active language (a date as that language writes it)."""
    if field in DATE_FIELDS:
        language = (translation.get_language() or "en")[:2]
        day = datetime.date.fromisoformat(code)
        return format_date(day, "long", locale=_BABEL_LOCALES.get(language, "en_US"))
    if field == CorrectedField.VILLAGE:
        village = (villages or {}).get(int(code)) or (
            Village.objects.select_related("province").filter(pk=int(code)).first()
        )
        return f"{village.name}, {village.province.name}" if village else code
    return code


def sentence(*, field: str, before: str, after: str, reason: str) -> str:
    """ "lot code corrected from X to Y: reason", in the active language."""
    return _("%(field)s corrected from %(before)s to %(after)s: %(reason)s") % {
        "field": CorrectedField(field).label,
        "before": describe(field, before),
        "after": describe(field, after),
        "reason": reason,
    }


def _checked_value(batch: Batch, field: str, value):
    if field == CorrectedField.LOT_CODE:
        try:
            value = validate_lot(str(value or "").strip())
        except InvalidLot as exc:
            raise InvalidCorrection(str(exc), "lot") from None
        taken = Batch.objects.filter(variant_id=batch.variant_id, lot_code=value).exclude(
            pk=batch.pk
        )
        # A code another lot of this product had before: its printed QR codes still lead
        # there (selectors.find_corrected_batch), so it is not given to a second lot.
        earlier = BatchCorrection.objects.filter(
            field=CorrectedField.LOT_CODE,
            before=value,
            batch__variant_id=batch.variant_id,
        ).exclude(batch_id=batch.pk)
        if taken.exists() or earlier.exists():
            raise InvalidCorrection("Another lot of this product has that code.", "lot_taken")
        return value
    if field == CorrectedField.VILLAGE:
        if isinstance(value, Village):
            return value
        village_id = parse_id(value)
        village = Village.objects.filter(pk=village_id).first() if village_id else None
        if village is None:
            raise InvalidCorrection("No such village.", "village")
        return village
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise InvalidCorrection("A date is needed.", "value")
    dates = {name: getattr(batch, name) for name in DATE_FIELDS} | {field: value}
    if not dates["harvest_date"] <= dates["packing_date"] <= dates["best_before"]:
        raise InvalidCorrection(
            "Harvest, packing and best-before must stay in that order.", "dates"
        )
    return value


def correct_batch(
    *,
    batch: Batch,
    field: str,
    value,
    reason: str,
    actor: User | None,
    now: datetime.datetime | None = None,
) -> BatchCorrection:
    """Correct one fact fixed at the batch's receipt.

    Rules: `field` is one of CorrectedField (lot code, harvest, packing or best-before date,
    village); the quantity received or anything else raises NotCorrectable. `actor` is a
    superuser or active staff of the batch's cooperative (else CorrectionNotAllowed). The
    reason is 1–500 characters; a lot code is valid GS1 and not used now or before by
    another lot of the same product; dates stay harvest ≤ packing ≤ best-before; the value
    differs from the current one (else InvalidCorrection with a code).
    Side effects, one transaction: locks the batch row, appends a CORRECTION event to its
    log (notes in English and Vietnamese: "lot code corrected from X to Y: reason"), writes
    a BatchCorrection row, updates the Batch field. After commit: the batch's trace page and
    link entries and the storefront's page cache get new versions.
    """
    if field not in CorrectedField.values:
        raise NotCorrectable(f"{field!r} cannot be corrected; stock changes go through the ledger.")
    reason = (reason or "").strip()
    if not 1 <= len(reason) <= REASON_MAX_LENGTH:
        raise InvalidCorrection("A correction needs a reason of 1 to 500 characters.", "reason")
    now = now or timezone.now()
    try:
        correction = _correct(
            batch=batch, field=field, value=value, reason=reason, actor=actor, now=now
        )
    except IntegrityError:
        # Another lot of the product took the same code a moment ago (batch_lot_unique).
        raise InvalidCorrection("Another lot of this product has that code.", "lot_taken") from None
    batch.refresh_from_db()
    return correction


def _correct(*, batch, field, value, reason, actor, now) -> BatchCorrection:
    with transaction.atomic():
        lock_batches([batch.pk])
        current = Batch.objects.select_related("variant__product__cooperative", "village").get(
            pk=batch.pk
        )
        if not may_correct(user=actor, cooperative_id=current.variant.product.cooperative_id):
            raise CorrectionNotAllowed("Only the batch's own cooperative may correct it.")
        value = _checked_value(current, field, value)
        attribute = "village_id" if field == CorrectedField.VILLAGE else field
        before, after = as_code(field, getattr(current, attribute)), as_code(field, value)
        if before == after:
            raise InvalidCorrection("The new value is the same as the current one.", "unchanged")
        notes = {}
        for language in ("en", "vi"):
            with translation.override(language):
                notes[f"notes_{language}"] = sentence(
                    field=field, before=before, after=after, reason=reason
                )
        event = events.record_correction(
            batch=current,
            occurred_at=now,
            place=current.variant.product.cooperative.name,
            actor=(actor.get_full_name() or actor.email) if actor else "OCOP Village Shop",
            recorded_by=actor,
            facts=records.correction_facts(field=field, value=value),
            **notes,
        )
        correction = BatchCorrection.objects.create(
            batch=current,
            field=field,
            before=before,
            after=after,
            reason=reason,
            actor=actor,
            created_at=now,
            event=event,
        )
        stored = value.pk if field == CorrectedField.VILLAGE else value
        Batch.objects.filter(pk=current.pk).update(**{attribute: stored})
        # append_event refreshes the trace page on commit; the storefront shows lot and dates.
        transaction.on_commit(pagecache.invalidate)
    return correction


@dataclass(frozen=True)
class HistoryRow:
    correction: BatchCorrection
    text: str


def history(*, batch_id: int) -> list[HistoryRow]:
    """The batch's corrections, newest first, each worded in the active language."""
    rows = BatchCorrection.objects.filter(batch_id=batch_id).select_related("actor")
    return [
        HistoryRow(
            row,
            sentence(field=row.field, before=row.before, after=row.after, reason=row.reason),
        )
        for row in rows.order_by("-created_at", "-pk")
    ]
