"""Each batch's chained event log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shop.uploads import PhotoField
from traceability.models.origins import Village, validate_gln


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
    # The GLN of where the stage happened (Circular 02/2024's location trace code).
    location_gln = models.CharField(
        _("location code (GLN)"), max_length=13, blank=True, validators=[validate_gln]
    )
    # The batch's facts (GTIN, lot, dates, village) as recorded by the lot's first event, so
    # the chain covers them; later changes are CORRECTION events. Empty on other events.
    facts = models.JSONField(_("batch facts"), default=dict, blank=True, editable=False)
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
