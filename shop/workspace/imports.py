"""Importing a cooperative's batches from a CSV or XLSX file: all rows or none.

Every row is checked before anything is written, and the report names each row's problems
(an SKU that is not one of the cooperative's products, a bad or out-of-order date, a lot code
already used or used twice in the file, a bad quantity, an unknown village). Only a file
without a single problem is imported, in one transaction, each batch through
traceability.receipts.receive_lot (a batch row, its opening `received` movement and the
first event of its trace record). If a write is still refused there (another upload took
the same lot code a moment earlier), the whole import rolls back and that row's problem is
reported.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import inventory
from shop.identifiers import parse_count
from shop.message_codes import coded
from shop.models import Batch, User, Variant
from shop.search import fold
from shop.workspace import selectors
from shop.workspace.spreadsheets import Cell, Sheet
from traceability import receipts
from traceability.gs1 import InvalidLot, validate_lot
from traceability.models import Village

MAX_QUANTITY = 100_000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


@dataclass
class RowReport:
    number: int  # the row's number in the file (the header is row 1)
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowReport]
    batches: list[Batch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(row.errors for row in self.rows)

    @property
    def error_rows(self) -> list[RowReport]:
        return [row for row in self.rows if row.errors]


@dataclass(frozen=True)
class _Batch:
    variant: Variant
    lot_code: str
    harvest_date: datetime.date
    packing_date: datetime.date
    best_before: datetime.date
    quantity: int
    village: Village


class ImportRejected(Exception):
    """At least one row has a problem; nothing was imported. `report` says which."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(f"{len(report.error_rows)} rows have problems.")


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _date(cell: Cell, label: str, errors: list[str]) -> datetime.date | None:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = _text(cell)
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    errors.append(
        _("%(column)s: “%(value)s” is not a date (write 05/03/2025 or 2025-03-05).")
        % {"column": label, "value": text}
    )
    return None


def _quantity(cell: Cell, errors: list[str]) -> int | None:
    text = _text(cell).replace(" ", "")
    quantity = parse_count(text, maximum=MAX_QUANTITY)
    if quantity:
        return quantity
    errors.append(
        _("Quantity: “%(value)s” is not a whole number from 1 to %(max)d.")
        % {"value": text, "max": MAX_QUANTITY}
    )
    return None


class _Context:
    """What every row is checked against, read once per file."""

    def __init__(self, cooperative_id: int, today: datetime.date):
        self.today = today
        self.variants = {
            v.sku.casefold(): v for v in selectors.variants(cooperative_id=cooperative_id)
        }
        self.default_village = selectors.cooperative(cooperative_id=cooperative_id).village
        self.villages: dict[str, list[Village]] = {}
        for village in selectors.villages(cooperative_id=cooperative_id):
            for name in (village.name, f"{village.name}, {village.province.name}"):
                self.villages.setdefault(fold(name), []).append(village)
        self.taken = set(
            Batch.objects.filter(variant__in=self.variants.values()).values_list(
                "variant_id", "lot_code"
            )
        )

    def village(self, cell: Cell, errors: list[str]) -> Village | None:
        name = _text(cell)
        if not name:
            return self.default_village
        found = self.villages.get(fold(name), [])
        if len(found) == 1:
            return found[0]
        if found:
            errors.append(
                _("Village: several villages are called “%(name)s”; add the province, e.g. "
                  "“%(example)s”.") % {"name": name, "example": str(found[0])}
            )  # fmt: skip
        else:
            errors.append(_("Village: “%(name)s” is not a village we know.") % {"name": name})
        return None


