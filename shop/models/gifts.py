"""The gift, from the receiver's side: the private page a card in the box opens, the
receiver's thank-you, and the cooperative's invitation to visit its village."""

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shop.uploads import PhotoField

# A year after delivery the link stops working (issue 16, privacy).
GIFT_PAGE_DAYS = 365


def new_gift_token() -> str:
    # 32 random bytes: the link is the only key to the page, so it must not be guessable.
    return secrets.token_urlsafe(32)


class Gift(models.Model):
    """What a giver chose to share with the receiver of a gift order.

    The page reads only these fields and the items' public stories: never the order's
    number, prices or addresses."""

    order = models.OneToOneField("shop.Order", on_delete=models.CASCADE, related_name="gift")
    token = models.CharField(max_length=64, unique=True, default=new_gift_token, editable=False)
    # The language the receiver reads the card and page in (chosen by the giver).
    language = models.CharField(_("receiver's language"), max_length=8, default="en")
    # How the giver signs the card ("Anna", "Oma und Opa"); blank signs nothing.
    signature = models.CharField(_("signed"), max_length=100, blank=True)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("link revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")

    def __str__(self) -> str:
        return f"gift {self.pk}"


class GiftThankYou(models.Model):
    """The receiver's one thank-you, shown to the giver only (by email)."""

    gift = models.OneToOneField(Gift, on_delete=models.CASCADE, related_name="thank_you")
    name = models.CharField(
        pgettext_lazy("the name a thank-you is signed with", "from"), max_length=100, blank=True
    )
    text = models.TextField(_("thank-you"), max_length=1000)
    photo = PhotoField(_("photo"), upload_to="thanks/", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thank-you")
        verbose_name_plural = _("thank-yous")

    def __str__(self) -> str:
        return f"thank-you for gift {self.gift_id}"


class CooperativeVisit(models.Model):
    """A cooperative's invitation to its village: what to see and do, when, how to get there.

    `activities`, `getting_there` and `nearest_city` are kept in English and Vietnamese
    (shop/translation.py)."""

    cooperative = models.OneToOneField(
        "shop.Cooperative", on_delete=models.CASCADE, related_name="visit"
    )
    published = models.BooleanField(_("published"), default=False)
    activities = models.TextField(
        _("what visitors can see and do"),
        max_length=2000,
        blank=True,
        help_text=_("Workshops, harvest seasons, homestays…"),
    )
    # Month numbers 1–12, best first or in calendar order as the cooperative likes.
    best_months = models.JSONField(_("best months"), default=list, blank=True)
    nearest_city = models.CharField(_("nearest city"), max_length=100, blank=True)
    getting_there = models.TextField(_("how to get there"), max_length=1000, blank=True)
    travel_minutes = models.PositiveIntegerField(
        _("minutes from the nearest city"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("village visit")
        verbose_name_plural = _("village visits")

    def __str__(self) -> str:
        return f"visit {self.cooperative_id}"
