"""Recall notice tasks: cancel the recall's unpaid orders, refund the withdrawn lines no
other lot could fill, then email each buyer once.

`notify_recall` (queued by traceability.recalls.recall_batch on commit, with the recall's
id only) calls `recalls.prepare_notices` (cancels, then refunds through
shop.payments.refunds, outside any lock of the recall) and queues one `send_recall_notice`
per buyer, so one buyer's refusing mailbox never holds back the others.
`send_recall_notice` retries SMTP errors with the order emails' backoff (60 s doubling,
capped at 5 minutes, 8 retries). Both are safe to run twice: cancelled orders stay
cancelled, a line refunded for the recall is not refunded again, and a sent notice is never
sent again. `requeue_recall_notices` (beat) queues `notify_recall` again for recalls whose
buyers are not all told some minutes later: the notices are the recall's outbox.
"""

import datetime
import logging

from django.conf import settings

from traceability import recalls
from worker.celery import app
from worker.tasks.emails import RETRY_POLICY

logger = logging.getLogger(__name__)


@app.task(acks_late=True)
def notify_recall(*, recall_id: int) -> int:
    """Returns how many buyers' notices were queued."""
    notice_ids = recalls.prepare_notices(recall_id=recall_id)
    for notice_id in notice_ids:
        send_recall_notice.delay(notice_id=notice_id)
    return len(notice_ids)


@app.task(**RETRY_POLICY)
def send_recall_notice(*, notice_id: int) -> int:
    """Returns how many orders the email covered (0: sent before)."""
    try:
        return recalls.send_notice(notice_id=notice_id)
    except recalls.NoticeNotFound:
        logger.warning("Recall notice %s no longer exists", notice_id)
        return 0


@app.task(acks_late=True)
def requeue_recall_notices() -> int:
    """Beat: queue notify_recall again for recent recalls with buyers not yet told."""
    recall_ids = recalls.recalls_with_pending_notices(
        older_than=datetime.timedelta(minutes=settings.EMAIL_OUTBOX_REQUEUE_MINUTES),
        within=datetime.timedelta(days=7),
    )
    for recall_id in recall_ids:
        notify_recall.delay(recall_id=recall_id)
    return len(recall_ids)
