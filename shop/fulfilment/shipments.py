"""Shipments: the part of a paid order one cooperative packs and ships.

When an order is paid, `open_shipments` splits it into one Shipment per cooperative of its
lines (a line belongs to the cooperative of its product; a gift box to the gift set's).
Each shipment then moves on its own (shop.fulfilment.transitions.SHIPMENT_TRANSITIONS):
to pack → packed → shipped → delivered, on hold and back while a recall looks at it,
cancelled when nothing is left to send. After each move the order's status is derived
from its shipments and written with a history row (paid → partly shipped → shipped →
delivered).

Locks: order → shipment (the order row FOR NO KEY UPDATE, then the shipment FOR UPDATE),
inside the global order cart → batches → order → shipment → payment; callers that hold
batch locks (refund restock, recall withdrawal) take them before calling here.
A cooperative acts only on its own shipments: pass `cooperative_id` and another
cooperative's shipment answers Shipment.DoesNotExist, writing nothing.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop import notifications, orders
from shop.fulfilment import transitions
from shop.message_codes import Coded, coded
from shop.models import Order, OrderLine, User
from shop.models.fulfilment import Shipment, ShipmentStatus, ShipmentStatusChange

# Why a shipment waits: codes stored on the row, words shown to readers.
HOLD_REASONS = {
    "recall": _("A lot in this parcel is recalled"),
    "review": _("Held for review"),
}


class ShipmentError(Exception):
    """Base of refused shipment changes; nothing was written."""


class InvalidShipmentMove(ShipmentError):
    def __init__(self, *, shipment_id: int, from_status: str, to_status: str):
        self.shipment_id, self.from_status, self.to_status = shipment_id, from_status, to_status
        super().__init__(f"Shipment {shipment_id} cannot go from {from_status} to {to_status}.")


class TrackingMissing(ShipmentError):
    """A shipped parcel needs its carrier and tracking number."""


class AlreadyShipped(ShipmentError):
    """The shipment left under another tracking number; it is not changed."""

    def __init__(self, *, shipment_id: int, carrier: str, tracking_number: str):
        self.shipment_id, self.carrier, self.tracking_number = (
            shipment_id,
            carrier,
            tracking_number,
        )
        super().__init__(
            f"Shipment {shipment_id} already left with {carrier} under {tracking_number}."
        )


class UnknownHoldReason(ShipmentError):
    pass


def line_cooperative_id(line: OrderLine) -> int | None:
    """The cooperative that sends a line: its product's, else (variant deleted) the
    cooperative of the lot it took."""
    if line.variant_id is not None:
        return line.variant.product.cooperative_id
    allocation = line.batches.select_related("batch__variant__product").first()
    return allocation.batch.variant.product.cooperative_id if allocation else None


def open_shipments(*, order: Order, now: datetime.datetime | None = None) -> list[Shipment]:
    """Split a paid order into one shipment per cooperative of its lines and set each
    line's shipment. The caller holds the order's lock (shop.fulfilment.payment.pay_order).
    Idempotent: lines that already have a shipment keep it. Writes one Shipment and one
    ShipmentStatusChange per cooperative."""
    now = now or timezone.now()
    by_coop: dict[int, list[int]] = defaultdict(list)
    lines = OrderLine.objects.filter(order=order, shipment__isnull=True).select_related(
        "variant__product"
    )
    for line in lines:
        coop_id = line_cooperative_id(line)
        if coop_id is not None:
            by_coop[coop_id].append(line.pk)
    opened = []
    for coop_id in sorted(by_coop):
        shipment, created = Shipment.objects.get_or_create(
            order=order, cooperative_id=coop_id, defaults={"created_at": now}
        )
        if created:
            ShipmentStatusChange.objects.create(
                shipment=shipment, from_status="", to_status=ShipmentStatus.TO_PACK, created_at=now
            )
        OrderLine.objects.filter(pk__in=by_coop[coop_id]).update(shipment=shipment)
        opened.append(shipment)
    return opened


def _lock(shipment_id: int, cooperative_id: int | None) -> tuple[Order, Shipment]:
    """Lock the shipment's order, then the shipment (the lock order)."""
    found = Shipment.objects.filter(pk=shipment_id)
    if cooperative_id is not None:
        found = found.for_cooperative(cooperative_id)
    order_id = found.values_list("order_id", flat=True).get()
    order = orders.lock_order(order_id=order_id)
    return order, Shipment.objects.select_for_update().get(pk=shipment_id)


