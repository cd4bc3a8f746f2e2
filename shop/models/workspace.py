"""What the cooperative workspace remembers: which daily digests went out."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigestSent(models.Model):
    """A cooperative's daily digest for `day` was sent; the unique key makes a second run of
    the beat task on the same day a no-op (shop.workspace.digest)."""

    cooperative = models.ForeignKey(
        "shop.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-day", "cooperative"]
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "day"], name="digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.day}"
