"""Reads of the cooperative workspace, every one scoped to a single cooperative.

Each function takes the cooperative's id and never returns another cooperative's rows: a
batch, variant or order of someone else answers like a missing one (DoesNotExist), so ids
reveal nothing. Availability comes from BatchQuerySet.with_available, the shop's one
formula; nothing here recomputes it.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from shop.fulfilment import shipments
from shop.models import (
    AllocationState,
    Batch,
    BatchStatus,
    Cooperative,
    Order,
    OrderLine,
    OrderLineBatch,
    Shipment,
    ShipmentStatus,
    StockMovement,
    Variant,
)
from shop.search import fold
from traceability.gs1 import LOT_MAX_LENGTH
from traceability.models import TraceEvent, Village

NEAR_EXPIRY_DAYS = 30
# Allocations whose units are no longer in the order (released, or returned by a refund
# restock or a recall withdrawal): never on a packing list.
GONE_BACK = (AllocationState.RELEASED, AllocationState.RETURNED)
STATUS_TONES = {
    BatchStatus.ON_SALE: "ok",
    BatchStatus.SOLD_OUT: "muted",
    BatchStatus.EXPIRED: "bad",
    BatchStatus.RECALLED: "bad",
    BatchStatus.ASSEMBLING: "warn",
}
BATCH_COOPERATIVE = "variant__product__cooperative_id"


def cooperative(*, cooperative_id: int) -> Cooperative:
    return Cooperative.objects.select_related("village__province", "province").get(
        pk=cooperative_id
    )


def variants(*, cooperative_id: int) -> QuerySet[Variant]:
    """The cooperative's variants (what it can receive), gift sets included."""
    return (
        Variant.objects.filter(product__cooperative_id=cooperative_id)
        .select_related("product")
        .order_by("product__name", "weight_grams", "pk")
    )


def villages(*, cooperative_id: int) -> QuerySet[Village]:
    """Villages a batch of this cooperative may come from: those of its province, its own,
    and any its batches already came from (a cooperative may buy across a border)."""
    coop = Cooperative.objects.only("province_id", "village_id").get(pk=cooperative_id)
    used = Batch.objects.filter(**{BATCH_COOPERATIVE: cooperative_id}).values("village_id")
    return (
        Village.objects.filter(
            Q(province_id=coop.province_id) | Q(pk=coop.village_id) | Q(pk__in=used)
        )
        .select_related("province")
        .order_by("name", "pk")
    )


