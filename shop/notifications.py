"""Order emails: written to an outbox with the event, sent by Celery exactly once.

Checkout and order services call `queue_order_confirmation` / `queue_shipped_notice` /
`queue_apology` inside their transaction. That writes a PendingEmail row (the outbox) in the
same transaction and queues the task with `transaction.on_commit`, so a rolled-back order
never mails anyone and the worker always finds the committed rows. The task calls
`send_order_email`, which renders the email in the order's language, sends it once and
deletes the outbox row with its claim.

Nothing lost. When the task cannot be queued after the commit (the broker is down: the
robust on_commit callback logs kombu's OperationalError) or a worker dies with it, the
outbox row stays; beat's `requeue_pending_emails` queues every row still there
EMAIL_OUTBOX_REQUEUE_MINUTES after it was last queued. Queuing twice is harmless: the claim
below sends once.

Exactly once, and the crash window
----------------------------------
`send_order_email` claims the (order, kind) OrderEmail row and talks to SMTP inside one
transaction. An SMTP failure raises, the claim rolls back and the task retries later; once
the transaction commits, any later run finds the claim and sends nothing. While the claim
is uncommitted, a second delivery of the same task (Celery redelivers with acks_late) waits
on the row's unique index on PostgreSQL and then sees the claim, so two workers never send
the same email at once.

The one window left is between the SMTP server accepting the message and our COMMIT (the
worker dies or the database drops in those milliseconds): the claim is lost and the
redelivered task sends again. We accept that: a rare duplicate confirmation is better than
the alternative order (commit the claim, then send), where a crash or SMTP failure after
the commit loses the email silently. Each email carries a fixed Message-ID per order and
kind, so mail stores that de-duplicate by Message-ID show a duplicate only once.
"""

import datetime
import functools
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from babel.dates import format_date
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerUnavailable

from shop import languages, photos, sites, taxes
from shop.identifiers import parse_id
from shop.models import (
    AllocationState,
    Order,
    OrderEmail,
    OrderLine,
    OrderLineBatch,
    PendingEmail,
)
from shop.models.fulfilment import Shipment
from shop.money import format_money
from traceability.links import batch_digital_link

logger = logging.getLogger(__name__)

ORDER_CONFIRMATION = "order_confirmation"
SHIPPED_NOTICE = "shipped_notice"
# Sent when a payment arrived for an order that could no longer be filled (sold out while
# paying): the order is cancelled and the payment refunded.
APOLOGY = "apology"
EMAIL_KINDS = (ORDER_CONFIRMATION, SHIPPED_NOTICE, APOLOGY)
# The receiver's thank-you to the giver of a gift order: sent by shop.gift_thanks, through
# the same outbox and claim rows, so the beat below re-queues it too.
GIFT_THANK_YOU = "gift_thank_you"
# One shipped notice per shipment: the claim's kind names it ("shipped:<shipment id>").
SHIPPED_PREFIX = "shipped:"


def shipped_kind(shipment_id: int) -> str:
    return f"{SHIPPED_PREFIX}{shipment_id}"


def _shipment_id(kind: str) -> int | None:
    if kind.startswith(SHIPPED_PREFIX):
        return parse_id(kind[len(SHIPPED_PREFIX) :])
    return None


BABEL_LOCALES = languages.BABEL_LOCALES


class NotificationError(Exception):
    pass


class UnknownEmailKind(NotificationError):
    def __init__(self, kind: str) -> None:
        super().__init__(f"unknown order email kind {kind!r}")
        self.kind = kind


class OrderNotFound(NotificationError):
    def __init__(self, order_id: int) -> None:
        super().__init__(f"order {order_id} does not exist")
        self.order_id = order_id


def queue_order_confirmation(*, order_id: int) -> None:
    """Queue the order confirmation email once the current transaction commits.

    Call it inside the transaction that places the order; nothing is queued if it rolls back.
    """
    _queue(task_name="send_order_confirmation", order_id=order_id)


def queue_shipped_notice(*, order_id: int, shipment_id: int) -> None:
    """Queue one shipment's shipped notice (its lines, carrier, tracking number and link)
    once the current transaction commits. Call it inside the transaction that marks the
    shipment shipped; the email is claimed once per shipment (kind `shipped:<id>`)."""
    _queue(task_name="send_shipped_notice", order_id=order_id, shipment_id=shipment_id)


def queue_apology(*, order_id: int) -> None:
    """Queue the apology (order cancelled, payment refunded) once the current transaction
    commits. Call it inside the transaction that cancels the order."""
    _queue(task_name="send_apology", order_id=order_id)


