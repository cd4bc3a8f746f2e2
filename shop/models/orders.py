"""Orders, their lines, the batches each line took, and the order's status history."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop import currencies, message_codes
from shop.models.taxes import TaxMode

ORDER_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_order_number() -> str:
    return "OC-" + "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(8))


class OrderStatus(models.TextChoices):
    UNPAID = "unpaid", _("Awaiting payment")
    PAID = "paid", _("Paid")
    PACKED = "packed", _("Packed")
    PARTLY_SHIPPED = "partly_shipped", _("Partly shipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


# The moves an order may make live in one table: shop.fulfilment.transitions.


class OrderQuerySet(models.QuerySet):
    def unpaid_expired(self, now=None):
        return self.filter(status=OrderStatus.UNPAID, expires_at__lte=now or timezone.now())

    def for_cooperative(self, cooperative_id: int):
        return self.filter(lines__variant__product__cooperative_id=cooperative_id).distinct()


class Order(models.Model):
    number = models.CharField(
        _("order number"), max_length=20, unique=True, default=new_order_number, editable=False
    )
    # Unguessable handle for guests (confirmation page, API).
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    cart = models.OneToOneField(
        "shop.Cart", on_delete=models.SET_NULL, null=True, blank=True, related_name="order"
    )
    email = models.EmailField(_("email"))
    buyer_name = models.CharField(_("buyer"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.UNPAID
    )
    shipping_address = models.ForeignKey("shop.Address", on_delete=models.PROTECT, related_name="+")
    shipping_method = models.ForeignKey(
        "shop.ShippingMethod", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shipping_method_name = models.CharField(_("shipping"), max_length=200)
    subtotal = models.DecimalField(_("subtotal"), max_digits=14, decimal_places=2)
    shipping_total = models.DecimalField(_("shipping"), max_digits=14, decimal_places=2)
    gift_wrap_total = models.DecimalField(
        _("gift wrap"), max_digits=14, decimal_places=2, default=0
    )
    # Destination taxes: who pays them, and what the shop collected (in `total`).
    tax_mode = models.CharField(
        _("import taxes"), max_length=10, choices=TaxMode.choices, default=TaxMode.NONE
    )
    tax_total = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2, default=0)
    duties_total = models.DecimalField(_("duties"), max_digits=14, decimal_places=2, default=0)
    parcels = models.PositiveSmallIntegerField(_("parcels"), default=1)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    is_gift = models.BooleanField(_("gift"), default=False)
    gift_message = models.TextField(_("gift message"), blank=True)
    gift_wrap = models.BooleanField(_("gift wrap"), default=False)
    hide_prices = models.BooleanField(_("hide prices on the packing slip"), default=False)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    needs_review = models.BooleanField(_("needs review"), default=False)
    review_note = models.TextField(_("review note"), blank=True)
    created_at = models.DateTimeField(_("placed at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("unpaid until"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=Q(currency__in=list(currencies.CODES)), name="order_currency_known"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def shown_shipping_method_name(self) -> str:
        """The shipping method's current name in the reader's language, or the name frozen
        at order time when the method is gone (select_related("shipping_method"))."""
        method = self.shipping_method if self.shipping_method_id is not None else None
        return (method.name if method is not None else "") or self.shipping_method_name


class OrderLine(models.Model):
    """A line with a snapshot of what was bought, so later catalogue edits change nothing."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "shop.Variant", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    product_name = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=100)
    sku = models.CharField(max_length=40)
    gtin = models.CharField(max_length=14)
    is_gift_set = models.BooleanField(default=False)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3)
    line_total = models.DecimalField(max_digits=14, decimal_places=2)
    # The destination's VAT on this line when the shop collects it (rate in percent).
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    tax_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # Set when the paid order splits into one shipment per cooperative.
    shipment = models.ForeignKey(
        "shop.Shipment", on_delete=models.SET_NULL, null=True, blank=True, related_name="lines"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_name} ({self.variant_name})"

    # Pages, emails and the API show the product as the catalogue names it now, in the
    # reader's language (modeltranslation's `name`, English for languages without their
    # own text); the snapshot stays for history and for a variant that is gone. Selectors
    # select_related("variant__product") so this costs no query per line.
    @property
    def shown_product_name(self) -> str:
        variant = self.variant if self.variant_id is not None else None
        return (variant.product.name if variant is not None else "") or self.product_name

    @property
    def shown_variant_name(self) -> str:
        variant = self.variant if self.variant_id is not None else None
        return (variant.name if variant is not None else "") or self.variant_name


class AllocationState(models.TextChoices):
    ALLOCATED = "allocated", _("Allocated")
    SOLD = "sold", _("Sold")
    RELEASED = "released", _("Released")
    # Sold, then back on the batch's ledger (refund restock, recall withdrawal, return).
    RETURNED = "returned", _("Returned")


class OrderLineBatch(models.Model):
    """Which batch, and how many of its units, an order line took: the forward link that
    traceability and recalls follow. While `allocated` the units are reserved; once `sold`
    the ledger holds a `sold` movement for them; `released` units went back to stock."""

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="batches")
    batch = models.ForeignKey("shop.Batch", on_delete=models.PROTECT, related_name="allocations")
    component = models.ForeignKey(
        "shop.Variant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quantity = models.PositiveIntegerField()
    state = models.CharField(
        max_length=10, choices=AllocationState.choices, default=AllocationState.ALLOCATED
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="allocation_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} from batch {self.batch_id} ({self.state})"


class OrderStatusChange(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=OrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Free text a person typed; what the system says is a code with its parameters, shown in
    # the reader's language (shop.message_codes).
    note = models.CharField(max_length=300, blank=True)
    note_code = models.CharField(max_length=40, blank=True)
    note_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"

    @property
    def shown_note(self) -> str:
        """The note in the reader's language: a coded one rendered now, typed text as is."""
        return message_codes.render(code=self.note_code, params=self.note_params, text=self.note)


class OrderEmail(models.Model):
    """One row per email sent for an order; the unique key makes a retried task a no-op."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=30)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "kind"], name="order_email_once")]

    def __str__(self) -> str:
        return f"{self.kind} for order {self.order_id}"


class PendingEmail(models.Model):
    """The outbox of order emails: one row per email an event owes, written in the event's
    own transaction (paid, shipped, cancelled and refunded) and deleted in the transaction
    that sends it (its OrderEmail claim). A row still here some minutes after it was queued
    was lost on the way (broker down at commit, worker killed): beat queues it again
    (shop.notifications.requeue_pending_emails)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="pending_emails")
    kind = models.CharField(max_length=30)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "kind"], name="pending_email_once")]

    def __str__(self) -> str:
        return f"{self.kind} for order {self.order_id} (pending)"
