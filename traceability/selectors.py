"""Reads for the Digital Link resolver and the trace page, each a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import get_language

from shop import joined_rows
from shop.models import Batch, BatchStatus, Product, Variant
from traceability import checkpoints, locations, records, trace_reads, vietnam_map
from traceability.events import ChainCheck, verify_chain
from traceability.links import digital_link, digital_link_path
from traceability.models import BatchCorrection, CorrectedField, EventKind, ScanCount, TraceEvent


@dataclass(frozen=True)
class BatchRef:
    """What the resolver needs to answer for a lot without loading the whole page."""

    id: int
    status: str
    gtin: str
    lot_code: str
    product_slug: str
    product_name_en: str
    product_name_vi: str

    @property
    def product_name(self) -> str:
        if get_language() == "vi":
            return self.product_name_vi or self.product_name_en
        return self.product_name_en or self.product_name_vi

    @property
    def recalled(self) -> bool:
        return self.status == BatchStatus.RECALLED


def find_batch(*, gtin: str, lot: str) -> BatchRef | None:
    """The published product's lot with this GTIN-14 and lot code, in one query (written
    out: every scan asks, and the ORM's building of it cost more than running it)."""
    with joined_rows.prepared_cursor() as cursor:
        cursor.execute(FIND_BATCH_SQL, [gtin, lot])
        row = cursor.fetchone()
    return BatchRef(*row) if row else None


FIND_BATCH_SQL = (
    f"SELECT b.id, b.status, v.gtin, b.lot_code, p.slug, p.name_en, p.name_vi "
    f"FROM {Batch._meta.db_table} b "
    f"INNER JOIN {Variant._meta.db_table} v ON v.id = b.variant_id "
    f"INNER JOIN {Product._meta.db_table} p ON p.id = v.product_id "
    "WHERE v.gtin = %s AND b.lot_code = %s AND p.is_published ORDER BY b.id LIMIT 1"
)


def find_corrected_batch(*, gtin: str, lot: str) -> BatchRef | None:
    """The published lot that had this lot code before a correction (the newest such), so a
    QR code printed before the correction still finds it. The ref carries the current code."""
    batch_id = (
        BatchCorrection.objects.filter(
            field=CorrectedField.LOT_CODE,
            before=lot,
            batch__variant__gtin=gtin,
            batch__variant__product__is_published=True,
        )
        .order_by("-created_at", "-pk")
        .values_list("batch_id", flat=True)
        .first()
    )
    if batch_id is None:
        return None
    row = (
        Batch.objects.filter(pk=batch_id)
        .values_list(
            "pk",
            "status",
            "variant__gtin",
            "lot_code",
            "variant__product__slug",
            "variant__product__name_en",
            "variant__product__name_vi",
        )
        .first()
    )
    return BatchRef(*row) if row else None


def find_product(*, gtin: str) -> Product | None:
    """The published product sold under this GTIN-14, for links without a lot."""
    return Product.objects.published().filter(variants__gtin=gtin).first()


def best_before_of(*, batch_id: int) -> datetime.date | None:
    """A lot's best-before date, for the resolver's `?17=` (expiry) check."""
    return Batch.objects.filter(pk=batch_id).values_list("best_before", flat=True).first()


def batch_summary(*, batch_id: int) -> Batch | None:
    """A batch with its product, cooperative and village, in one query."""
    return (
        Batch.objects.select_related("variant__product__cooperative", "village__province")
        .filter(pk=batch_id)
        .first()
    )


@dataclass(frozen=True)
class MapPin:
    label: str
    left: float
    top: float
    primary: bool

    @property
    def style(self) -> str:
        return f"left:{self.left:.2f}%;top:{self.top:.2f}%"


@dataclass
class ComponentOrigin:
    """One component lot of a box lot (an AssemblyInput), with its origin, its own chain's
    state and its live status (a recalled component shows as recalled)."""

    batch: Batch
    harvest: TraceEvent | None
    chain: ChainCheck
    quantity: int = 0

    @property
    def link_path(self) -> str:
        return digital_link_path(gtin=self.batch.variant.gtin, lot=self.batch.lot_code)


