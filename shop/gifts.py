"""The gift behind a gift order: its card's words, its private page's link, and its end.

A gift order gets one Gift row when it is placed (`create_for_order`, called by
shop.checkout.place_order in its transaction). The row's token is the only key to the gift
page (/gift/<token>/): it is never derived from the order, and cache keys use a hash of it
(`token_hash`). The link works until the giver revokes it (`revoke`) or a year after the
last delivery (`link_state`). Nothing here knows the order's number, prices or address.
"""

import datetime
import hashlib
import uuid
from enum import StrEnum
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shop import cache_outage, sites
from shop.models import Order, Shipment
from shop.models.gifts import GIFT_PAGE_DAYS, Gift

SIGNATURE_MAX_LENGTH = 100
# Bumped on revoke so a cached page is never read again (shop.gift_page keys include it).
_VERSION_KEY = "gift:version:{token_hash}"


class GiftError(Exception):
    """Base of refused gift actions; nothing was written."""


class NotAGift(GiftError):
    pass


class LinkState(StrEnum):
    OPEN = "open"
    REVOKED = "revoked"
    EXPIRED = "expired"


def languages() -> list[tuple[str, str]]:
    """The languages a receiver can read the card and page in: the shop's own."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def detail_errors(*, signature: str, language: str) -> dict[str, str]:
    """What is wrong with the gift's checkout fields, by field name (blank is allowed)."""
    errors: dict[str, str] = {}
    if len(signature) > SIGNATURE_MAX_LENGTH:
        errors["gift_signature"] = _("Sign with at most %(max)d characters.") % {
            "max": SIGNATURE_MAX_LENGTH
        }
    if language and language not in dict(settings.LANGUAGES):
        errors["gift_language"] = _("Choose a language from the list.")
    return errors


def create_for_order(
    *,
    order: Order,
    message: str,
    signature: str,
    language: str,
    now: datetime.datetime | None = None,
) -> Gift:
    """Create the Gift of a gift order (at most one: a second call returns the first).

    Runs inside the caller's transaction (place_order's); writes one Gift row with a fresh
    unguessable token. A language the shop does not speak falls back to the order's."""
    if language not in dict(settings.LANGUAGES):
        language = order.language
    with transaction.atomic():
        gift, _created = Gift.objects.get_or_create(
            order=order,
            defaults={
                "message": message.strip(),
                "signature": signature.strip()[:SIGNATURE_MAX_LENGTH],
                "language": language,
                "created_at": now or timezone.now(),
            },
        )
    return gift


def revoke(*, gift: Gift, now: datetime.datetime | None = None) -> Gift:
    """Stop the gift's link working, for good (the giver's choice; a second call keeps the
    first time). Writes Gift.revoked_at; after commit the page's cache version is bumped so
    no cached copy is served again."""
    with transaction.atomic():
        locked = Gift.objects.select_for_update().get(pk=gift.pk)
        if locked.revoked_at is None:
            locked.revoked_at = now or timezone.now()
            locked.save(update_fields=["revoked_at"])
        transaction.on_commit(partial(bump_version, token=locked.token))
    return locked


def token_hash(token: str) -> str:
    """What cache keys name a gift by: the link itself must not sit in Redis."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def version(*, token: str) -> str:
    key = _VERSION_KEY.format(token_hash=token_hash(token))
    value = cache_outage.get(key)
    if value is None:
        cache_outage.add(key, uuid.uuid4().hex, None)
        value = cache_outage.get(key) or "0"
    return str(value)


def bump_version(*, token: str) -> None:
    cache_outage.set(_VERSION_KEY.format(token_hash=token_hash(token)), uuid.uuid4().hex, None)


def last_delivered_at(order_id: int) -> datetime.datetime | None:
    return Shipment.objects.filter(order_id=order_id).aggregate(last=Max("delivered_at"))["last"]


def link_state(
    *, gift: Gift, delivered_at: datetime.datetime | None, now: datetime.datetime | None = None
) -> LinkState:
    """Revoked by the giver, expired GIFT_PAGE_DAYS after the last delivery, or open."""
    if gift.revoked_at is not None:
        return LinkState.REVOKED
    now = now or timezone.now()
    if delivered_at is not None and now > delivered_at + datetime.timedelta(days=GIFT_PAGE_DAYS):
        return LinkState.EXPIRED
    return LinkState.OPEN


def of_order(*, order: Order) -> Gift | None:
    """The order's gift (one query; none for an order that is no gift)."""
    return Gift.objects.filter(order=order).first() if order.is_gift else None


def page_path(gift: Gift) -> str:
    return reverse("shop:gift", kwargs={"token": gift.token})


def page_url(gift: Gift) -> str:
    """The gift page's absolute address, as the card's QR code holds it (shop.sites)."""
    return sites.site_url().rstrip("/") + page_path(gift)
