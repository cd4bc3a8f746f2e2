"""Destination taxes: import VAT/GST rates per country and category, and duty rates per
HS heading, each with its source and validity, edited by operators in the admin."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class TaxCategory(models.TextChoices):
    # Most destinations tax food at a reduced rate and crafts at the standard one.
    FOOD = "food", _("Food and drink")
    STANDARD = "standard", _("Other goods")


class TaxMode(models.TextChoices):
    """Who pays the destination's taxes on an order, chosen at checkout."""

    NONE = "none", _("No import taxes")
    COLLECTED = "collected", _("VAT collected at sale")
    DAP = "dap", _("Duties and taxes paid by the recipient")
    DDP = "ddp", _("Duties and taxes paid at checkout")


class TaxRateQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day), valid_from__lte=day
        )


class TaxRate(models.Model):
    """The destination's VAT/GST on one category of goods, valid over a span of days.

    `collect_up_to_eur`: consignments worth up to this (goods only, in EUR) have the tax
    collected at sale (the EU's IOSS: 150); above it, or when empty, the recipient pays at
    import. `prices_include_tax`: shoppers there expect prices shown with the tax in."""

    country = CountryField(_("country"))
    category = models.CharField(_("category"), max_length=10, choices=TaxCategory.choices)
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2)
    collect_up_to_eur = models.DecimalField(
        _("collected at sale up to (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    prices_include_tax = models.BooleanField(_("prices shown with tax"), default=True)
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = TaxRateQuerySet.as_manager()

    class Meta:
        ordering = ["country", "category", "-valid_from"]
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "category", "valid_from"], name="tax_rate_once_per_day"
            ),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lt=100), name="tax_rate_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.category} {self.rate}%"


class DutyRate(models.Model):
    """Customs duty on goods whose HS code starts with `hs_prefix`, where a table is known;
    with one for every line, checkout can offer a delivered-duty-paid price."""

    country = CountryField(_("country"))
    hs_prefix = models.CharField(_("HS code starts with"), max_length=10)
    rate = models.DecimalField(_("duty (%)"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = TaxRateQuerySet.as_manager()

    class Meta:
        ordering = ["country", "hs_prefix", "-valid_from"]
        verbose_name = _("duty rate")
        verbose_name_plural = _("duty rates")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "hs_prefix", "valid_from"], name="duty_rate_once_per_day"
            ),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lt=100), name="duty_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.hs_prefix} {self.rate}%"
