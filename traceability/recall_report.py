"""Reads for the recall report: the orders a recall reached, their units, and whether each
buyer has been told; as a page and as CSV. Visible to superusers and to the recalled
batch's own cooperative staff only (traceability.recalls.may_recall)."""

import csv
import io
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shop.models import OrderStatus, User
from traceability.models import NoticeStatus, Recall, RecallNotice

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ReportRow:
    notice: RecallNotice

    @property
    def order(self):
        return self.notice.order

    @property
    def notified(self) -> bool:
        return self.notice.status == NoticeStatus.SENT


@dataclass(frozen=True)
class RecallReport:
    recall: Recall
    rows: list[ReportRow]

    @property
    def units(self) -> int:
        return sum(row.notice.units for row in self.rows)

    @property
    def notified(self) -> int:
        return sum(1 for row in self.rows if row.notified)

    @property
    def pending(self) -> int:
        return len(self.rows) - self.notified


def visible_recalls(*, user: User) -> QuerySet[Recall]:
    """The recalls `user` may read, newest first, with their batch and notice counts:
    all for a superuser, their cooperative's for its staff, none for anyone else."""
    recalls = Recall.objects.select_related("batch__variant__product", "actor").annotate(
        orders=Count("notices"),
        units=Sum("notices__units"),
        notified=Count("notices", filter=Q(notices__status=NoticeStatus.SENT)),
    )
    if not user.is_authenticated or not user.is_active:
        return recalls.none()
    if user.is_superuser:
        return recalls
    if user.is_cooperative_staff:
        return recalls.filter(batch__variant__product__cooperative_id=user.cooperative_id)
    return recalls.none()


def recall_report(*, recall_id: int, user: User) -> RecallReport:
    """One recall's report, in two queries. Raises Recall.DoesNotExist when it does not
    exist or `user` may not read it (both answer the same, so ids reveal nothing)."""
    recall = (
        visible_recalls(user=user)
        .select_related("batch__variant__product__cooperative")
        .get(pk=recall_id)
    )
    notices = RecallNotice.objects.filter(recall=recall).select_related("order").order_by("pk")
    return RecallReport(recall=recall, rows=[ReportRow(n) for n in notices])


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def report_csv(report: RecallReport) -> str:
    """The report as CSV: a header in the reader's language, then one row per order with
    times as ISO 8601 in the shop's time zone."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            pgettext("recall report", "Order"),
            _("Placed at"),
            _("Order status"),
            _("Buyer email"),
            _("Language"),
            _("Units"),
            _("Cancelled by the recall"),
            _("Buyer notified"),
            _("Notified at"),
        ]
    )
    for row in report.rows:
        notice, order = row.notice, row.order
        sent_at = timezone.localtime(notice.sent_at).isoformat() if notice.sent_at else ""
        writer.writerow(
            _cell(value)
            for value in (
                order.number,
                timezone.localtime(order.created_at).isoformat(),
                OrderStatus(order.status).label,
                notice.email,
                notice.language,
                notice.units,
                _("yes") if notice.order_cancelled else _("no"),
                _("yes") if row.notified else _("no"),
                sent_at,
            )
        )
    return out.getvalue()
