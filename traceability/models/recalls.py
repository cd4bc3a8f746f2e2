"""Recalls, the notices they send, and corrections of batch facts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traceability.models.events import TraceEvent


class Recall(models.Model):
    """A batch taken off sale for food safety, with the reason buyers and the trace page see.

    Written only by traceability.recalls.recall_batch, in the transaction that marks the
    batch recalled; one per batch, so recalling twice changes nothing.
    """

    batch = models.OneToOneField(
        "shop.Batch", verbose_name=_("batch"), on_delete=models.PROTECT, related_name="recall"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recalled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recalled at"), default=timezone.now, editable=False)
    # A box lot is recalled with the component lot it was assembled from.
    caused_by = models.ForeignKey(
        "self",
        verbose_name=_("recalled with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consequences",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("recall")
        verbose_name_plural = _("recalls")

    def __str__(self) -> str:
        return f"{self.batch} · {self.created_at:%Y-%m-%d}"


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("Not yet sent")
    SENT = "sent", _("Sent")


class NoticeAction(models.TextChoices):
    """What the recall did for this order, and so what its buyer is told."""

    DO_NOT_USE = "do_not_use", _("Units shipped: do not use them")
    REPLACED = "replaced", _("Replaced from another lot before shipping")
    REFUNDED = "refunded", _("Refunded before shipping")
    CANCELLED = "cancelled", _("Unpaid order cancelled")


class RecallNotice(models.Model):
    """One order holding units of a recalled batch, and whether its buyer was told.

    The rows are the recall's list of affected orders, written with the recall (so orders
    cancelled or released later stay on it). A buyer with several affected orders gets one
    email covering all of them: traceability.recalls.send_notice locks the buyer's pending
    rows, sends, and marks them sent in one transaction, so a retried or doubled task
    never mails anyone twice. The unique key keeps an order on a recall once.
    """

    recall = models.ForeignKey(
        Recall, verbose_name=_("recall"), on_delete=models.CASCADE, related_name="notices"
    )
    order = models.ForeignKey(
        "shop.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=8)
    units = models.PositiveIntegerField(_("units"))
    order_cancelled = models.BooleanField(
        _("cancelled by the recall"),
        default=False,
        help_text=_("The order was still unpaid, so the recall cancelled it."),
    )
    status = models.CharField(
        _("notice"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    action = models.CharField(
        _("action"), max_length=12, choices=NoticeAction.choices, default=NoticeAction.DO_NOT_USE
    )
    replacement_lot = models.CharField(_("replacement lot"), max_length=20, blank=True)

    class Meta:
        ordering = ["recall", "order"]
        verbose_name = _("recall notice")
        verbose_name_plural = _("recall notices")
        constraints = [
            models.UniqueConstraint(fields=["recall", "order"], name="recall_notice_once"),
            models.CheckConstraint(condition=Q(units__gte=1), name="recall_notice_units"),
        ]

    def __str__(self) -> str:
        return f"{self.recall_id} → {self.email} ({self.get_status_display()})"


class CorrectedField(models.TextChoices):
    """The facts of a batch fixed at receipt that a correction may change (never quantity)."""

    LOT_CODE = "lot_code", _("lot code")
    HARVEST_DATE = "harvest_date", _("harvest date")
    PACKING_DATE = "packing_date", _("packing date")
    BEST_BEFORE = "best_before", _("best before")
    VILLAGE = "village", _("village of origin")


class BatchCorrection(models.Model):
    """One correction of a fact fixed at a batch's receipt: before, after, why, who, when.

    Written only by traceability.corrections.correct_batch, with the CORRECTION event it
    appends to the batch's log (`event`) and the Batch update, in one transaction. Values
    are stored as codes (a lot code, an ISO date, a village id) and worded when shown. The
    rows are also how a QR code printed before a lot-code correction still finds its batch.
    """

    batch = models.ForeignKey(
        "shop.Batch", verbose_name=_("batch"), on_delete=models.PROTECT, related_name="corrections"
    )
    field = models.CharField(_("field"), max_length=20, choices=CorrectedField.choices)
    before = models.CharField(_("before"), max_length=200)
    after = models.CharField(_("after"), max_length=200)
    reason = models.TextField(_("reason"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("corrected at"), default=timezone.now, editable=False)
    event = models.OneToOneField(
        TraceEvent, verbose_name=_("event"), on_delete=models.PROTECT, related_name="correction"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("batch correction")
        verbose_name_plural = _("batch corrections")
        indexes = [models.Index(fields=["field", "before"], name="batch_correction_before")]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.field}: {self.before} → {self.after}"