def _move(
    shipment: Shipment,
    to_status: str,
    *,
    actor: User | None,
    note: str | Coded = "",
    now: datetime.datetime,
    **changes,
) -> Shipment:
    if not transitions.shipment_may_move(shipment.status, to_status):
        raise InvalidShipmentMove(
            shipment_id=shipment.pk, from_status=shipment.status, to_status=to_status
        )
    ShipmentStatusChange.objects.create(
        shipment=shipment,
        from_status=shipment.status,
        to_status=to_status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        # The shipment history has no code columns: a coded note is kept as its code.
        note=(note.code if isinstance(note, Coded) else note)[:300],
        created_at=now,
    )
    Shipment.objects.filter(pk=shipment.pk).update(status=to_status, **changes)
    shipment.refresh_from_db()
    return shipment


def derive_order_status(
    *, order: Order, actor: User | None, now: datetime.datetime, note: str | Coded = ""
) -> Order:
    """Write the status the order's shipments give it, with a history row, when it
    differs. The caller holds the order's lock. An order whose shipments were all
    cancelled is left to the cancel or refund path."""
    if order.status not in transitions.SHIPMENT_DRIVEN:
        return order
    statuses = Shipment.objects.filter(order=order).values_list("status", flat=True)
    target = transitions.derived_order_status(statuses)
    if target is None or target == order.status:
        return order
    if not transitions.order_may_move(order.status, target):
        raise InvalidShipmentMove(shipment_id=0, from_status=order.status, to_status=target)
    return orders.write_move(order=order, to_status=target, actor=actor, note=note, now=now)


def mark_packed(
    *, shipment_id: int, actor: User | None, cooperative_id: int | None = None, now=None
) -> Shipment:
    """A cooperative packed its shipment. Idempotent once packed; raises
    InvalidShipmentMove from any status but to pack, Shipment.DoesNotExist for a shipment
    not of `cooperative_id`."""
    now = now or timezone.now()
    with transaction.atomic():
        _order, shipment = _lock(shipment_id, cooperative_id)
        if shipment.status == ShipmentStatus.PACKED:
            return shipment
        return _move(shipment, ShipmentStatus.PACKED, actor=actor, now=now, packed_at=now)


def mark_shipped(
    *,
    shipment_id: int,
    carrier: str,
    tracking_number: str,
    tracking_url: str = "",
    actor: User | None,
    cooperative_id: int | None = None,
    now=None,
) -> Shipment:
    """A packed shipment left with `carrier` under `tracking_number`.

    Writes the move and the order's derived status (history rows both) and queues this
    shipment's shipped email on commit (shop.notifications, claimed once per shipment).
    The same tracking number again changes nothing; another one raises AlreadyShipped
    naming the first. Raises TrackingMissing, InvalidShipmentMove (not packed), or
    Shipment.DoesNotExist (not of `cooperative_id`); nothing is written then.
    """
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier or not tracking_number:
        raise TrackingMissing("A shipped parcel needs its carrier and tracking number.")
    now = now or timezone.now()
    with transaction.atomic():
        order, shipment = _lock(shipment_id, cooperative_id)
        if shipment.status in (ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED):
            if shipment.tracking_number == tracking_number[:100]:
                return shipment
            raise AlreadyShipped(
                shipment_id=shipment.pk,
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number,
            )
        shipment = _move(
            shipment,
            ShipmentStatus.SHIPPED,
            actor=actor,
            note=f"{carrier} {tracking_number}",
            now=now,
            carrier=carrier[:100],
            tracking_number=tracking_number[:100],
            tracking_url=tracking_url.strip()[:300],
            shipped_at=now,
        )
        derive_order_status(
            order=order,
            actor=actor,
            now=now,
            note=coded("shipped_with", carrier=carrier, tracking=tracking_number),
        )
        notifications.queue_shipped_notice(order_id=order.pk, shipment_id=shipment.pk)
    return shipment


