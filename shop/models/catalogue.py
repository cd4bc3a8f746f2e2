"""Cooperatives, their OCOP-certified products, and the variants (SKUs) they sell."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.models.taxes import TaxCategory
from shop.money import column_price, quantize
from shop.search import search_document, words
from shop.uploads import PhotoField
from traceability.gs1 import InvalidGLN, InvalidGTIN, normalise_gln, normalise_gtin

OCOP_CERTIFICATE_MONTHS = 36


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def validate_gtin(value: str) -> None:
    try:
        normalise_gtin(value)
    except InvalidGTIN as exc:
        raise ValidationError(str(exc), code="invalid_gtin") from exc


def validate_gln(value: str) -> None:
    try:
        normalise_gln(value)
    except InvalidGLN as exc:
        raise ValidationError(str(exc), code="invalid_gln") from exc


class Cooperative(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    province = models.ForeignKey(
        "traceability.Province", verbose_name=_("province"), on_delete=models.PROTECT
    )
    village = models.ForeignKey(
        "traceability.Village", verbose_name=_("village"), on_delete=models.PROTECT
    )
    address = models.CharField(_("address"), max_length=300)
    story = models.TextField(_("story"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    photo = PhotoField(_("photo"), upload_to="cooperatives/", blank=True)
    # Working days from payment until the cooperative hands a parcel to the carrier.
    dispatch_days = models.PositiveSmallIntegerField(_("days to dispatch"), default=2)
    # The GS1 location identifier of the cooperative's premises (read point of its stages).
    gln = models.CharField(
        _("GLN (location code)"),
        max_length=13,
        blank=True,
        validators=[validate_gln],
        help_text=_("The 13-digit GS1 Global Location Number of the cooperative's premises."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("shop:cooperative", kwargs={"slug": self.slug})


class ProductGroup(models.TextChoices):
    """OCOP product groups (Decision 148/QĐ-TTg, 2023)."""

    FOOD = "food", _("Food")
    BEVERAGES = "beverages", _("Beverages")
    HERBS = "herbs", _("Herbs and herbal products")
    TEXTILES = "textiles", _("Textiles and garments")
    HANDICRAFTS = "handicrafts", _("Handicrafts, souvenirs and decor")


# The product text a shopper reads, kept in English and Vietnamese (shop/translation.py).
TRANSLATED_TEXT = ("name", "description", "story", "care_notes")


class ProductQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def missing_translation(self, language: str):
        """Products with text written in the other language and left blank in `language`
        ("en" or "vi"): the ones a reader of `language` sees in the other language."""
        other = "vi" if language == "en" else "en"
        missing = Q()
        for field in TRANSLATED_TEXT:
            missing |= (
                (Q(**{f"{field}_{language}": ""}) | Q(**{f"{field}_{language}__isnull": True}))
                & ~Q(**{f"{field}_{other}": ""})
                & Q(**{f"{field}_{other}__isnull": False})
            )
        return self.filter(missing)

    def search(self, text: str):
        # Substring per word, without synonyms or ranking: the storefront's search is
        # shop.search_sql; this is for code that wants a plain folded filter.
        found = words(text)
        if not found:
            return self
        query = Q()
        for word in found:
            query &= Q(search_text__contains=word)
        return self.filter(query)

    def in_stock(self):
        from shop.models.inventory import Batch

        return self.filter(Exists(Batch.objects.sellable().filter(variant__product=OuterRef("pk"))))


class Product(models.Model):
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name=_("cooperative"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    group = models.CharField(_("OCOP product group"), max_length=20, choices=ProductGroup.choices)
    is_gift_set = models.BooleanField(_("gift set"), default=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    story = models.TextField(_("producer story"), blank=True)
    care_notes = models.TextField(
        _("care and use"),
        max_length=2000,
        blank=True,
        help_text=_("How to store and enjoy it: brewing the tea, keeping the fish sauce."),
    )
    photo = PhotoField(_("photo"), upload_to="products/", blank=True)
    brand = models.CharField(
        _("brand or trademark"),
        max_length=120,
        blank=True,
        help_text=_("The brand printed on the label, as the national minimum trace data asks."),
    )
    hs_code = models.CharField(
        _("HS code"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{6}(\d{2}){0,2}$", _("An HS code has 6, 8 or 10 digits."))],
    )
    customs_description = models.CharField(
        _("customs description (English)"),
        max_length=120,
        blank=True,
        help_text=_('What the goods are, for the customs form: "Green tea, dried leaves".'),
    )
    tax_category = models.CharField(
        _("tax category"), max_length=10, choices=TaxCategory.choices, default=TaxCategory.FOOD
    )
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP stars"), validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    ocop_decision_number = models.CharField(_("OCOP decision number"), max_length=60)
    ocop_certified_on = models.DateField(_("OCOP certified on"))
    ocop_valid_until = models.DateField(_("OCOP certificate valid until"))
    is_published = models.BooleanField(_("published"), default=True)
    # Folded (diacritic-free, lower-case) names and descriptions in every language.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=Q(ocop_stars__gte=3, ocop_stars__lte=5), name="product_ocop_stars_3_to_5"
            ),
            models.CheckConstraint(
                condition=Q(ocop_valid_until__gt=models.F("ocop_certified_on")),
                name="product_ocop_valid_after_certified",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A derived column of this same row, kept in step with the text it folds.
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("shop:product", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.ocop_certified_on and self.ocop_valid_until:
            latest = add_months(self.ocop_certified_on, OCOP_CERTIFICATE_MONTHS)
            if self.ocop_valid_until > latest:
                raise ValidationError(
                    {"ocop_valid_until": _("An OCOP certificate lasts at most 36 months.")}
                )

    @property
    def ocop_is_current(self) -> bool:
        return self.ocop_valid_until >= timezone.localdate()

    def build_search_text(self) -> str:
        # Sections in ranking order (shop.search); PostgreSQL weighs them in search_vector.
        return search_document(
            names=(getattr(self, f"name_{lang}", "") or "" for lang in ("en", "vi")),
            group=self.group,
            cooperative=self.cooperative.name if self.cooperative_id else "",
            descriptions=(getattr(self, f"description_{lang}", "") or "" for lang in ("en", "vi")),
        )


class Variant(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="variants"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_('For example "250 g tin".'))
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    gtin = models.CharField(
        _("GTIN"),
        max_length=14,
        unique=True,
        validators=[validate_gtin],
        help_text=_("GTIN-8, -12, -13 or -14; stored as 14 digits."),
    )
    weight_grams = models.PositiveIntegerField(_("weight (g)"))
    # Contents without packaging, for customs papers; the gross weight above prices the parcel.
    net_weight_grams = models.PositiveIntegerField(_("net weight (g)"), null=True, blank=True)
    price_vnd = models.DecimalField(_("price (VND)"), max_digits=14, decimal_places=0)
    price_usd = models.DecimalField(_("price (USD)"), max_digits=10, decimal_places=2)
    price_eur = models.DecimalField(_("price (EUR)"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["product", "weight_grams", "pk"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.CheckConstraint(
                condition=Q(price_vnd__gt=0, price_usd__gt=0, price_eur__gt=0),
                name="variant_prices_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.name}"

    def clean(self) -> None:
        if self.gtin:
            try:
                self.gtin = normalise_gtin(self.gtin)
            except InvalidGTIN as exc:
                raise ValidationError({"gtin": str(exc)}) from exc
        net, gross = self.net_weight_grams, self.weight_grams
        if net is not None and gross is not None and net > gross:
            raise ValidationError(
                {
                    "net_weight_grams": _(
                        "The net weight (contents only) cannot be more than the weight with "
                        "the packaging (%(gross)d g)."
                    )
                    % {"gross": gross}
                }
            )
        for currency in ("VND", "USD", "EUR"):
            field = f"price_{currency.lower()}"
            value = getattr(self, field)
            if value is not None:
                setattr(self, field, quantize(value, currency))

    def price(self, currency: str) -> Decimal:
        """In a stored currency its own column; in JPY/KRW the USD price converted."""
        return column_price(self, "price", currency)


class GiftSetComponent(models.Model):
    """One component of a gift set: `quantity` units of `component` go into each set."""

    gift_set = models.ForeignKey(
        Variant, verbose_name=_("gift set"), on_delete=models.CASCADE, related_name="components"
    )
    component = models.ForeignKey(
        Variant, verbose_name=_("component"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)

    class Meta:
        ordering = ["gift_set", "component"]
        verbose_name = _("gift set component")
        verbose_name_plural = _("gift set components")
        constraints = [
            models.UniqueConstraint(fields=["gift_set", "component"], name="gift_component_once"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="gift_component_quantity"),
            models.CheckConstraint(
                condition=~Q(gift_set=models.F("component")), name="gift_component_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.component}"