def _task(kind: str) -> tuple[str, dict]:
    """The task that sends an email of `kind`, and its arguments besides the order id."""
    shipment_id = _shipment_id(kind)
    if shipment_id is not None:
        return "send_shipped_notice", {"shipment_id": shipment_id}
    if kind == GIFT_THANK_YOU:
        return "send_gift_thank_you", {}
    return {APOLOGY: "send_apology", SHIPPED_NOTICE: "send_shipped_notice"}.get(
        kind, "send_order_confirmation"
    ), {}


def _queue(*, task_name: str, order_id: int, **kwargs) -> None:
    # The task module imports this one; importing it at call time keeps the graph acyclic.
    from worker.tasks import emails

    if "shipment_id" in kwargs:
        kind = shipped_kind(kwargs["shipment_id"])
    else:
        kind = {"send_apology": APOLOGY, "send_shipped_notice": SHIPPED_NOTICE}.get(
            task_name, ORDER_CONFIRMATION
        )
    # The outbox row, in the caller's transaction: written with the event or not at all.
    PendingEmail.objects.get_or_create(order_id=order_id, kind=kind)
    task = getattr(emails, task_name)
    send = functools.partial(task.delay, order_id=order_id, **kwargs)
    # Django 5.2 logs a robust callback's failure by its __qualname__, which a partial lacks
    # (Django ticket #36487): lend it the task's names.
    functools.update_wrapper(send, task.delay)
    # robust: the order is committed by then; a broker outage (or, in eager mode, an SMTP
    # error) is logged rather than turning the shopper's successful checkout into a 500.
    transaction.on_commit(send, robust=True)


def send_order_email(*, order_id: int, kind: str) -> bool:
    """Render the order's `kind` email in the order's language and send it, exactly once.

    Claims the (order, kind) OrderEmail row and sends inside one transaction (see the module
    docstring for why, and for the crash window). Returns True when this call sent the
    email, False when it had been sent already. SMTP errors (smtplib.SMTPException, OSError)
    propagate with the claim rolled back, so a retry sends it. Raises UnknownEmailKind or
    OrderNotFound, writing nothing.
    """
    if kind not in EMAIL_KINDS and _shipment_id(kind) is None:
        raise UnknownEmailKind(kind)
    if OrderEmail.objects.filter(order_id=order_id, kind=kind).exists():
        PendingEmail.objects.filter(order_id=order_id, kind=kind).delete()
        return False
    order = _load_order(order_id)
    # Render before the transaction opens, so it stays open only for the SMTP exchange.
    message = build_message(order=order, kind=kind)
    with transaction.atomic():
        try:
            with transaction.atomic():
                OrderEmail.objects.create(order=order, kind=kind)
        except IntegrityError:
            return False
        message.send()
        PendingEmail.objects.filter(order_id=order_id, kind=kind).delete()
    return True


def requeue_pending_emails(*, older_than: datetime.timedelta, now=None, limit: int = 500) -> int:
    """Queue again every order email still in the outbox `older_than` after it was last
    queued (oldest first, at most `limit`), and note when. Run by beat. An email sent
    meanwhile only loses its outbox row. Stops at the first broker error, leaving the rest
    pending for the next run. Returns how many were queued."""
    from worker.tasks import emails

    now = now or timezone.now()
    pending = list(
        PendingEmail.objects.filter(queued_at__lte=now - older_than).order_by("queued_at", "pk")[
            :limit
        ]
    )
    sent = set(
        OrderEmail.objects.filter(order_id__in={row.order_id for row in pending}).values_list(
            "order_id", "kind"
        )
    )
    queued = 0
    for row in pending:
        if (row.order_id, row.kind) in sent:
            row.delete()
            continue
        task_name, kwargs = _task(row.kind)
        try:
            getattr(emails, task_name).delay(order_id=row.order_id, **kwargs)
        except BrokerUnavailable:
            logger.warning("Broker unavailable: %s order emails stay pending", len(pending))
            break
        PendingEmail.objects.filter(pk=row.pk).update(queued_at=now)
        queued += 1
    return queued


def _load_order(order_id: int) -> Order:
    batches = OrderLineBatch.objects.exclude(state=AllocationState.RELEASED).select_related(
        "batch__variant", "batch__village__province", "component__product"
    )
    lines = OrderLine.objects.select_related("variant__product").prefetch_related(
        Prefetch("batches", queryset=batches)
    )
    try:
        return (
            Order.objects.select_related("shipping_address", "shipping_method")
            .prefetch_related(Prefetch("lines", queryset=lines))
            .get(pk=order_id)
        )
    except Order.DoesNotExist as exc:
        raise OrderNotFound(order_id) from exc


