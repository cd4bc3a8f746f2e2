"""Payments against orders, one row per gateway attempt (PaymentIntent for Stripe)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    REFUNDED = "refunded", _("Refunded")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    CANCELLED = "cancelled", _("Cancelled")


class Payment(models.Model):
    order = models.ForeignKey("shop.Order", on_delete=models.PROTECT, related_name="payments")
    gateway = models.CharField(max_length=20)
    reference = models.CharField(max_length=100, blank=True, db_index=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    refunded_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    client_secret = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "reference"],
                condition=~Q(reference=""),
                name="payment_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.reference or self.pk} ({self.status})"


class Refund(models.Model):
    """Money given back on a payment, in full or in part, through its gateway."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    reference = models.CharField(max_length=100, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    restocked = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        "shop.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="refund_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Refund {self.amount} on {self.payment_id}"


class WebhookEvent(models.Model):
    """Each gateway event id once: a replayed or duplicated delivery finds its row and stops."""

    gateway = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=100)
    order = models.ForeignKey(
        "shop.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["gateway", "event_id"], name="webhook_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.type} {self.event_id}"


class RefundLine(models.Model):
    """Units of an order line a refund gives money back for; `restocked` of them went back
    to their batches (only units that never shipped)."""

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey("shop.OrderLine", on_delete=models.PROTECT, related_name="refunds")
    quantity = models.PositiveIntegerField()
    restocked = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["refund", "line"], name="refund_line_once"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="refund_line_qty"),
            models.CheckConstraint(
                condition=models.Q(restocked__lte=models.F("quantity")),
                name="refund_line_restock_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of line {self.line_id}"
