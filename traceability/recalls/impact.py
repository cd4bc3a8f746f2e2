"""What a recall will touch, read before staff confirm it (a selector: no locks, no writes)."""

from dataclasses import dataclass

from django.db.models import Sum

from shop.fulfilment.withdrawals import not_left
from shop.models import AllocationState, Batch, OrderLineBatch
from traceability.recalls.service import box_lots_of


@dataclass(frozen=True)
class RecallImpact:
    """The figures on the recall confirmation page. `shipments_on_hold` are the shipments
    still with their cooperative that hold units of the lot or its box lots; their units
    come back to the lots, so `units_to_quarantine` is what will be on hand afterwards."""

    orders: int
    buyers: int
    unpaid_orders: int
    shipments_on_hold: int
    units_withdrawn: int
    shipped_units: int
    box_lots: list[Batch]
    on_hand: int
    units_to_quarantine: int


def preview(*, batch: Batch) -> RecallImpact:
    """What recalling `batch` would touch now: the orders holding its units or those of
    the box lots assembled from it, their distinct buyers, unpaid orders to cancel,
    shipments that go on hold, units already shipped, the box lots, and the units on hand
    to quarantine afterwards (on hand now plus the units withdrawn from shipments)."""
    # A box lot recalled before on its own keeps that recall; this one leaves it alone.
    box_ids = list(
        Batch.objects.filter(pk__in=box_lots_of([batch.pk]), recall__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    lots = [batch.pk, *box_ids]
    # No default ordering: it would join the DISTINCT columns below.
    taken = OrderLineBatch.objects.filter(
        batch_id__in=lots, state__in=[AllocationState.ALLOCATED, AllocationState.SOLD]
    ).order_by()
    sold = taken.filter(state=AllocationState.SOLD)
    unsent = sold.filter(not_left())
    emails = {e.lower() for e in taken.values_list("line__order__email", flat=True)}
    withdrawn = unsent.aggregate(total=Sum("quantity"))["total"] or 0
    on_hand = Batch.objects.filter(pk__in=lots).aggregate(total=Sum("on_hand"))["total"] or 0
    return RecallImpact(
        orders=taken.values("line__order_id").distinct().count(),
        buyers=len(emails),
        unpaid_orders=taken.filter(state=AllocationState.ALLOCATED)
        .values("line__order_id")
        .distinct()
        .count(),
        shipments_on_hold=unsent.exclude(line__shipment__isnull=True)
        .values("line__shipment_id")
        .distinct()
        .count(),
        units_withdrawn=withdrawn,
        shipped_units=sold.exclude(not_left()).aggregate(total=Sum("quantity"))["total"] or 0,
        box_lots=list(
            Batch.objects.filter(pk__in=box_ids).select_related("variant__product").order_by("pk")
        ),
        on_hand=on_hand,
        units_to_quarantine=on_hand + withdrawn,
    )
