"""Origins (provinces after the 2025 merger, villages), each batch's chained event log, scan
counts and buyers' reports of suspicious products."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shop.uploads import PhotoField


class Province(models.Model):
    """One of the 34 provinces and centrally-run cities (official code from vietnam-provinces)."""

    code = models.PositiveSmallIntegerField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    codename = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """A village or commune of origin, pinned by its coordinates."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(_("name"), max_length=150)
    commune = models.CharField(_("commune / ward"), max_length=150, blank=True)
    ward_code = models.PositiveIntegerField(_("ward code"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(8), MaxValueValidator(24)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(102), MaxValueValidator(110)],
    )

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="village_unique_in_province")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.province.name}"


class EventKind(models.TextChoices):
    """The stages of a batch's life on the trace page; EPCIS shapes in traceability.epcis."""

    HARVEST = "harvest", pgettext_lazy("trace stage", "Harvest")
    PROCESSING = "processing", pgettext_lazy("trace stage", "Processing")
    PACKING = "packing", pgettext_lazy("trace stage", "Packing")
    SHIPPING = "shipping", pgettext_lazy("trace stage", "Shipping")
    RECEIVING = "receiving", pgettext_lazy("trace stage", "Receiving")
    INSPECTION = "inspection", pgettext_lazy("trace stage", "Inspection")
    CERTIFICATION = "certification", pgettext_lazy("trace stage", "Certification")
    TRANSFORMATION = "transformation", pgettext_lazy("trace stage", "Gift set assembly")
    CORRECTION = "correction", pgettext_lazy("trace stage", "Correction")


class TraceEvent(models.Model):
    """One entry of a batch's append-only event log, chained to the one before by SHA-256.

    Written only by traceability.events.append_event / record_transformation, which fill in
    `sequence`, `previous_hash` and `hash`; the trace page recomputes the chain to show
    whether anything was changed afterwards. A transformation (gift set assembly) belongs to
    the gift set's batch and names the component batches it consumed as `inputs`.
    """

    batch = models.ForeignKey(
        "shop.Batch", verbose_name=_("batch"), on_delete=models.PROTECT, related_name="trace_events"
    )
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    biz_step = models.CharField(_("business step (CBV)"), max_length=40)
    occurred_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.CharField(_("done by"), max_length=200)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    notes_vi = models.TextField(_("notes (Vietnamese)"), blank=True)
    standard = models.CharField(
        _("standard applied"),
        max_length=120,
        blank=True,
        help_text=_('For inspections and certifications, e.g. "VietGAP" or "TCVN 5107:2018".'),
    )
    photo = PhotoField(_("photo"), upload_to="trace-events/", blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    inputs = models.ManyToManyField(
        "shop.Batch", verbose_name=_("input batches"), blank=True, related_name="consumed_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["batch", "sequence"]
        verbose_name = _("trace event")
        verbose_name_plural = _("trace events")
        constraints = [
            # Two appends racing for the same place in a chain: one of them must retry.
            models.UniqueConstraint(fields=["batch", "sequence"], name="trace_event_sequence"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="trace_event_sequence_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.occurred_at:%Y-%m-%d}"

    @property
    def notes(self) -> str:
        """The notes in the reader's language, falling back to the other one."""
        first, second = (
            (self.notes_vi, self.notes_en)
            if get_language() == "vi"
            else (self.notes_en, self.notes_vi)
        )
        return first or second


class ScanCount(models.Model):
    """How many times a batch's Digital Link was opened on a day from a country.

    No personal data: the country is a two-letter code ("" when unknown). Rows are written
    only by traceability.scans.flush_scans from counters kept in Redis.
    """

    batch = models.ForeignKey(
        "shop.Batch", verbose_name=_("batch"), on_delete=models.CASCADE, related_name="scan_counts"
    )
    day = models.DateField(_("day"))
    country = models.CharField(_("country"), max_length=2, blank=True)
    count = models.PositiveIntegerField(_("scans"), default=0)

    class Meta:
        ordering = ["batch", "day", "country"]
        verbose_name = _("scan count")
        verbose_name_plural = _("scan counts")
        constraints = [
            models.UniqueConstraint(fields=["batch", "day", "country"], name="scan_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.day} {self.country or '??'}: {self.count}"


class ScanFlush(models.Model):
    """A set of counters already added to ScanCount, so a retried flush never adds it twice."""

    token = models.CharField(max_length=64, unique=True)
    flushed_at = models.DateTimeField(default=timezone.now)
    scans = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("scan flush")
        verbose_name_plural = _("scan flushes")

    def __str__(self) -> str:
        return f"{self.token} ({self.scans})"


class ReportReason(models.TextChoices):
    COUNTERFEIT = "counterfeit", _("I think it is counterfeit")
    LABEL = "label", _("The label does not match this page")
    PACKAGING = "packaging", _("The packaging was opened or damaged")
    QUALITY = "quality", _("Spoiled or unsafe product")
    EXPIRED = "expired", _("Sold past its best-before date")
    OTHER = "other", _("Something else")


class SuspiciousProductReport(models.Model):
    """A buyer's report that the product in their hands may not be what the trace page says."""

    batch = models.ForeignKey(
        "shop.Batch",
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        related_name="suspicious_reports",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    details = models.TextField(_("what did you notice?"), max_length=2000)
    place_of_purchase = models.CharField(_("where did you buy it?"), max_length=200, blank=True)
    email = models.EmailField(_("email (optional)"), blank=True)
    language = models.CharField(_("language"), max_length=5)
    created_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suspicious product report")
        verbose_name_plural = _("suspicious product reports")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} · {self.batch}"


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