def _sold_units() -> Coalesce:
    sold = (
        OrderLineBatch.objects.filter(batch=OuterRef("pk"), state=AllocationState.SOLD)
        .order_by()
        .values("batch")
        .annotate(total=Sum("quantity"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(sold, output_field=IntegerField()), Value(0))


def batches(*, cooperative_id: int, now: datetime.datetime | None = None) -> QuerySet[Batch]:
    """The cooperative's batches annotated with `available`, `held_units`, `allocated_units`
    (BatchQuerySet.with_available) and `sold_units` (order lines' sold units)."""
    return (
        Batch.objects.filter(**{BATCH_COOPERATIVE: cooperative_id})
        .with_available(now)
        .annotate(sold_units=_sold_units())
        .select_related("variant__product", "village__province")
    )


def batch(*, cooperative_id: int, batch_id: int) -> Batch:
    """One of the cooperative's batches, annotated as in `batches`.
    Raises Batch.DoesNotExist for a batch of another cooperative."""
    return batches(cooperative_id=cooperative_id).get(pk=batch_id)


def batch_history(*, batch: Batch) -> tuple[list[StockMovement], list[TraceEvent]]:
    """A batch's ledger (newest first) and its trace events in chain order."""
    movements = list(
        StockMovement.objects.filter(batch=batch).select_related("actor").order_by("-pk")[:50]
    )
    events = list(TraceEvent.objects.filter(batch=batch).order_by("sequence"))
    return movements, events


@dataclass
class BatchRow:
    """A batch as the dashboard lists it."""

    batch: Batch
    today: datetime.date

    @property
    def held(self) -> int:
        """Units in live cart holds and in orders not yet paid."""
        return self.batch.held_units + self.batch.allocated_units

    @property
    def sellable(self) -> int:
        """Units a shopper may still take: none of a recalled or expired lot, nor of a box
        lot still waiting for its components."""
        if self.status in (BatchStatus.RECALLED, BatchStatus.EXPIRED, BatchStatus.ASSEMBLING):
            return 0
        return max(self.batch.available, 0)

    @property
    def to_quarantine(self) -> int:
        """A recalled lot's units on hand: set aside, never sold (0 for any other lot)."""
        return self.batch.on_hand if self.status == BatchStatus.RECALLED else 0

    @property
    def days_left(self) -> int:
        return (self.batch.best_before - self.today).days

    @property
    def expired(self) -> bool:
        return self.days_left < 0

    @property
    def near_expiry(self) -> bool:
        return 0 <= self.days_left <= NEAR_EXPIRY_DAYS

    @property
    def status(self) -> str:
        return self.batch.display_status

    @property
    def status_label(self) -> str:
        return BatchStatus(self.status).label

    @property
    def tone(self) -> str:
        """How the status badge looks: fine, out, or needs attention."""
        return STATUS_TONES[self.status]


@dataclass
class VariantStock:
    variant: Variant
    available: int


@dataclass
class Dashboard:
    rows: list[BatchRow]
    low_stock: list[VariantStock]
    near_expiry: list[BatchRow]
    orders_to_pack: list[Order]
    threshold: int = field(default_factory=lambda: settings.LOW_STOCK_THRESHOLD)

    @property
    def has_alerts(self) -> bool:
        return bool(self.low_stock or self.near_expiry)


def stock_rows(
    *, cooperative_id: int, today: datetime.date | None = None, now=None
) -> list[BatchRow]:
    """Batches that still have stock on hand, earliest best-before first."""
    today = today or timezone.localdate()
    rows = batches(cooperative_id=cooperative_id, now=now).filter(on_hand__gt=0)
    return [BatchRow(batch, today) for batch in rows.order_by("best_before", "pk")]


def low_stock(
    *, cooperative_id: int, rows: list[BatchRow], today: datetime.date | None = None
) -> list[VariantStock]:
    """Variants a shopper can buy at most LOW_STOCK_THRESHOLD units of (0 included), summed
    over their batches on sale. `rows` are the cooperative's stock_rows. A gift set counts
    its box lots: a low figure says it is time to assemble more boxes."""
    today = today or timezone.localdate()
    available: dict[int, int] = defaultdict(int)
    for row in rows:
        sellable = row.batch.status == BatchStatus.ON_SALE and row.batch.best_before >= today
        if sellable:
            available[row.batch.variant_id] += max(row.batch.available, 0)
    threshold = settings.LOW_STOCK_THRESHOLD
    return [
        VariantStock(variant, available[variant.pk])
        for variant in variants(cooperative_id=cooperative_id)
        if available[variant.pk] <= threshold
    ]


def _own_shipments(orders: QuerySet[Order], cooperative_id: int, status: str) -> QuerySet[Order]:
    """Orders whose shipment of this cooperative has `status`, oldest paid first."""
    return _own_lines(
        orders.filter(shipments__cooperative_id=cooperative_id, shipments__status=status),
        cooperative_id,
    ).order_by("paid_at", "pk")


def orders_to_pack(*, cooperative_id: int) -> QuerySet[Order]:
    """Orders whose shipment of this cooperative waits to be packed, oldest paid first
    (first paid, first packed); `lines` holds only this cooperative's lines and
    `own_shipments` its shipment. A shipment on hold (a recall) is not listed."""
    return _own_shipments(Order.objects.all(), cooperative_id, ShipmentStatus.TO_PACK)


def orders_to_ship(*, cooperative_id: int) -> QuerySet[Order]:
    """Orders whose shipment of this cooperative is packed, waiting to leave."""
    return _own_shipments(Order.objects.all(), cooperative_id, ShipmentStatus.PACKED)


def orders_on_the_way(*, cooperative_id: int, limit: int = 50) -> QuerySet[Order]:
    """Orders whose shipment of this cooperative left and has not arrived yet."""
    return _own_shipments(Order.objects.all(), cooperative_id, ShipmentStatus.SHIPPED)[:limit]


def orders_on_hold(*, cooperative_id: int) -> QuerySet[Order]:
    return _own_shipments(Order.objects.all(), cooperative_id, ShipmentStatus.ON_HOLD)


def _own_lines(orders: QuerySet[Order], cooperative_id: int) -> QuerySet[Order]:
    allocations = OrderLineBatch.objects.exclude(state__in=GONE_BACK).select_related(
        "batch__village__province", "batch__variant", "component"
    )
    lines = (
        OrderLine.objects.filter(
            Q(shipment__cooperative_id=cooperative_id)
            | Q(shipment__isnull=True, variant__product__cooperative_id=cooperative_id)
        )
        .select_related("variant__product")
        .prefetch_related(Prefetch("batches", queryset=allocations))
        .order_by("pk")
    )
    own = Shipment.objects.filter(cooperative_id=cooperative_id)
    return (
        orders.distinct()
        .select_related("shipping_address", "shipping_method")
        .prefetch_related(
            Prefetch("lines", queryset=lines),
            Prefetch("shipments", queryset=own, to_attr="own_shipments"),
        )
    )


def order(*, cooperative_id: int, number: str) -> Order:
    """An order holding this cooperative's products, with only its own lines in `lines`
    and its own shipment in `shipment` (None before payment).

    `has_other_lines` says whether other cooperatives pack part of it. Raises
    Order.DoesNotExist for an order without this cooperative's products.
    """
    found = _own_lines(
        Order.objects.filter(
            Q(shipments__cooperative_id=cooperative_id)
            | Q(lines__variant__product__cooperative_id=cooperative_id)
        ),
        cooperative_id,
    ).get(number=number)
    found.shipment = found.own_shipments[0] if found.own_shipments else None
    found.hold_label = (
        shipments.hold_reason_label(found.shipment.hold_reason) if found.shipment else ""
    )
    found.has_other_lines = (
        OrderLine.objects.filter(order=found)
        .exclude(pk__in=[line.pk for line in found.lines.all()])
        .exists()
    )
    return found


def dashboard(*, cooperative_id: int, now: datetime.datetime | None = None) -> Dashboard:
    """Stock on hand by batch, the alerts, and the orders waiting to be packed."""
    today = timezone.localdate(now) if now else timezone.localdate()
    rows = stock_rows(cooperative_id=cooperative_id, today=today, now=now)
    return Dashboard(
        rows=rows,
        low_stock=low_stock(cooperative_id=cooperative_id, rows=rows, today=today),
        near_expiry=[
            row
            for row in rows
            if row.batch.status != BatchStatus.RECALLED and (row.near_expiry or row.expired)
        ],
        orders_to_pack=list(orders_to_pack(cooperative_id=cooperative_id)),
    )


def all_batches(*, cooperative_id: int) -> QuerySet[Batch]:
    """Every batch of the cooperative, newest first (for the batch list and labels)."""
    return batches(cooperative_id=cooperative_id).order_by("-created_at", "-pk")


def batch_choices(*, cooperative_id: int, limit: int = 200) -> list[tuple[int, str]]:
    """(id, "lot · product") of the cooperative's newest batches, for a select."""
    rows = (
        Batch.objects.filter(**{BATCH_COOPERATIVE: cooperative_id})
        .order_by("-created_at", "-pk")
        .values_list("pk", "lot_code", "variant__product__name_vi", "variant__product__name_en")
    )[:limit]
    vietnamese = get_language() == "vi"
    return [(pk, f"{lot} · {(vi or en) if vietnamese else (en or vi)}") for pk, lot, vi, en in rows]


_NOT_LOT = re.compile(r"[^A-Z0-9]")


def suggest_lot_code(
    *, variant: Variant, day: datetime.date, taken: set[tuple[int, str]] | None = None
) -> str:
    """A lot code nobody used yet for this variant: the product's initials and the day, e.g.
    "NMPQ-250305" for Nước mắm Phú Quốc harvested on 5 March 2025; "-2", "-3"... when taken.
    `taken` adds (variant id, lot code) pairs not saved yet (rows earlier in an import).
    """
    name = variant.product.name_vi or variant.product.name_en or variant.product.name
    initials = "".join(word[0] for word in fold(name).upper().split() if word[0].isalnum())
    initials = _NOT_LOT.sub("", initials)[:6] or "LOT"
    base = f"{initials}-{day:%y%m%d}"
    used = set(
        Batch.objects.filter(variant=variant, lot_code__startswith=base).values_list(
            "lot_code", flat=True
        )
    )
    used |= {lot for variant_id, lot in taken or () if variant_id == variant.pk}
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}-{number}"
    return candidate[:LOT_MAX_LENGTH]
