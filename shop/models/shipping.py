"""Shipping zones, methods and weight-band rates, edited by operators in the admin."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from shop.money import column_price


class ShippingZone(models.Model):
    """A set of destination countries. The default zone serves every other country."""

    name = models.CharField(_("name"), max_length=100)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    is_default = models.BooleanField(
        _("rest of the world"),
        default=False,
        help_text=_("Used for countries that no other zone lists."),
    )
    # Orders whose goods reach the threshold ship free in this zone; empty means never.
    free_over_vnd = models.DecimalField(
        _("free shipping from (VND)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    free_over_usd = models.DecimalField(
        _("free shipping from (USD)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    free_over_eur = models.DecimalField(
        _("free shipping from (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
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
    # A cart heavier than the heaviest band goes as several parcels, up to this many.
    max_parcels = models.PositiveSmallIntegerField(_("parcels per order (at most)"), default=3)

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
        return column_price(self, "price", currency)


class DestinationRule(models.Model):
    """Goods a country refuses by post (honey or seeds to Australia, meat to the US): a rule
    matches a product, a product group or an HS code prefix; the reason is shown to the
    shopper in their language."""

    country = CountryField(_("country"))
    product = models.ForeignKey(
        "shop.Product", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    group = models.CharField(_("OCOP product group"), max_length=20, blank=True)
    hs_prefix = models.CharField(_("HS code starts with"), max_length=10, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["country", "pk"]
        verbose_name = _("destination rule")
        verbose_name_plural = _("destination rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(product__isnull=False) | ~Q(group="") | ~Q(hs_prefix=""),
                name="destination_rule_matches_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.reason}"


class DispatchClosure(models.Model):
    """Days the cooperatives send nothing (Tết, national holidays); delivery estimates skip
    them. A Tết closure also lets an estimate say "before Tết"."""

    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(pgettext_lazy("first day of a dispatch closure", "from"))
    ends_on = models.DateField(_("to"))
    is_tet = models.BooleanField(_("Tết"), default=False)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("dispatch closure")
        verbose_name_plural = _("dispatch closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on} – {self.ends_on})"
