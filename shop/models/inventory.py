"""Batches (lots) and the stock ledger. Quantities change only through shop.inventory."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop import message_codes
from traceability.gs1 import LOT_MAX_LENGTH, InvalidLot, validate_lot


def validate_lot_code(value: str) -> None:
    try:
        validate_lot(value)
    except InvalidLot as exc:
        raise ValidationError(str(exc), code="invalid_lot") from exc


class BatchStatus(models.TextChoices):
    ON_SALE = "on_sale", _("On sale")
    SOLD_OUT = "sold_out", _("Sold out")
    EXPIRED = "expired", _("Expired")
    RECALLED = "recalled", _("Recalled")
    # A box lot waiting for component lots that other cooperatives still have to send.
    ASSEMBLING = "assembling", _("Awaiting components")


class BatchQuerySet(models.QuerySet):
    def on_sale(self):
        """Batches a shopper may buy from today: on sale and not past best-before."""
        return self.filter(status=BatchStatus.ON_SALE, best_before__gte=timezone.localdate())

    def sellable(self):
        return self.on_sale().filter(on_hand__gt=0)

    def with_available(self, now=None):
        """Annotate `available`: on hand − units allocated to orders − live holds.

        The one formula for availability; pages read it, and shop.inventory reads it again
        after locking the batch rows, so a decision is never made on a stale figure. Units
        allocated to an order still unpaid past its `expires_at` count for nothing, like an
        expired hold: the deadline is a predicate, so stock never waits for beat's
        expire_unpaid_orders (a late payment of such an order allocates again,
        shop.fulfilment.payment.pay_order).
        """
        from shop.models.cart import StockHold
        from shop.models.orders import AllocationState, OrderLineBatch, OrderStatus

        now = now or timezone.now()

        def total(queryset):
            summed = queryset.order_by().values("batch").annotate(total=Sum("quantity"))
            return Coalesce(
                Subquery(summed.values("total")[:1], output_field=IntegerField()), Value(0)
            )

        allocated = OrderLineBatch.objects.filter(
            batch=OuterRef("pk"), state=AllocationState.ALLOCATED
        ).exclude(line__order__status=OrderStatus.UNPAID, line__order__expires_at__lte=now)
        held = StockHold.objects.live(now).filter(batch=OuterRef("pk"))
        return self.annotate(
            allocated_units=total(allocated),
            held_units=total(held),
            available=F("on_hand") - F("allocated_units") - F("held_units"),
        )

    def fefo(self):
        """First expired, first out: earliest best-before first, then the older batch."""
        return self.order_by("best_before", "harvest_date", "pk")


class Batch(models.Model):
    variant = models.ForeignKey(
        "shop.Variant",
        verbose_name=_("variant"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    lot_code = models.CharField(
        _("lot code"), max_length=LOT_MAX_LENGTH, validators=[validate_lot_code]
    )
    harvest_date = models.DateField(_("harvest date"))
    packing_date = models.DateField(_("packing date"))
    best_before = models.DateField(_("best before"))
    village = models.ForeignKey(
        "traceability.Village",
        verbose_name=_("village of origin"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    quantity_received = models.PositiveIntegerField(_("quantity received"))
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.ON_SALE
    )
    # Cached sum of the ledger, written only by shop.inventory in the same transaction
    # as the movement; tests check it against the ledger.
    on_hand = models.IntegerField(_("on hand"), default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["best_before", "pk"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [
            models.UniqueConstraint(fields=["variant", "lot_code"], name="batch_lot_unique"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="batch_on_hand_not_negative"),
            models.CheckConstraint(
                condition=Q(packing_date__gte=models.F("harvest_date"))
                & Q(best_before__gte=models.F("packing_date")),
                name="batch_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} · {self.lot_code}"

    def clean(self) -> None:
        if self.harvest_date and self.packing_date and self.packing_date < self.harvest_date:
            raise ValidationError({"packing_date": _("Packing cannot come before harvest.")})
        if self.packing_date and self.best_before and self.best_before < self.packing_date:
            raise ValidationError({"best_before": _("Best-before cannot come before packing.")})

    @property
    def is_expired(self) -> bool:
        return self.best_before < timezone.localdate()

    @property
    def display_status(self) -> str:
        """The status a shopper should see: a batch past best-before is expired."""
        if self.status == BatchStatus.ON_SALE and self.is_expired:
            return BatchStatus.EXPIRED
        if self.status == BatchStatus.ON_SALE and self.on_hand <= 0:
            return BatchStatus.SOLD_OUT
        return self.status


class MovementKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    SOLD = "sold", _("Sold")
    RETURNED = "returned", _("Returned")
    ADJUSTED = "adjusted", _("Adjusted")
    DAMAGED = "damaged", _("Damaged")
    EXPIRED = "expired", _("Expired")
    # Out of a component lot into a gift box (negative), or a box lot's opening (positive).
    ASSEMBLED = "assembled", _("Assembled")


# Which sign each kind of movement may carry; "adjusted" may go either way.
INBOUND_KINDS = (MovementKind.RECEIVED, MovementKind.RETURNED)
OUTBOUND_KINDS = (MovementKind.SOLD, MovementKind.EXPIRED, MovementKind.DAMAGED)


class StockMovement(models.Model):
    """One append-only row of the stock ledger. On-hand stock is the sum of a batch's rows."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MovementKind.choices)
    quantity = models.IntegerField(_("quantity"), help_text=_("Positive in, negative out."))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # A reason the system writes is a code with parameters, shown in the reader's language.
    reason_code = models.CharField(max_length=40, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="movement_not_zero"),
            models.CheckConstraint(
                condition=~Q(kind__in=[k.value for k in INBOUND_KINDS], quantity__lt=0)
                & ~Q(kind__in=[k.value for k in OUTBOUND_KINDS], quantity__gt=0),
                name="movement_sign_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+d} · {self.batch.lot_code}"

    @property
    def shown_reason(self) -> str:
        """The reason in the reader's language: a coded one rendered now, typed text as is."""
        return message_codes.render(
            code=self.reason_code, params=self.reason_params, text=self.reason
        )