@dataclass
class TracePage:
    batch: Batch
    events: list[TraceEvent]
    chain: ChainCheck
    components: list[ComponentOrigin] = field(default_factory=list)
    pins: list[MapPin] = field(default_factory=list)
    standards: list[str] = field(default_factory=list)
    # What the seal vouches for: chain, signed head, facts and photos (checkpoints.check_batch).
    seal: checkpoints.Seal = field(default_factory=checkpoints.Seal)

    @property
    def facts(self) -> dict:
        return records.batch_facts(self.batch)

    @property
    def product(self):
        return self.batch.variant.product

    @property
    def cooperative(self):
        return self.product.cooperative

    @property
    def link(self) -> str:
        return digital_link(gtin=self.batch.variant.gtin, lot=self.batch.lot_code)

    @property
    def element_string(self) -> str:
        """The trace code in GS1's human-readable form: (01)…(10)…."""
        return f"(01){self.batch.variant.gtin}(10){self.batch.lot_code}"

    @property
    def shelf_life_days(self) -> int:
        return (self.batch.best_before - self.batch.packing_date).days

    @property
    def timeline(self) -> list[TraceEvent]:
        return sorted(self.events, key=lambda e: (e.occurred_at, e.sequence))

    @property
    def recalled(self) -> bool:
        return self.batch.status == BatchStatus.RECALLED

    @property
    def corrections(self) -> list[TraceEvent]:
        """Corrections of facts fixed at receipt, in the order they were made."""
        return [event for event in self.events if event.kind == EventKind.CORRECTION]

    @property
    def recall(self):
        """The batch's Recall (reason and date), joined by trace_page; None without one."""
        try:
            return self.batch.recall
        except ObjectDoesNotExist:
            return None

    @property
    def expired(self) -> bool:
        return self.batch.is_expired

    @property
    def withdrawn(self) -> bool:
        """Recalled or past its best-before: the page sells nothing and vouches for nothing."""
        return self.recalled or self.expired

    @property
    def contact_email(self) -> str:
        return settings.SHOP_CONTACT_EMAIL

    @property
    def stage_locations(self) -> list[locations.StageLocation]:
        """Each stage, in timeline order, with its location trace code (a GLN)."""
        return locations.stage_locations(self.timeline, cooperative=self.cooperative)


def trace_page(*, batch_id: int) -> TracePage | None:
    """Everything the trace page shows, in three queries for a lot and four for a gift set's
    lot, however many events or components there are (traceability.trace_reads): the batch
    with its product, cooperative, village and recall; a box lot's inputs; the
    events of the batch and of its components with their inputs; and the batch's latest
    signed checkpoint (for the seal, which also reads each evidence photo's file)."""
    batch = trace_reads.lot(batch_id)
    if batch is None:
        return None
    # Box lots are gift sets' lots: only they can have components to read.
    is_box = batch.variant.product.is_gift_set
    inputs = trace_reads.components(batch.pk) if is_box else []
    chains, input_ids = trace_reads.events([batch.pk, *(item.batch_id for item in inputs)])
    events = chains[batch.pk]
    page = TracePage(batch=batch, events=events, chain=verify_chain(events, input_ids))
    head = trace_reads.latest_head(batch.pk)
    page.seal = checkpoints.check_batch(batch=batch, events=events, chain=page.chain, head=head)
    for item in inputs:
        chain = chains[item.batch_id]
        harvest = next((e for e in chain if e.kind == EventKind.HARVEST), None)
        page.components.append(
            ComponentOrigin(item.batch, harvest, verify_chain(chain, input_ids), item.quantity)
        )
    for event in events:
        if event.standard and event.standard not in page.standards:
            page.standards.append(event.standard)
    page.pins = _pins(page)
    return page


def _pins(page: TracePage) -> list[MapPin]:
    pins, seen = [], set()
    villages = [(page.batch.village, True)] + [(c.batch.village, False) for c in page.components]
    for village, primary in villages:
        if village.pk in seen:
            continue
        seen.add(village.pk)
        where = vietnam_map.pin(village.latitude, village.longitude)
        if where:
            label = f"{village.name}, {village.province.name}"
            pins.append(MapPin(label=label, left=where.left, top=where.top, primary=primary))
    return pins


def scans_by_day_and_country(*, batch_id: int, since: datetime.date | None = None) -> list[dict]:
    """Flushed scan counts of a batch, newest day first: [{day, country, count}, ...]."""
    rows = ScanCount.objects.filter(batch_id=batch_id)
    if since:
        rows = rows.filter(day__gte=since)
    return list(rows.order_by("-day", "-count", "country").values("day", "country", "count"))
