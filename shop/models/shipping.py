"""Shipping zones, methods and weight-band rates, edited by operators in the admin."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from shop.money import quantize


class ShippingZone(models.Model):
    """A set of destination countries. The default zone serves every other country."""

    name = models.CharField(_("name"), max_length=100)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    is_default = models.BooleanField(
        _("rest of the world"),
        default=False,
        help_text=_("Used for countries that no other zone lists."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("shipping zone")
        verbose_name_plural = _("shipping zones")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_zone"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ShippingMethod(models.Model):
    zone = models.ForeignKey(ShippingZone, on_delete=models.CASCADE, related_name="methods")
    name = models.CharField(_("name"), max_length=100)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    delivery_days_min = models.PositiveSmallIntegerField(_("days (from)"), default=3)
    delivery_days_max = models.PositiveSmallIntegerField(_("days (to)"), default=10)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["zone", "name"]
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")

    def __str__(self) -> str:
        return f"{self.zone} · {self.name}"


class ShippingRate(models.Model):
    """The price of a parcel up to a weight. The lightest band that fits applies."""

    method = models.ForeignKey(ShippingMethod, on_delete=models.CASCADE, related_name="rates")
    max_weight_grams = models.PositiveIntegerField(_("up to (g)"))
    price_vnd = models.DecimalField(_("price (VND)"), max_digits=14, decimal_places=0)
    price_usd = models.DecimalField(_("price (USD)"), max_digits=10, decimal_places=2)
    price_eur = models.DecimalField(_("price (EUR)"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["method", "max_weight_grams"]
        verbose_name = _("shipping rate")
        verbose_name_plural = _("shipping rates")
        constraints = [
            models.UniqueConstraint(fields=["method", "max_weight_grams"], name="rate_band_unique"),
            models.CheckConstraint(
                condition=Q(price_vnd__gte=0, price_usd__gte=0, price_eur__gte=0),
                name="rate_prices_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} ≤ {self.max_weight_grams} g"

    def price(self, currency: str) -> Decimal:
        return quantize(getattr(self, f"price_{currency.lower()}"), currency)
