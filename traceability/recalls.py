"""Recalling a batch, and telling every buyer who holds units of it.

`recall_batch` takes the batch off sale in one transaction: it locks the batch row (through
the inventory's lock discipline, so no hold or allocation of it can slip in between), marks
it recalled, writes the Recall and the list of affected orders (a RecallNotice per order
whose lines took units of the batch, gift-set components included), and appends the recall
to the batch's event log. After the commit the trace page is refreshed and the notice task
is queued. From then on `Batch.objects.on_sale()` leaves the batch out, so inventory holds
and allocates none of it.

The worker then runs `prepare_notices`: an order still unpaid is cancelled (its units go
back to stock; a payment arriving later is refunded by shop.payments.settlement), and one
`send_notice` task is queued per buyer. Each buyer (order email) gets one email in the
language of their latest affected order, covering all their affected orders, exactly once:
`send_notice` locks the buyer's pending notices, sends, and marks them sent in one
transaction, as shop.notifications does for order emails (same retry policy, same crash
window, a fixed Message-ID).
"""

import functools
from urllib.parse import urlsplit

from babel.dates import format_date
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shop import orders, pagecache
from shop.inventory.locks import lock_batches
from shop.models import (
    AllocationState,
    Batch,
    BatchStatus,
    Order,
    OrderLineBatch,
    OrderStatus,
    User,
)
from shop.notifications import BABEL_LOCALES
from traceability import cache, events
from traceability.links import batch_digital_link
from traceability.models import EventKind, NoticeStatus, Recall, RecallNotice

REASON_MAX_LENGTH = 1000
CANCEL_NOTE = "Cancelled: a batch in this order was recalled"
# The log of a recall names who stands behind it, never a person's email.
SHOP_ACTOR = "OCOP Village Shop"


class RecallError(Exception):
    """Base of refused recalls; nothing was written."""


class RecallNotAllowed(RecallError, PermissionDenied):
    """Only a superuser or active staff of the batch's own cooperative may recall it."""


class InvalidReason(RecallError):
    """A recall needs a reason of 1 to 1000 characters: buyers read it."""


class NoticeNotFound(RecallError):
    pass


