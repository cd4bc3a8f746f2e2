"""Carts, their lines, the stock holds behind them, and the checkout details they collect."""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from shop import addresses, currencies

GIFT_MESSAGE_MAX_LENGTH = 300


class Address(models.Model):
    """A postal address. Orders keep their own copy, so later edits never change history."""

    full_name = models.CharField(_("full name"), max_length=200)
    company = models.CharField(_("company"), max_length=200, blank=True)
    line1 = models.CharField(_("address line 1"), max_length=200)
    line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("state / province / region"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = CountryField(_("country"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return ", ".join(
            p for p in [self.full_name, self.line1, self.city, str(self.country.name)] if p
        )

    def as_lines(self, *, name: bool = True) -> list[str]:
        """As written on a parcel to its country (shop.addresses: Japan's postal code,
        prefecture, city, street, name), the country's name last."""
        return addresses.lines(self, name=name)


class CartQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Cart.Status.OPEN)


class Cart(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ORDERED = "ordered", _("Ordered")
        MERGED = "merged", _("Merged")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="carts",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    currency = models.CharField(max_length=3, default="USD")
    language = models.CharField(max_length=8, default="en")
    # Checkout details, filled in step by step.
    email = models.EmailField(_("email"), blank=True)
    shipping_address = models.ForeignKey(
        Address, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shipping_method = models.ForeignKey(
        "shop.ShippingMethod", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where the shopper says it goes before giving an address: rules, taxes and delivery
    # estimates in the cart use it; the shipping address overrides it.
    destination_country = CountryField(_("ship to"), blank=True)
    is_gift = models.BooleanField(_("this is a gift"), default=False)
    gift_message = models.TextField(
        _("gift message"), blank=True, validators=[MaxLengthValidator(GIFT_MESSAGE_MAX_LENGTH)]
    )
    gift_wrap = models.BooleanField(_("gift wrap"), default=False)
    # How the giver signs the gift card, and the language the receiver reads it in.
    gift_signature = models.CharField(_("signed"), max_length=100, blank=True)
    gift_language = models.CharField(_("receiver's language"), max_length=8, blank=True)
    hide_prices = models.BooleanField(_("hide prices on the packing slip"), default=False)
    buyer_name = models.CharField(_("your name"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = CartQuerySet.as_manager()

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.CheckConstraint(
                condition=Q(currency__in=list(currencies.CODES)), name="cart_currency_known"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="open"), name="one_open_cart_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"Cart {self.token}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey("shop.Variant", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cart_line_unique_variant"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="cart_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"


class StockHoldQuerySet(models.QuerySet):
    def live(self, now=None):
        """Holds still in force. Expiry is this predicate, so no worker is needed for it."""
        return self.filter(held_until__gt=now or timezone.now())

    def expired(self, now=None):
        return self.filter(held_until__lte=now or timezone.now())


class StockHold(models.Model):
    """Units of one batch held for a cart line until `held_until`. Written by shop.inventory."""

    line = models.ForeignKey(CartLine, on_delete=models.CASCADE, related_name="holds")
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="holds")
    batch = models.ForeignKey("shop.Batch", on_delete=models.CASCADE, related_name="holds")
    # For gift sets: which component the units stand for (None for a plain variant).
    component = models.ForeignKey(
        "shop.Variant", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    quantity = models.PositiveIntegerField()
    held_until = models.DateTimeField(db_index=True)

    objects = StockHoldQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="hold_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of batch {self.batch_id} until {self.held_until:%H:%M}"
