"""Scan counts of Digital Links (no personal data)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScanCount(models.Model):
    """How many times a batch's Digital Link was opened on a day from a country.

    No personal data: the country is a two-letter code ("" when unknown). Rows are written
    only by traceability.scans: flush_scans from counters kept in Redis, or one upsert per
    scan on the embedded default (TRACE_SCANS_WRITE_THROUGH).
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