def mark_delivered(
    *, shipment_id: int, actor: User | None, cooperative_id: int | None = None, now=None
) -> Shipment:
    """A shipped parcel arrived (staff, or a carrier's callback). Idempotent once
    delivered; writes the order's derived status. Raises InvalidShipmentMove otherwise."""
    now = now or timezone.now()
    with transaction.atomic():
        order, shipment = _lock(shipment_id, cooperative_id)
        if shipment.status == ShipmentStatus.DELIVERED:
            return shipment
        shipment = _move(shipment, ShipmentStatus.DELIVERED, actor=actor, now=now, delivered_at=now)
        derive_order_status(order=order, actor=actor, now=now, note=coded("delivered"))
    return shipment


def hold(*, shipment_id: int, reason_code: str, actor: User | None = None, now=None) -> Shipment:
    """Stop a shipment that has not left (a recall): it leaves the packing and shipping
    lists until `release`. Idempotent while on hold. Raises UnknownHoldReason or
    InvalidShipmentMove (it left already, or was cancelled)."""
    if reason_code not in HOLD_REASONS:
        raise UnknownHoldReason(reason_code)
    now = now or timezone.now()
    with transaction.atomic():
        _order, shipment = _lock(shipment_id, None)
        if shipment.status == ShipmentStatus.ON_HOLD:
            return shipment
        return _move(
            shipment,
            ShipmentStatus.ON_HOLD,
            actor=actor,
            note=reason_code,
            now=now,
            hold_reason=reason_code,
        )


def release(
    *,
    shipment_id: int,
    actor: User | None = None,
    now=None,
    repack: bool = False,
    cooperative_id: int | None = None,
) -> Shipment:
    """A held shipment goes back where it was (to pack, or packed). With `repack` it goes
    back to the packing list whatever it was: a packed parcel that held recalled units is
    opened and packed again from the lots its lines hold now. Idempotent for a shipment
    not on hold that may be packed or shipped; raises InvalidShipmentMove for a cancelled
    one (and, with `cooperative_id`, ShipmentNotFound for another cooperative's)."""
    now = now or timezone.now()
    with transaction.atomic():
        _order, shipment = _lock(shipment_id, cooperative_id)
        if shipment.status in (ShipmentStatus.TO_PACK, ShipmentStatus.PACKED):
            return shipment
        back = (
            ShipmentStatus.TO_PACK
            if repack
            else ShipmentStatus.PACKED
            if shipment.history.filter(to_status=ShipmentStatus.ON_HOLD)
            .order_by("-created_at", "-pk")
            .values_list("from_status", flat=True)
            .first()
            == ShipmentStatus.PACKED
            else ShipmentStatus.TO_PACK
        )
        return _move(shipment, back, actor=actor, now=now, hold_reason="")


def cancel_shipment(
    *, shipment_id: int, actor: User | None, note: str | Coded = "", now=None
) -> Shipment:
    """Nothing is left to send in a shipment that has not left (its units were restocked
    by a refund or a cancel): it is cancelled and the order's status derived again.
    Idempotent; raises InvalidShipmentMove for a shipment that left."""
    now = now or timezone.now()
    with transaction.atomic():
        order, shipment = _lock(shipment_id, None)
        if shipment.status == ShipmentStatus.CANCELLED:
            return shipment
        shipment = _move(shipment, ShipmentStatus.CANCELLED, actor=actor, note=note, now=now)
        derive_order_status(order=order, actor=actor, now=now, note=note)
    return shipment


def hold_reason_label(code: str) -> str:
    return str(HOLD_REASONS.get(code, code))
