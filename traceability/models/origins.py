"""Origins: provinces after the 2025 merger and villages, each with a GLN."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from traceability.gs1 import InvalidGLN, normalise_gln


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


def validate_gln(value: str) -> None:
    try:
        normalise_gln(value)
    except InvalidGLN as exc:
        raise ValidationError(str(exc), code="invalid_gln") from exc


class Village(models.Model):
    """A village or commune of origin, pinned by its coordinates and its GLN."""

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
    # A GS1 location identifier, the "location trace code" of Circular 02/2024 for stages
    # that happen in the village (harvest, drying in the village yard).
    gln = models.CharField(
        _("GLN (location code)"), max_length=13, blank=True, validators=[validate_gln]
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
