"""Order email tasks: take an order id, call shop.notifications, retry on SMTP trouble.

Retries back off exponentially (60 s, 120 s, 240 s, then every 5 minutes, 8 retries, about
half an hour in all). The cap stays below the broker's 10-minute visibility timeout
(CELERY_BROKER_TRANSPORT_OPTIONS), past which a delayed message would be redelivered anyway.
A run after a successful send is a no-op (the OrderEmail claim), so acks_late redelivery is
safe. An email whose retries ran out, or whose task never reached the broker, stays in the
outbox: `requeue_pending_emails` (beat) queues it again.
"""

import datetime
import logging
import smtplib

from django.conf import settings

from shop import gift_thanks, notifications
from worker.celery import app

logger = logging.getLogger(__name__)

# smtplib.SMTPException is an OSError too; both named because both are meant: a refusing
# server and a connection that cannot be made (ConnectionRefusedError, timeouts).
SMTP_ERRORS = (smtplib.SMTPException, OSError)
RETRY_POLICY = {
    "autoretry_for": SMTP_ERRORS,
    "retry_backoff": 60,
    "retry_backoff_max": 5 * 60,
    "retry_jitter": False,
    "max_retries": 8,
    "acks_late": True,
}


def _send(order_id: int, kind: str) -> bool:
    try:
        return notifications.send_order_email(order_id=order_id, kind=kind)
    except notifications.OrderNotFound:
        logger.warning("No %s for order %s: the order no longer exists", kind, order_id)
        return False


@app.task(**RETRY_POLICY)
def send_order_confirmation(*, order_id: int) -> bool:
    return _send(order_id, notifications.ORDER_CONFIRMATION)


@app.task(**RETRY_POLICY)
def send_shipped_notice(*, order_id: int, shipment_id: int | None = None) -> bool:
    # Without a shipment: a task queued before orders split into shipments.
    if shipment_id is None:
        return _send(order_id, notifications.SHIPPED_NOTICE)
    return _send(order_id, notifications.shipped_kind(shipment_id))


@app.task(**RETRY_POLICY)
def send_apology(*, order_id: int) -> bool:
    return _send(order_id, notifications.APOLOGY)


@app.task(**RETRY_POLICY)
def send_gift_thank_you(*, order_id: int) -> bool:
    """The receiver's thank-you to the giver of this gift order (shop.gift_thanks)."""
    return gift_thanks.send_thank_you_email(order_id=order_id)


@app.task(acks_late=True)
def requeue_pending_emails() -> int:
    """Beat: queue again the order emails the outbox still holds. Returns how many."""
    return notifications.requeue_pending_emails(
        older_than=datetime.timedelta(minutes=settings.EMAIL_OUTBOX_REQUEUE_MINUTES)
    )
