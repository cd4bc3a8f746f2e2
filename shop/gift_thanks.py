"""The receiver's thank-you (issue 16, part 3): sent once from the gift page, emailed to the
giver only.

`send_thank_you` writes the GiftThankYou and, in the same transaction, the outbox row of its
email (a PendingEmail of kind GIFT_THANK_YOU on the gift's order); the task is queued on
commit. `send_thank_you_email` (the worker's) claims the (order, GIFT_THANK_YOU) OrderEmail
row and sends inside one transaction, exactly as shop.notifications does for order emails,
and beat's `requeue_pending_emails` queues it again if it was lost on the way. The email is
in the giver's language (the order's) with the photo attached; the giver's address is read
only here, never by the gift page.
"""

import datetime
import functools
import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shop import gifts, notifications, sites, uploads
from shop.models import Order, OrderEmail, PendingEmail
from shop.models.gifts import Gift, GiftThankYou

TEXT_MAX_LENGTH = 1000
NAME_MAX_LENGTH = 100
GIFT_THANK_YOU = notifications.GIFT_THANK_YOU


class ThankYouError(Exception):
    """Base of refused thank-yous; nothing was written."""


class GiftNotFound(ThankYouError):
    pass


class GiftClosed(ThankYouError):
    """The link was revoked by the giver or has expired."""

    def __init__(self, state: gifts.LinkState) -> None:
        super().__init__(str(state))
        self.state = state


class AlreadyThanked(ThankYouError):
    pass


class InvalidThankYou(ThankYouError):
    """What is wrong, by form field name (name, text, photo)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _checked(*, name: str, text: str, photo: File | None) -> tuple[str, str, File | None]:
    errors: dict[str, list[str]] = {}
    name, text = (name or "").strip(), (text or "").strip()
    if not text:
        errors["text"] = [_("Write a few words of thanks.")]
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = [
            _("Write at most %(max)d characters (you wrote %(count)d).")
            % {"max": TEXT_MAX_LENGTH, "count": len(text)}
        ]
    if len(name) > NAME_MAX_LENGTH:
        errors["name"] = [_("Sign with at most %(max)d characters.") % {"max": NAME_MAX_LENGTH}]
    clean = None
    if photo:
        try:
            clean = uploads.reencode_image(photo)
        except ValidationError as exc:
            errors["photo"] = list(exc.messages)
    if errors:
        raise InvalidThankYou(errors)
    return name, text, clean


def send_thank_you(
    *,
    token: str,
    name: str,
    text: str,
    photo: File | None = None,
    now: datetime.datetime | None = None,
) -> GiftThankYou:
    """Send the receiver's thank-you for the gift with this token to its giver.

    Rules: one per gift (AlreadyThanked); a revoked or expired link is refused (GiftClosed),
    an unknown one too (GiftNotFound); the text is required, at most TEXT_MAX_LENGTH
    characters; the photo, optional, is re-encoded by shop.uploads (InvalidThankYou, by
    field). A refusal writes nothing.
    Side effects, in one transaction under the gift's row lock: the GiftThankYou row (and its
    photo file), the PendingEmail outbox row; on commit the email task is queued.
    """
    name, text, clean = _checked(name=name, text=text, photo=photo)
    now = now or timezone.now()
    with transaction.atomic():
        gift = Gift.objects.select_for_update().filter(token=token).first() if token else None
        if gift is None:
            raise GiftNotFound(token)
        state = gifts.link_state(
            gift=gift, delivered_at=gifts.last_delivered_at(gift.order_id), now=now
        )
        if state != gifts.LinkState.OPEN:
            raise GiftClosed(state)
        if GiftThankYou.objects.filter(gift=gift).exists():
            raise AlreadyThanked(gift.pk)
        thanks = GiftThankYou(gift=gift, name=name, text=text, created_at=now)
        try:
            with transaction.atomic():
                if clean is not None:
                    thanks.photo.save(clean.name, clean, save=False)
                thanks.save()
        except IntegrityError as exc:  # a thank-you written past the lock (SQLite has none)
            raise AlreadyThanked(gift.pk) from exc
        _queue_email(order_id=gift.order_id)
    return thanks


def _queue_email(*, order_id: int) -> None:
    # The task module imports this one (as shop.notifications' does); read at call time.
    from worker.tasks import emails

    PendingEmail.objects.get_or_create(order_id=order_id, kind=GIFT_THANK_YOU)
    send = functools.partial(emails.send_gift_thank_you.delay, order_id=order_id)
    functools.update_wrapper(send, emails.send_gift_thank_you.delay)
    transaction.on_commit(send, robust=True)


def of_gift(*, gift: Gift | None) -> GiftThankYou | None:
    """The gift's thank-you, for its giver's eyes (their order page), or None (one query)."""
    if gift is None:
        return None
    return GiftThankYou.objects.filter(gift=gift).first()


def send_thank_you_email(*, order_id: int) -> bool:
    """Email the thank-you for the gift of this order to the giver, exactly once.

    Claims the (order, GIFT_THANK_YOU) OrderEmail row, sends, notes `emailed_at` and deletes
    the outbox row in one transaction (shop.notifications explains the crash window).
    Returns False when it was sent already or there is nothing to send. SMTP errors
    propagate with the claim rolled back, so a retry sends it."""
    if OrderEmail.objects.filter(order_id=order_id, kind=GIFT_THANK_YOU).exists():
        PendingEmail.objects.filter(order_id=order_id, kind=GIFT_THANK_YOU).delete()
        return False
    thanks = GiftThankYou.objects.select_related("gift__order").filter(gift__order_id=order_id)
    thanks = thanks.first()
    if thanks is None:
        PendingEmail.objects.filter(order_id=order_id, kind=GIFT_THANK_YOU).delete()
        return False
    message = build_message(thanks=thanks)
    with transaction.atomic():
        try:
            with transaction.atomic():
                OrderEmail.objects.create(order_id=order_id, kind=GIFT_THANK_YOU)
        except IntegrityError:
            return False
        message.send()
        GiftThankYou.objects.filter(pk=thanks.pk).update(emailed_at=timezone.now())
        PendingEmail.objects.filter(order_id=order_id, kind=GIFT_THANK_YOU).delete()
    return True


def build_message(*, thanks: GiftThankYou) -> EmailMultiAlternatives:
    """The email to the giver, in the order's language, with the photo attached."""
    order: Order = thanks.gift.order
    language = notifications.email_language(order)
    context = {
        "order": order,
        "thanks": thanks,
        "site_url": settings.SITE_URL,
        "order_url": sites.site_url() + reverse("shop:order", kwargs={"token": order.token}),
    }
    with translation.override(language):
        subject = _("A thank-you for your gift")
        text = render_to_string("emails/gift_thank_you.txt", context)
        html = render_to_string("emails/gift_thank_you.html", context)
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[order.email],
        headers={"Message-ID": f"<{GIFT_THANK_YOU}.{order.number}@{domain}>"},
    )
    message.attach_alternative(html, "text/html")
    if thanks.photo:
        with thanks.photo.open("rb") as photo:
            content = photo.read()
        filename = thanks.photo.name.rsplit("/", 1)[-1]
        kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        message.attach(filename, content, kind)
    return message
