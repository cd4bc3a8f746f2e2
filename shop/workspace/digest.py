"""The daily digest: each morning every staff member of a cooperative gets one email with
what needs them today: products running low, batches near their best-before, orders waiting
to be packed, and buyers' reports of suspicious products received since the last digest.
Sent by the Celery beat task worker.tasks.digest.send_daily_digests.

Once a day, and the crash window
--------------------------------
send_digest claims the (cooperative, day) DigestSent row and hands the emails to SMTP inside
one transaction, as shop.notifications does for order emails: an SMTP failure rolls the
claim back and the task retries; once committed, any later run that day sends nothing. A
crash between SMTP accepting and our COMMIT can send the digest twice; each message carries
a fixed Message-ID per cooperative, day and person so mail stores show it once.

A day with nothing to report sends nothing and claims nothing.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shop.models import Cooperative, DigestSent, Order, User
from shop.workspace import selectors
from shop.workspace.access import WORKSPACE_LANGUAGE
from traceability import reports as buyer_reports
from traceability.models import SuspiciousProductReport


@dataclass
class Digest:
    cooperative: Cooperative
    day: datetime.date
    low_stock: list[selectors.VariantStock]
    near_expiry: list[selectors.BatchRow]
    orders_to_pack: list[Order]
    reports: list[SuspiciousProductReport] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.low_stock or self.near_expiry or self.orders_to_pack or self.reports)


def cooperatives_with_staff() -> list[int]:
    """Ids of the cooperatives that have at least one active staff member."""
    return list(
        Cooperative.objects.filter(staff__is_active=True, staff__is_staff=True)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def recipients(*, cooperative_id: int) -> list[User]:
    return list(
        User.objects.filter(cooperative_id=cooperative_id, is_active=True, is_staff=True)
        .exclude(email="")
        .order_by("pk")
    )


def build_digest(*, cooperative_id: int, now: datetime.datetime | None = None) -> Digest:
    """What the cooperative's digest says now (a read; writes nothing). Its reports are those
    received since the last digest sent (every open one before the first digest)."""
    now = now or timezone.now()
    board = selectors.dashboard(cooperative_id=cooperative_id, now=now)
    last = (
        DigestSent.objects.filter(cooperative_id=cooperative_id, sent_at__lt=now)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return Digest(
        cooperative=selectors.cooperative(cooperative_id=cooperative_id),
        day=timezone.localdate(now),
        low_stock=board.low_stock,
        near_expiry=board.near_expiry,
        orders_to_pack=board.orders_to_pack,
        reports=buyer_reports.reports_since(cooperative_id=cooperative_id, since=last, until=now),
    )


def digest_language(user: User) -> str:
    """The staff member's language when the shop speaks it, else Vietnamese."""
    known = dict(settings.LANGUAGES)
    return user.preferred_language if user.preferred_language in known else WORKSPACE_LANGUAGE


def build_message(*, digest: Digest, user: User) -> EmailMultiAlternatives:
    """The digest for one person, plain text with an HTML alternative, in their language."""
    language = digest_language(user)
    with translation.override(language):
        context = {
            "digest": digest,
            "user": user,
            "workspace_url": settings.SITE_URL + reverse("coop:dashboard"),
            "site_url": settings.SITE_URL,
            "threshold": settings.LOW_STOCK_THRESHOLD,
            "reports_url": settings.SITE_URL + reverse("coop:reports"),
        }
        subject = _(
            "%(cooperative)s today: %(orders)d to pack, %(low)d low, %(expiring)d expiring"
        ) % {
            "cooperative": digest.cooperative.name,
            "orders": len(digest.orders_to_pack),
            "low": len(digest.low_stock),
            "expiring": len(digest.near_expiry),
        }
        if digest.reports:
            subject = (
                ngettext(
                    "%(count)d report from a buyer · ",
                    "%(count)d reports from buyers · ",
                    len(digest.reports),
                )
                % {"count": len(digest.reports)}
                + subject
            )
        text = render_to_string("emails/coop_digest.txt", context)
        html = render_to_string("emails/coop_digest.html", context)
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    message_id = f"<digest.{digest.cooperative.pk}.{digest.day:%Y%m%d}.{user.pk}@{domain}>"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Message-ID": message_id},
    )
    message.attach_alternative(html, "text/html")
    return message


def send_digest(*, cooperative_id: int, now: datetime.datetime | None = None) -> int:
    """Email today's digest to each active staff member of the cooperative, once a day.

    Returns how many emails this call sent: 0 when today's digest went out already, when
    there is nothing to report, or when the cooperative has no staff. Claims the
    (cooperative, day) DigestSent row in the transaction that sends (see the module
    docstring). SMTP errors (smtplib.SMTPException, OSError) propagate with the claim
    rolled back, so a retry sends. Raises Cooperative.DoesNotExist for an unknown id.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    if DigestSent.objects.filter(cooperative_id=cooperative_id, day=day).exists():
        return 0
    digest = build_digest(cooperative_id=cooperative_id, now=now)
    people = recipients(cooperative_id=cooperative_id)
    if digest.is_empty or not people:
        return 0
    # Rendered before the transaction opens, so it stays open only for the SMTP exchange.
    messages = [build_message(digest=digest, user=user) for user in people]
    with transaction.atomic():
        try:
            with transaction.atomic():
                DigestSent.objects.create(
                    cooperative_id=cooperative_id, day=day, recipients=len(messages), sent_at=now
                )
        except IntegrityError:
            return 0
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)