@dataclass(frozen=True)
class BatchRow:
    """One batch behind an order line, as the email shows it."""

    component: str
    lot_code: str
    harvested: str
    village: str
    trace_url: str


@dataclass(frozen=True)
class LineRow:
    product_name: str
    variant_name: str
    quantity: int
    unit_price: str
    line_total: str
    batches: list[BatchRow]
    # An absolute URL of the product's picture (shop.photos), or "" (mail clients show no SVG).
    picture_url: str = ""


def _batch_row(allocation: OrderLineBatch, language: str) -> BatchRow:
    batch = allocation.batch
    component = allocation.component
    return BatchRow(
        component=f"{component.product.name} ({component.name})" if component else "",
        lot_code=batch.lot_code,
        harvested=format_date(
            batch.harvest_date, format="long", locale=BABEL_LOCALES.get(language, "en_US")
        ),
        village=f"{batch.village.name}, {batch.village.province.name}",
        trace_url=batch_digital_link(batch),
    )


def _line_pictures(lines) -> dict[int, str]:
    """Each line's product picture as an absolute URL (one query), leaving out SVG drawings."""
    products = [line.variant.product for line in lines]
    origin = settings.SITE_URL.rstrip("/")
    return {
        pk: f"{origin}{url}" if url.startswith("/") else url
        for pk, url in photos.picture_urls(products, width=320).items()
        if not url.lower().endswith(".svg")
    }


def _context(order: Order, language: str, shipment: Shipment | None = None) -> dict:
    def money(amount) -> str:
        return format_money(amount, order.currency, language)

    address = order.shipping_address
    lines = order.lines.all()
    if shipment is not None:
        lines = [line for line in lines if line.shipment_id == shipment.pk]
    pictures = _line_pictures(lines)
    tax = taxes.order_taxes(order)
    return {
        "order": order,
        "shipment": shipment,
        "site_url": settings.SITE_URL,
        # The order page (status, each parcel's timeline), reached by the order's token.
        "order_url": sites.site_url() + reverse("shop:order", kwargs={"token": order.token}),
        "status": order.get_status_display(),
        "lines": [
            LineRow(
                product_name=line.shown_product_name,
                variant_name=line.shown_variant_name,
                quantity=line.quantity,
                unit_price=money(line.unit_price),
                line_total=money(line.line_total),
                batches=[_batch_row(a, language) for a in line.batches.all()],
                picture_url=pictures.get(line.variant.product_id, ""),
            )
            for line in lines
        ],
        "subtotal": money(order.subtotal),
        "shipping_total": money(order.shipping_total),
        "gift_wrap_total": money(order.gift_wrap_total),
        "total": money(order.total),
        # The destination's VAT by rate and duties, and who pays them (shop.taxes).
        "tax_lines": [(label, money(amount)) for label, amount in taxes.labelled_lines(tax)],
        "tax_note": tax.note,
        "recipient": address.full_name,
        "address_lines": address.as_lines(),
    }


def _subject(kind: str, number: str) -> str:
    if kind == SHIPPED_NOTICE or _shipment_id(kind) is not None:
        return _("Your order %(number)s is on its way") % {"number": number}
    if kind == APOLOGY:
        return _("We are sorry: order %(number)s could not be completed") % {"number": number}
    return _("Order %(number)s confirmed. Thank you!") % {"number": number}


def email_language(order: Order) -> str:
    """The order's language if the shop speaks it, else the default."""
    known = {code for code, _name in settings.LANGUAGES}
    return order.language if order.language in known else settings.LANGUAGE_CODE


def build_message(*, order: Order, kind: str) -> EmailMultiAlternatives:
    """The email (plain text with an HTML alternative) in the order's language.
    `order` must come with its lines and batches (see _load_order)."""
    language = email_language(order)
    shipment_id = _shipment_id(kind)
    shipment = None
    if shipment_id is not None:
        shipment = Shipment.objects.select_related("cooperative").get(pk=shipment_id, order=order)
    template = SHIPPED_NOTICE if shipment is not None else kind
    with translation.override(language):
        context = _context(order, language, shipment)
        subject = _subject(kind, order.number)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[order.email],
        headers={"Message-ID": f"<{kind.replace(':', '.')}.{order.number}@{domain}>"},
    )
    message.attach_alternative(html, "text/html")
    return message
