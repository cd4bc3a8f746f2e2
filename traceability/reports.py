"""Buyers' reports of products that may not be what their trace page says.

Any scanned code can be reported, known or not: a code we have no record of is the likeliest
counterfeit. A report names what was scanned (GTIN, lot), the lot we know by that code when
there is one, and the cooperative that sells that GTIN, which reads it in its workspace and
its daily digest (shop.workspace); a GTIN nobody here sells reaches the shop's admins only.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from shop import uploads
from shop.models import Batch, Cooperative, Product, Variant
from traceability import selectors
from traceability.gs1 import InvalidGTIN, InvalidLot, normalise_gtin, validate_lot
from traceability.models import ReportReason, SuspiciousProductReport

DETAILS_MAX_LENGTH = 2000
PLACE_MAX_LENGTH = 200


class InvalidReport(ValueError):
    """The report is missing a reason or its text, names a malformed code, or its photo is
    not a picture we accept. `code` says which: reason, gtin, lot, photo."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ScannedItem:
    """What we know of a scanned code: its lot, its product, who sells it (each may be None)."""

    gtin: str
    lot: str
    batch: Batch | None
    product: Product | None
    cooperative: Cooperative | None


def scanned_code(*, gtin: str, lot: str) -> tuple[str, str]:
    """The GTIN-14 and lot of a scanned code ("" for no lot). Raises InvalidReport (code
    "gtin" or "lot") for anything GS1 would not accept, so nothing odd reaches a query."""
    try:
        gtin = normalise_gtin(gtin)
    except InvalidGTIN as exc:
        raise InvalidReport(str(exc), code="gtin") from None
    try:
        return gtin, validate_lot(lot) if lot else ""
    except InvalidLot as exc:
        raise InvalidReport(str(exc), code="lot") from None


def scanned_item(*, gtin: str, lot: str) -> ScannedItem:
    """What the shop knows of a well-formed code (a read; at most three queries).

    The lot is found by its code, or by a code it had before a correction (a label printed
    then still names it); the product and cooperative by the GTIN, published or not: the
    cooperative that sells the GTIN is who should hear about a suspicious jar of it."""
    batch = None
    if lot:
        batch = _batch(gtin=gtin, lot=lot)
    if batch is not None:
        product = batch.variant.product
    else:
        variant = Variant.objects.filter(gtin=gtin).select_related("product__cooperative").first()
        product = variant.product if variant else None
    return ScannedItem(
        gtin=gtin,
        lot=lot,
        batch=batch,
        product=product,
        cooperative=product.cooperative if product else None,
    )


def _batch(*, gtin: str, lot: str) -> Batch | None:
    related = ("variant__product__cooperative", "village__province")
    found = Batch.objects.filter(variant__gtin=gtin, lot_code=lot).select_related(*related).first()
    if found is None:
        corrected = selectors.find_corrected_batch(gtin=gtin, lot=lot)
        if corrected is not None:
            found = Batch.objects.select_related(*related).filter(pk=corrected.id).first()
    return found


def _clean_photo(photo: File | None) -> uploads.CleanImage | None:
    if photo is None:
        return None
    try:
        return uploads.reencode_image(photo)
    except ValidationError as refused:
        raise InvalidReport(" ".join(refused.messages), code="photo") from None


def file_report(
    *,
    gtin: str,
    lot: str,
    reason: ReportReason | str,
    details: str,
    place_of_purchase: str = "",
    email: str = "",
    language: str = "en",
    photo: File | None = None,
) -> SuspiciousProductReport:
    """Store one buyer's report of the code they scanned, known to us or not.

    Rule: a reason among ReportReason and a description; a well-formed GTIN and lot (lot
    optional); a photo, when given, only as a re-encoded JPEG, PNG or WebP within
    shop.uploads' limits. The report is tied to the lot when we know it and to the
    cooperative that sells the GTIN when anyone does. Side effects: one row, and the photo
    stored under reports/ with a generated name. Raises InvalidReport."""
    if reason not in ReportReason.values or not details.strip():
        raise InvalidReport("A report needs a reason and a description.", code="reason")
    gtin, lot = scanned_code(gtin=gtin, lot=lot)
    clean = _clean_photo(photo)
    item = scanned_item(gtin=gtin, lot=lot)
    with transaction.atomic():
        return SuspiciousProductReport.objects.create(
            batch=item.batch,
            cooperative=item.cooperative,
            gtin=gtin,
            lot=lot,
            photo=clean,
            reason=reason,
            details=details.strip()[:DETAILS_MAX_LENGTH],
            place_of_purchase=place_of_purchase.strip()[:PLACE_MAX_LENGTH],
            email=email.strip(),
            language=language[:5],
        )


@transaction.atomic
def mark_resolved(*, report_id: int, cooperative_id: int | None, resolved: bool = True) -> int:
    """Mark a report resolved (or open again). `cooperative_id` confines the change to that
    cooperative's reports (None: any report, for the shop's own staff). Returns the rows
    changed: 0 for a report that is not theirs or does not exist. Writes the one flag."""
    rows = SuspiciousProductReport.objects.filter(pk=report_id)
    if cooperative_id is not None:
        rows = rows.filter(cooperative_id=cooperative_id)
    return rows.update(resolved=resolved)


def reports_since(
    *, cooperative_id: int, since: datetime.datetime | None, until: datetime.datetime
) -> list[SuspiciousProductReport]:
    """The cooperative's reports received after `since` (all still open, when None) and up
    to `until`, newest first, with their lot and product (one query)."""
    rows = SuspiciousProductReport.objects.filter(
        cooperative_id=cooperative_id, created_at__lte=until
    )
    rows = rows.filter(created_at__gt=since) if since else rows.filter(resolved=False)
    return list(rows.select_related("batch__variant__product").order_by("-created_at", "-pk"))