def _check(
    number: int, cells: dict[str, Cell], context: _Context
) -> tuple[RowReport, _Batch | None]:
    report = RowReport(number, {key: _text(value) for key, value in cells.items()})
    errors = report.errors
    sku = _text(cells.get("sku"))
    variant = context.variants.get(sku.casefold()) if sku else None
    if not sku:
        errors.append(_("SKU: missing."))
    elif variant is None:
        # The same words for an unknown SKU and another cooperative's: ids reveal nothing.
        errors.append(_("SKU: “%(sku)s” is not one of your products.") % {"sku": sku})
    harvest = _date(cells.get("harvest_date"), _("Harvest date"), errors)
    packing = _date(cells.get("packing_date"), _("Packing date"), errors)
    best_before = _date(cells.get("best_before"), _("Best before"), errors)
    if harvest is None and not _text(cells.get("harvest_date")):
        errors.append(_("Harvest date: missing."))
    if best_before is None and not _text(cells.get("best_before")):
        errors.append(_("Best before: missing."))
    packing = packing or harvest
    if harvest and harvest > context.today:
        errors.append(_("Harvest date: it is in the future."))
    if harvest and packing and best_before:
        try:  # the order of the dates is the batch's own rule
            Batch(harvest_date=harvest, packing_date=packing, best_before=best_before).clean()
        except ValidationError as exc:
            errors.extend(exc.messages)
    if best_before and best_before < context.today:
        errors.append(_("Best before: this date has passed."))
    quantity = _quantity(cells.get("quantity"), errors)
    village = context.village(cells.get("village"), errors)
    lot = _text(cells.get("lot_code"))
    if lot:
        try:
            validate_lot(lot)
        except InvalidLot:
            errors.append(
                _("Lot code: “%(lot)s” must be 1 to 20 letters, digits or - . _ / without spaces.")
                % {"lot": lot}
            )
    elif variant and harvest:
        lot = selectors.suggest_lot_code(variant=variant, day=harvest, taken=context.taken)
        report.cells["lot_code"] = lot
    if variant and lot and (variant.pk, lot) in context.taken:
        errors.append(_("Lot code: “%(lot)s” is already used for this product.") % {"lot": lot})
    if errors:
        return report, None
    context.taken.add((variant.pk, lot))
    return report, _Batch(variant, lot, harvest, packing, best_before, quantity, village)


def check_sheet(*, cooperative_id: int, sheet: Sheet, today: datetime.date | None = None):
    """Check every row of the sheet; writes nothing. Returns (report, batches to receive)."""
    context = _Context(cooperative_id, today or timezone.localdate())
    report, valid = ImportReport(rows=[]), []
    for number, cells in sheet.rows:
        row, batch = _check(number, cells, context)
        report.rows.append(row)
        if batch:
            valid.append((row, batch))
    return report, valid


def import_batches(
    *, cooperative_id: int, sheet: Sheet, actor: User, today: datetime.date | None = None
) -> ImportReport:
    """Receive every batch of the sheet, or none.

    Checks all rows first (check_sheet); any problem raises ImportRejected with the report
    and writes nothing. Otherwise receives the batches in one transaction through
    traceability.receipts.receive_lot (each with its opening trace event); a refusal there
    rolls back all of them and raises ImportRejected.
    Returns the report with the batches created.
    """
    report, valid = check_sheet(cooperative_id=cooperative_id, sheet=sheet, today=today)
    if not report.ok:
        raise ImportRejected(report)
    note = coded("imported_file")
    failed = None
    try:
        with transaction.atomic():
            for row, batch in valid:
                failed = row
                report.batches.append(
                    receipts.receive_lot(
                        variant=batch.variant,
                        lot_code=batch.lot_code,
                        harvest_date=batch.harvest_date,
                        packing_date=batch.packing_date,
                        best_before=batch.best_before,
                        village=batch.village,
                        quantity=batch.quantity,
                        actor=actor,
                        reason=note,
                    )
                )
    except (ValidationError, IntegrityError, inventory.InventoryError) as exc:
        report.batches = []
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        if isinstance(exc, IntegrityError):
            messages = [_("Lot code: another upload used it a moment ago.")]
        failed.errors.extend(messages)
        raise ImportRejected(report) from exc
    return report