def may_recall(*, user: User | None, cooperative_id: int | None) -> bool:
    """Whether `user` may recall (and read the recall reports of) a cooperative's batches."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.is_cooperative_staff and user.cooperative_id == cooperative_id


def recall_batch(*, batch: Batch, reason: str, actor: User) -> Recall:
    """Recall `batch` for `reason`: off sale at once, every buyer told once.

    Rule: `actor` is a superuser or active staff of the batch's own cooperative (else
    RecallNotAllowed); the reason is 1-1000 characters once trimmed (else InvalidReason).
    Nothing is written when refused. Recalling a batch that has a Recall already is a
    no-op that returns it (a double-clicked confirm button must not mail buyers twice).

    Side effects, in one transaction: locks the batch row, sets its status to recalled,
    writes the Recall and one RecallNotice per order holding allocated or sold units of the
    batch (gift-set components included), and appends an inspection event with the reason
    to its event log. After the commit: the batch's trace page gets a fresh cache version,
    the storefront's cached pages a new version (shop.pagecache), and
    worker.tasks.recalls.notify_recall is queued.
    """
    reason = (reason or "").strip()
    cooperative_id = (
        Batch.objects.filter(pk=batch.pk)
        .values_list("variant__product__cooperative_id", flat=True)
        .first()
    )
    if not may_recall(user=actor, cooperative_id=cooperative_id):
        raise RecallNotAllowed("Only the batch's own cooperative or a superuser may recall it.")
    if not reason or len(reason) > REASON_MAX_LENGTH:
        raise InvalidReason(f"The reason must be 1 to {REASON_MAX_LENGTH} characters.")
    with transaction.atomic():
        lock_batches([batch.pk])
        existing = Recall.objects.filter(batch_id=batch.pk).first()
        if existing is not None:
            return existing
        now = timezone.now()
        Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RECALLED)
        recall = Recall.objects.create(
            batch_id=batch.pk, reason=reason, actor=actor, created_at=now
        )
        RecallNotice.objects.bulk_create(_affected(recall))
        _log_event(batch=batch, recall=recall, actor=actor)
        transaction.on_commit(functools.partial(cache.invalidate_batch_page, batch_id=batch.pk))
        transaction.on_commit(pagecache.invalidate)
        _queue_notices(recall_id=recall.pk)
    batch.status = BatchStatus.RECALLED
    return recall


def _affected(recall: Recall) -> list[RecallNotice]:
    """A notice per order whose lines hold allocated or sold units of the batch. Released
    units went back to stock (the order was cancelled or expired): nobody holds them."""
    rows = (
        OrderLineBatch.objects.filter(
            batch_id=recall.batch_id, state__in=[AllocationState.ALLOCATED, AllocationState.SOLD]
        )
        .values("line__order_id", "line__order__email", "line__order__language")
        .annotate(units=Sum("quantity"))
        .order_by("line__order_id")
    )
    return [
        RecallNotice(
            recall=recall,
            order_id=row["line__order_id"],
            email=row["line__order__email"],
            language=row["line__order__language"],
            units=row["units"],
        )
        for row in rows
    ]


def _log_event(*, batch: Batch, recall: Recall, actor: User) -> None:
    """The recall joins the batch's hash-chained log as an inspection, with its reason in
    both languages, so the timeline and the EPCIS export show it."""
    cooperative = (
        Batch.objects.select_related("variant__product__cooperative")
        .get(pk=batch.pk)
        .variant.product.cooperative
    )
    notes = {}
    for language in ("en", "vi"):
        with translation.override(language):
            notes[language] = _("Batch recalled. Reason: %(reason)s") % {"reason": recall.reason}
    by = SHOP_ACTOR if actor.is_superuser else cooperative.name
    events.append_event(
        batch=batch,
        kind=EventKind.INSPECTION,
        occurred_at=recall.created_at,
        place=cooperative.name[:200],
        actor=by[:200],
        notes_en=notes["en"],
        notes_vi=notes["vi"],
        recorded_by=actor,
    )


def _queue_notices(*, recall_id: int) -> None:
    # The task module imports this one; importing it at call time keeps the graph acyclic.
    from worker.tasks import recalls as tasks

    send = functools.partial(tasks.notify_recall.delay, recall_id=recall_id)
    functools.update_wrapper(send, tasks.notify_recall.delay)
    # robust: the recall is committed by then; a broker outage is logged (and the notices
    # stay pending on the report, where they can be sent again) rather than a 500.
    transaction.on_commit(send, robust=True)


def prepare_notices(*, recall_id: int) -> list[int]:
    """Cancel the recall's orders that are still unpaid, then return one pending notice id
    per buyer (email, case-insensitive) still to be told. Idempotent.

    Each unpaid order is cancelled in its own transaction under its row lock
    (shop.orders.cancel gives its allocated units back), so a payment that landed
    meanwhile wins and the order stays paid. The notice records that the recall cancelled it.
    """
    unpaid = RecallNotice.objects.filter(
        recall_id=recall_id, order__status=OrderStatus.UNPAID
    ).values_list("pk", "order_id")
    for notice_id, order_id in unpaid:
        with transaction.atomic():
            if Order.objects.select_for_update().get(pk=order_id).status != OrderStatus.UNPAID:
                continue
            orders.cancel(order_id=order_id, note=CANCEL_NOTE)
            RecallNotice.objects.filter(pk=notice_id).update(order_cancelled=True)
    first_per_buyer: dict[str, int] = {}
    pending = RecallNotice.objects.filter(recall_id=recall_id, status=NoticeStatus.PENDING)
    for notice_id, email in pending.order_by("pk").values_list("pk", "email"):
        first_per_buyer.setdefault(email.lower(), notice_id)
    return list(first_per_buyer.values())


def send_notice(*, notice_id: int) -> int:
    """Email the buyer of notice `notice_id` about every pending notice of theirs (same
    recall, same email) in one message, and mark them sent. Returns how many orders the
    email covered, 0 when they had all been sent already.

    Locks the buyer's pending notices and talks to SMTP inside one transaction: an SMTP
    error (smtplib.SMTPException, OSError) propagates with nothing marked, so a retry sends
    it; a second run waits for the lock, then finds nothing pending. Raises NoticeNotFound.
    """
    notice = RecallNotice.objects.filter(pk=notice_id).values_list("recall_id", "email").first()
    if notice is None:
        raise NoticeNotFound(f"recall notice {notice_id} does not exist")
    recall_id, email = notice
    with transaction.atomic():
        pending = list(
            RecallNotice.objects.select_for_update()
            .filter(recall_id=recall_id, email__iexact=email, status=NoticeStatus.PENDING)
            .order_by("pk")
        )
        if not pending:
            return 0
        build_message(recall_id=recall_id, notices=pending).send()
        RecallNotice.objects.filter(pk__in=[n.pk for n in pending]).update(
            status=NoticeStatus.SENT, sent_at=timezone.now()
        )
    return len(pending)


def _language(code: str) -> str:
    known = {language for language, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def build_message(*, recall_id: int, notices: list[RecallNotice]) -> EmailMultiAlternatives:
    """The recall email (plain text and HTML) for one buyer's notices, in the language of
    their latest order: product, lot, reason, date, what to do, each order and the link."""
    recall = Recall.objects.select_related(
        "batch__variant__product__cooperative", "batch__village__province"
    ).get(pk=recall_id)
    batch = recall.batch
    by_order = {
        o.pk: o for o in Order.objects.filter(pk__in=[n.order_id for n in notices]).order_by("pk")
    }
    latest = by_order[max(by_order)]
    language = _language(latest.language)
    lines: dict[int, list[str]] = {}
    for order_id, name in (
        OrderLineBatch.objects.filter(batch=batch, line__order_id__in=by_order)
        .order_by("line_id")
        .values_list("line__order_id", "line__product_name")
        .distinct()
    ):
        names = lines.setdefault(order_id, [])
        if name not in names:
            names.append(name)
    with translation.override(language):
        context = {
            "order": latest,  # emails/_layout.html greets the buyer by the order's name
            "site_url": settings.SITE_URL,
            "recall": recall,
            "batch": batch,
            "product_name": batch.variant.product.name,
            "variant_name": batch.variant.name,
            "cooperative_name": batch.variant.product.cooperative.name,
            "recalled_on": format_date(
                timezone.localtime(recall.created_at).date(),
                format="long",
                locale=BABEL_LOCALES.get(language, "en_US"),
            ),
            "trace_url": batch_digital_link(batch),
            "orders": [
                {
                    "number": by_order[n.order_id].number,
                    "units": n.units,
                    "cancelled": n.order_cancelled,
                    "products": lines.get(n.order_id, []),
                }
                for n in notices
            ],
        }
        subject = _("Important: %(product)s, lot %(lot)s, is recalled") % {
            "product": context["product_name"],
            "lot": batch.lot_code,
        }
        text = render_to_string("emails/recall_notice.txt", context)
        html = render_to_string("emails/recall_notice.html", context)
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notices[0].email],
        headers={"Message-ID": f"<recall.{recall.pk}.{notices[0].pk}@{domain}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


def recall_of(*, batch_id: int) -> Recall | None:
    """The batch's recall, if it has one (for the trace page and gs1:recallStatus)."""
    return Recall.objects.filter(batch_id=batch_id).first()
