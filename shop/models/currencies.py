"""Exchange rates for the currencies the shop converts (shop.currencies: JPY, KRW) rather
than stores per variant, edited by operators in the admin."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop import currencies


class CurrencyRate(models.Model):
    """How many units of `currency` one unit of `base` buys from `valid_from` on; the row
    with the latest `valid_from` not in the future is the current rate."""

    currency = models.CharField(
        _("currency"), max_length=3, choices=[(c, c) for c in currencies.CONVERTED]
    )
    base = models.CharField(_("base currency"), max_length=3, default=currencies.BASE)
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=6)
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.CheckConstraint(condition=Q(rate__gt=0), name="currency_rate_positive"),
            models.CheckConstraint(
                condition=Q(base=currencies.BASE), name="currency_rate_base_usd"
            ),
            models.UniqueConstraint(
                fields=["currency", "base", "valid_from"], name="currency_rate_once"
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.base} = {self.rate} {self.currency}"
