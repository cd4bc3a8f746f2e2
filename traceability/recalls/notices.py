"""After the recall committed: refunds of withdrawn lines, cancelled unpaid orders, and one
email per buyer (see the package docstring)."""

import datetime
import logging
from urllib.parse import urlsplit

from babel.dates import format_date
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shop import orders
from shop.fulfilment import shipments
from shop.fulfilment.withdrawals import RECALL_HOLD
from shop.message_codes import coded
from shop.models import (
    AllocationState,
    Order,
    OrderLine,
    OrderLineBatch,
    OrderStatus,
    Refund,
)
from shop.models.fulfilment import Shipment, ShipmentStatus, ShipmentStatusChange
from shop.money import format_money, quantize
from shop.notifications import BABEL_LOCALES
from shop.payments import refunds
from traceability.links import batch_digital_link
from traceability.models import NoticeAction, NoticeStatus, Recall, RecallNotice
from traceability.recalls.service import RecallError

logger = logging.getLogger(__name__)

CANCEL_NOTE = coded("recall_cancelled")


class NoticeNotFound(RecallError):
    pass


def _family(recall_id: int) -> Q:
    """A recall and the box-lot recalls it caused: one staff decision, one email a buyer."""
    return Q(recall_id=recall_id) | Q(recall__caused_by_id=recall_id)


