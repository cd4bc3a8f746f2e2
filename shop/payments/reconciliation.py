"""Reconciliation: ask Stripe about payments we have not heard back about.

A webhook can be lost (our site down for longer than Stripe retries, a misconfigured
endpoint). Every few minutes beat runs `reconcile_payments`: each Stripe attempt still
pending or failed after PAYMENT_RECONCILE_AFTER_MINUTES, on an order that is unpaid or
cancelled, is retrieved from Stripe and applied through the same rules as a webhook
(shop.payments.settlement), so a paid order never stays unpaid; an intent left open on a
cancelled order is cancelled at Stripe. Refunds still pending after the same time are
completed with their original idempotency key.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shop.models import OrderStatus, Payment
from shop.payments import PaymentError, refunds, settlement
from shop.payments import stripe as gateway

logger = logging.getLogger(__name__)


@dataclass
class Reconciliation:
    checked: int = 0
    paid: int = 0
    unreachable: int = 0
    refunds_completed: int = 0
    refunds_pending: int = 0


def reconcile_payments(*, now: datetime.datetime | None = None) -> Reconciliation:
    """Apply Stripe's view of old open attempts and complete old pending refunds.

    One transaction per attempt (the order and payment rows are locked only while its
    answer is applied, never during the call to Stripe). An attempt Stripe does not answer
    for is left for the next run. Does nothing without Stripe keys. Returns the counts.
    """
    report = Reconciliation()
    if not settings.STRIPE_SECRET_KEY:
        return report
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
    references = (
        Payment.objects.filter(
            gateway=gateway.NAME,
            status__in=gateway.OPEN_STATUSES,
            created_at__lte=cutoff,
            order__status__in=[OrderStatus.UNPAID, OrderStatus.CANCELLED],
        )
        .exclude(reference="")
        .order_by("pk")
        .values_list("reference", flat=True)
    )
    for reference in references:
        try:
            intent = gateway.retrieve_intent(reference=reference)
        except PaymentError as exc:
            logger.warning("Could not reconcile %s: %s", reference, exc)
            report.unreachable += 1
            continue
        with transaction.atomic():
            result = settlement.apply_intent(intent=intent, now=now)
        settlement.carry_out(result)
        report.checked += 1
        report.paid += int(result.paid)
    report.refunds_completed, report.refunds_pending = refunds.complete_pending_refunds(
        opened_before=cutoff
    )
    return report
