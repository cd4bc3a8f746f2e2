"""Fulfilment: shipments (one per cooperative of a paid order), gift-box assembly runs and
the transfers of component lots between cooperatives. Rows change only through
shop.fulfilment; rules about one row live here."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ShipmentStatus(models.TextChoices):
    TO_PACK = "to_pack", _("To pack")
    ON_HOLD = "on_hold", _("On hold")
    PACKED = "packed", _("Packed")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class ShipmentQuerySet(models.QuerySet):
    def for_cooperative(self, cooperative_id: int):
        return self.filter(cooperative_id=cooperative_id)

    def not_left(self):
        """Shipments whose goods are still with the cooperative (a recall can stop them)."""
        return self.filter(
            status__in=[ShipmentStatus.TO_PACK, ShipmentStatus.ON_HOLD, ShipmentStatus.PACKED]
        )

    def left(self):
        return self.filter(status__in=[ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED])


class Shipment(models.Model):
    """The part of a paid order one cooperative packs and ships: the order lines of its own
    products (a gift box belongs to the cooperative that assembled it)."""

    order = models.ForeignKey(
        "shop.Order", verbose_name=_("order"), on_delete=models.CASCADE, related_name="shipments"
    )
    cooperative = models.ForeignKey(
        "shop.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="shipments",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ShipmentStatus.choices, default=ShipmentStatus.TO_PACK
    )
    # A code (shop.fulfilment says which), translated when shown.
    hold_reason = models.CharField(_("hold reason"), max_length=40, blank=True)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    tracking_url = models.URLField(_("tracking link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    packed_at = models.DateTimeField(_("packed at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = ShipmentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "cooperative"], name="shipment_one_per_cooperative"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["shipped", "delivered"]) | ~Q(tracking_number=""),
                name="shipment_shipped_has_tracking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.cooperative_id} ({self.status})"


class ShipmentStatusChange(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=ShipmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ShipmentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A code translated when shown, or a carrier and tracking number.
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class AssemblyRun(models.Model):
    """Boxes of a gift set made from component lots: the box lot's origin (an EPCIS
    transformation). The box lot's opening ledger movement and the components' outgoing
    ones are written in the same transaction as this row."""

    gift_set = models.ForeignKey(
        "shop.Variant", verbose_name=_("gift set"), on_delete=models.PROTECT, related_name="+"
    )
    box_batch = models.OneToOneField(
        "shop.Batch", verbose_name=_("box lot"), on_delete=models.PROTECT, related_name="assembly"
    )
    boxes = models.PositiveIntegerField(_("boxes"))
    assembler = models.ForeignKey(
        "shop.Cooperative",
        verbose_name=_("assembled by"),
        on_delete=models.PROTECT,
        related_name="assembly_runs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("assembled at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assembly run")
        verbose_name_plural = _("assembly runs")
        constraints = [
            models.CheckConstraint(condition=Q(boxes__gte=1), name="assembly_boxes_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.boxes} × {self.gift_set_id} → batch {self.box_batch_id}"


class AssemblyInput(models.Model):
    """Units of one component lot that went into a run's boxes."""

    run = models.ForeignKey(AssemblyRun, on_delete=models.CASCADE, related_name="inputs")
    batch = models.ForeignKey(
        "shop.Batch", on_delete=models.PROTECT, related_name="assembly_inputs"
    )
    quantity = models.PositiveIntegerField(_("units"))

    class Meta:
        ordering = ["run", "batch"]
        constraints = [
            models.UniqueConstraint(fields=["run", "batch"], name="assembly_input_once"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="assembly_input_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of batch {self.batch_id}"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("To send")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")


class Transfer(models.Model):
    """Units of another cooperative's lot that must travel to the assembler."""

    run = models.ForeignKey(AssemblyRun, on_delete=models.CASCADE, related_name="transfers")
    batch = models.ForeignKey("shop.Batch", on_delete=models.PROTECT, related_name="transfers")
    quantity = models.PositiveIntegerField(_("units"))
    from_cooperative = models.ForeignKey(
        "shop.Cooperative", on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_cooperative = models.ForeignKey(
        "shop.Cooperative", on_delete=models.PROTECT, related_name="transfers_in"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TransferStatus.choices,
        default=TransferStatus.REQUESTED,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="transfer_quantity"),
            models.CheckConstraint(
                condition=~Q(from_cooperative=models.F("to_cooperative")),
                name="transfer_between_cooperatives",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of batch {self.batch_id} ({self.status})"


class LineReturn(models.Model):
    """Shipped units of an order line that came back to the cooperative (a recorded return):
    the only way shipped units go back on a batch's ledger."""

    line = models.ForeignKey("shop.OrderLine", on_delete=models.PROTECT, related_name="returns")
    batch = models.ForeignKey("shop.Batch", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("units"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="line_return_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} back on batch {self.batch_id}"
