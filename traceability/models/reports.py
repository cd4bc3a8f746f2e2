"""Buyers' reports of products that may not be what their trace page says."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.uploads import PhotoField


class ReportReason(models.TextChoices):
    COUNTERFEIT = "counterfeit", _("I think it is counterfeit")
    LABEL = "label", _("The label does not match this page")
    PACKAGING = "packaging", _("The packaging was opened or damaged")
    QUALITY = "quality", _("Spoiled or unsafe product")
    EXPIRED = "expired", _("Sold past its best-before date")
    OTHER = "other", _("Something else")


class SuspiciousProductReport(models.Model):
    """A buyer's report that the product in their hands may not be what the trace page says.

    Any scanned code can be reported: `gtin` and `lot` are what the buyer scanned, `batch`
    the lot we know by that code (none for a code we have no record of, the likeliest
    counterfeit), `cooperative` whoever sells that GTIN (none for an unknown GTIN, which
    only the shop's admins see).
    """

    batch = models.ForeignKey(
        "shop.Batch",
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        related_name="suspicious_reports",
        null=True,
        blank=True,
    )
    cooperative = models.ForeignKey(
        "shop.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="suspicious_reports",
        null=True,
        blank=True,
    )
    gtin = models.CharField(_("GTIN scanned"), max_length=14, blank=True)
    lot = models.CharField(_("lot scanned"), max_length=20, blank=True)
    photo = PhotoField(_("photo"), upload_to="reports/", blank=True)
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
        return f"{self.get_reason_display()} · {self.batch or f'{self.gtin} {self.lot}'}"
