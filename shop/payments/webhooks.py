"""Stripe's webhooks: verify, record once, apply.

A webhook is believed only with a valid Stripe-Signature (our secret, a timestamp within
STRIPE_WEBHOOK_TOLERANCE_SECONDS); anything else raises InvalidWebhook and changes nothing.
Each event id is recorded once (WebhookEvent, unique per gateway): a replayed or duplicated
delivery finds its row and stops, and two deliveries at once wait on the unique index until
the first commits. The event is applied by shop.payments.settlement in the same transaction
as its record, so a failure rolls both back and Stripe delivers again; refunds it decided
are asked of Stripe only after that commit.

Handled: payment_intent.succeeded, payment_intent.payment_failed, payment_intent.canceled
and charge.refunded. Other types are recorded and ignored.
"""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shop.models import WebhookEvent
from shop.payments import settlement
from shop.payments import stripe as gateway
from shop.payments.stripe import InvalidWebhook

__all__ = ["HANDLED_EVENTS", "InvalidWebhook", "handle_stripe_webhook"]

DUPLICATE = "duplicate: already handled"

HANDLERS = {
    "payment_intent.succeeded": lambda obj, now: settlement.succeeded(intent=obj, now=now),
    "payment_intent.payment_failed": lambda obj, now: settlement.failed(intent=obj, now=now),
    "payment_intent.canceled": lambda obj, now: settlement.canceled(intent=obj, now=now),
    "charge.refunded": lambda obj, now: settlement.charge_refunded(charge=obj, now=now),
}
HANDLED_EVENTS = tuple(HANDLERS)


def handle_stripe_webhook(
    *, payload: bytes, signature: str | None, now: datetime.datetime | None = None
) -> str:
    """Verify a webhook from Stripe and apply its event once. Returns what happened.

    Writes one WebhookEvent per event id and whatever the settlement rules write (payment
    status, order paid or cancelled, pending refunds, emails queued on commit); then asks
    Stripe for the refunds decided. Raises InvalidWebhook for a missing, wrong or stale
    signature or a body that is not an event; nothing is written then.
    """
    event = gateway.verify_webhook(payload=payload, signature=signature)
    now = now or timezone.now()
    handler = HANDLERS.get(event["type"])
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = WebhookEvent.objects.create(
                    gateway=gateway.NAME, event_id=event["id"][:100], type=event["type"][:100]
                )
        except IntegrityError:
            return DUPLICATE
        obj: dict[str, Any] = event["data"]["object"]
        result = handler(obj, now) if handler else settlement.Settlement("ignored")
        WebhookEvent.objects.filter(pk=record.pk).update(
            order_id=result.order_id, outcome=result.outcome[:200]
        )
    settlement.carry_out(result)
    return result.outcome