def recalls_with_pending_notices(
    *, older_than: datetime.timedelta, within: datetime.timedelta, now=None
) -> list[int]:
    """Ids of the recalls (never the box-lot recalls they caused) made between `within` and
    `older_than` ago whose buyers are not all told yet: their notify_recall task was lost
    (broker down at the commit, worker killed) or their mail server kept refusing. Beat
    queues notify_recall for each again; it is idempotent and a sent notice is never sent
    twice. Read-only."""
    now = now or timezone.now()
    pending = RecallNotice.objects.filter(status=NoticeStatus.PENDING)
    recall_ids = set(pending.values_list("recall__caused_by_id", flat=True)) | set(
        pending.filter(recall__caused_by__isnull=True).values_list("recall_id", flat=True)
    )
    return list(
        Recall.objects.filter(
            pk__in=recall_ids - {None},
            caused_by__isnull=True,
            created_at__lte=now - older_than,
            created_at__gt=now - within,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def prepare_notices(*, recall_id: int) -> list[int]:
    """Cancel the recall's orders that are still unpaid, refund the withdrawn lines no other
    lot could fill, then return one pending notice id per buyer (email, case-insensitive)
    still to be told. Idempotent.

    Each unpaid order is cancelled in its own transaction under its row lock
    (shop.orders.cancel gives its allocated units back), so a payment that landed
    meanwhile wins and the order stays paid. The notice records that the recall cancelled it.
    """
    unpaid = RecallNotice.objects.filter(
        _family(recall_id), order__status=OrderStatus.UNPAID
    ).values_list("pk", "order_id")
    for notice_id, order_id in unpaid:
        with transaction.atomic():
            if orders.lock_order(order_id=order_id).status != OrderStatus.UNPAID:
                continue
            orders.cancel(order_id=order_id, note=CANCEL_NOTE)
            RecallNotice.objects.filter(pk=notice_id).update(order_cancelled=True)
    refund_withdrawn(recall_id=recall_id)
    first_per_buyer: dict[str, int] = {}
    pending = RecallNotice.objects.filter(_family(recall_id), status=NoticeStatus.PENDING)
    for notice_id, email in pending.order_by("pk").values_list("pk", "email"):
        first_per_buyer.setdefault(email.lower(), notice_id)
    return list(first_per_buyer.values())


def refund_reason(notice: RecallNotice) -> str:
    return f"Recall {notice.recall_id}: lot {notice.recall.batch.lot_code} withdrawn unsent"


def refund_withdrawn(*, recall_id: int) -> int:
    """Refund each line the recall withdrew and could not fill from another lot, then let
    its shipment go: released when units are left to send, cancelled when none are.

    No lock is held while the refunds service talks to Stripe (it locks and commits on its
    own). The line's price times its withdrawn units goes back, without restock (the units
    are back on the recalled lot already); when nothing of the order is left to send, all
    of its money goes back (shipping too). Idempotent: a refund already opened for the
    notice (same reason) is not opened again. Returns how many refunds were opened.
    """
    opened = 0
    for notice in (
        RecallNotice.objects.filter(_family(recall_id), action=NoticeAction.REFUNDED)
        .select_related("recall__batch", "order")
        .order_by("pk")
    ):
        reason = refund_reason(notice)
        line = (
            OrderLine.objects.filter(
                order_id=notice.order_id,
                batches__batch_id=notice.recall.batch_id,
                batches__state=AllocationState.RETURNED,
            )
            .distinct()
            .first()
        )
        if line is None:
            continue
        left = OrderLineBatch.objects.filter(
            line__order_id=notice.order_id, state=AllocationState.SOLD
        ).exists()
        done = Refund.objects.filter(payment__order_id=notice.order_id, reason=reason).exists()
        # A full refund for another lot of the same order may have covered this line.
        covered = refunds.has_refund(order_id=notice.order_id) and not (
            refunds.order_refundable(order_id=notice.order_id)
        )
        if not done and not covered:
            amount = quantize(line.unit_price * notice.units, notice.order.currency)
            try:
                refunds.refund_order(
                    order_id=notice.order_id,
                    amount=amount if left else None,
                    lines={line.pk: notice.units},
                    restock=False,
                    reason=reason,
                    actor=None,
                )
            except refunds.RefundPending:
                pass  # recorded; reconciliation completes it with the same key
            except refunds.RefundError as exc:
                logger.warning("Recall refund of order %s failed: %s", notice.order_id, exc)
                _flag(notice.order_id, f"{reason}: refund not made ({exc})")
                continue
            opened += 1
        _let_go(line.shipment_id)
    return opened


def _flag(order_id: int, note: str) -> None:
    with transaction.atomic():
        order = orders.lock_order(order_id=order_id)
        Order.objects.filter(pk=order_id).update(
            needs_review=True, review_note=f"{order.review_note}\n{note}".strip()
        )


def _let_go(shipment_id: int | None) -> None:
    """A shipment the recall held waits no more once its refund is out: cancelled when
    nothing is left to send, released when it was waiting to be packed. A packed parcel
    stays on hold: it holds recalled units and must be packed again first."""
    if shipment_id is None:
        return
    shipment = Shipment.objects.filter(pk=shipment_id).values_list("status", "hold_reason")
    if shipment.first() != (ShipmentStatus.ON_HOLD, RECALL_HOLD):
        return
    units = OrderLineBatch.objects.filter(line__shipment_id=shipment_id, state=AllocationState.SOLD)
    if units.exists():
        held_from = (
            ShipmentStatusChange.objects.filter(
                shipment_id=shipment_id, to_status=ShipmentStatus.ON_HOLD
            )
            .order_by("-created_at", "-pk")
            .values_list("from_status", flat=True)
            .first()
        )
        if held_from == ShipmentStatus.TO_PACK:
            shipments.release(shipment_id=shipment_id)
    else:
        shipments.cancel_shipment(shipment_id=shipment_id, actor=None, note=coded(RECALL_HOLD))


def send_notice(*, notice_id: int) -> int:
    """Email the buyer of notice `notice_id` about every pending notice of theirs (same
    recall and the box-lot recalls it caused, same email) in one message, and mark them
    sent. Returns how many notices the email covered, 0 when they had all been sent already.

    Locks the buyer's pending notices and talks to SMTP inside one transaction: an SMTP
    error (smtplib.SMTPException, OSError) propagates with nothing marked, so a retry sends
    it; a second run waits for the lock, then finds nothing pending. Raises NoticeNotFound.
    """
    notice = (
        RecallNotice.objects.filter(pk=notice_id)
        .values_list("recall_id", "recall__caused_by_id", "email")
        .first()
    )
    if notice is None:
        raise NoticeNotFound(f"recall notice {notice_id} does not exist")
    recall_id, caused_by, email = notice
    root = caused_by or recall_id
    with transaction.atomic():
        pending = list(
            RecallNotice.objects.select_for_update()
            .filter(_family(root), email__iexact=email, status=NoticeStatus.PENDING)
            .order_by("pk")
        )
        if not pending:
            return 0
        build_message(recall_id=root, notices=pending).send()
        RecallNotice.objects.filter(pk__in=[n.pk for n in pending]).update(
            status=NoticeStatus.SENT, sent_at=timezone.now()
        )
    return len(pending)


def _language(code: str) -> str:
    known = {language for language, _name in settings.LANGUAGES}
    return code if code in known else settings.LANGUAGE_CODE


def _items(notices: list[RecallNotice], by_order: dict[int, Order], language: str) -> list:
    """One entry per notice: the order, its products holding the lot, and what we did."""
    recalls = {
        r.pk: r
        for r in Recall.objects.filter(pk__in={n.recall_id for n in notices}).select_related(
            "batch"
        )
    }
    lines: dict[tuple[int, int], list[OrderLine]] = {}
    for allocation in (
        OrderLineBatch.objects.filter(
            batch_id__in=[r.batch_id for r in recalls.values()],
            line__order_id__in=by_order,
        )
        .select_related("line")
        .order_by("line_id")
    ):
        found = lines.setdefault((allocation.line.order_id, allocation.batch_id), [])
        if allocation.line not in found:
            found.append(allocation.line)
    # What went back: the refund opened for the notice (shipping too when nothing of the
    # order was left to send), else the line's price for its units.
    refunded = dict(
        Refund.objects.filter(payment__order_id__in=by_order, reason__startswith="Recall ")
        .order_by("pk")
        .values_list("reason", "amount")
    )
    items = []
    for notice in notices:
        recall = recalls[notice.recall_id]
        order = by_order[notice.order_id]
        held = lines.get((notice.order_id, recall.batch_id), [])
        notice.recall = recall
        refund = refunded.get(refund_reason(notice)) or sum(
            (line.unit_price * notice.units for line in held[:1]), 0
        )
        items.append(
            {
                "number": order.number,
                "units": notice.units,
                "action": notice.action,
                "lot": recall.batch.lot_code,
                "in_box": recall.caused_by_id is not None,
                "replacement_lot": notice.replacement_lot,
                "refund": format_money(quantize(refund, order.currency), order.currency, language)
                if held
                else "",
                "cancelled": notice.order_cancelled or notice.action == NoticeAction.CANCELLED,
                "products": list(dict.fromkeys(line.product_name for line in held)),
            }
        )
    return items


def build_message(*, recall_id: int, notices: list[RecallNotice]) -> EmailMultiAlternatives:
    """The recall email (plain text and HTML) for one buyer's notices, in the language of
    their latest order: product, lot, reason, date, and per order what the recall did:
    do not use (units shipped), replaced from lot Y, refunded, or cancelled (unpaid)."""
    recall = Recall.objects.select_related(
        "batch__variant__product__cooperative", "batch__village__province"
    ).get(pk=recall_id)
    batch = recall.batch
    by_order = {
        o.pk: o for o in Order.objects.filter(pk__in=[n.order_id for n in notices]).order_by("pk")
    }
    latest = by_order[max(by_order)]
    language = _language(latest.language)
    with translation.override(language):
        items = _items(notices, by_order, language)
        actions = {item["action"] for item in items}
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
            "orders": items,
            "do_not_use": NoticeAction.DO_NOT_USE in actions,
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
