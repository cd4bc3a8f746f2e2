"""Stripe's webhooks: verify, record once, apply.

A webhook is believed only with a valid Stripe-Signature (our secret, a timestamp within
STRIPE_WEBHOOK_TOLERANCE_SECONDS); anything else raises InvalidWebhook and changes nothing.
Each event id is recorded once (WebhookEvent, unique per gateway): a replayed or duplicated
delivery finds its row and stops, and two deliveries at once wait on the unique index until
the first commits. The event is applied by shop.payments.settlement in the same transaction
as its record, so a failure rolls both back and Stripe delivers again; refunds it decided
are asked of Stripe only after that commit.

Handled: payment_intent.succeeded, payment_intent.payment_failed, payment_intent.canceled
and charge.refunded. Other types are recorded and ignored. So is a signed event whose object
has an unexpected shape (no id, a non-numeric amount, metadata that is not an object): it is
recorded with an "ignored: ..." outcome and answered 200, because Stripe retries anything
else for days and a retry can only bring the same body. Reconciliation later asks Stripe for
the intent itself. A body that is not an event at all (no `data`) is a 400.
"""

import datetime
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shop.models import WebhookEvent
from shop.payments import settlement
from shop.payments import stripe as gateway
from shop.payments.stripe import InvalidWebhook

__all__ = ["HANDLED_EVENTS", "InvalidWebhook", "handle_stripe_webhook"]

logger = logging.getLogger(__name__)

DUPLICATE = "duplicate: already handled"
# Fields of a PaymentIntent or Charge the settlement rules read, and the types they must have
# (None is always allowed: Stripe omits fields).
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "metadata": (dict,),
    "amount_received": (int,),
    "amount_refunded": (int,),
    "currency": (str,),
    "payment_intent": (str,),
    "status": (str,),
}
# What a shape the checks above did not foresee raises inside the rules; caught so that the
# event's record survives (a savepoint undoes only the rules' half-done writes).
_SHAPE_ERRORS = (KeyError, TypeError, ValueError, AttributeError)

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
        result = _apply(handler, obj, now, event_id=event["id"])
        WebhookEvent.objects.filter(pk=record.pk).update(
            order_id=result.order_id, outcome=result.outcome[:200]
        )
    settlement.carry_out(result)
    return result.outcome


def unexpected_shape(obj: dict[str, Any]) -> str:
    """Why an event's object cannot be applied ("" when it can): its id must be a string and
    the fields the rules read must have Stripe's types. Booleans are not amounts."""
    if not isinstance(obj.get("id"), str) or not obj["id"]:
        return "object without an id"
    for name, types in _FIELD_TYPES.items():
        value = obj.get(name)
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            return f"{name} is not {types[0].__name__}"
    return ""


def _apply(handler, obj: dict[str, Any], now: datetime.datetime, *, event_id: str):
    if handler is None:
        return settlement.Settlement("ignored")
    problem = unexpected_shape(obj)
    if problem:
        logger.warning("Stripe event %s ignored: %s", event_id, problem)
        return settlement.Settlement(f"ignored: {problem}")
    try:
        with transaction.atomic():
            return handler(obj, now)
    except _SHAPE_ERRORS as exc:
        logger.warning("Stripe event %s ignored: unexpected shape", event_id, exc_info=True)
        return settlement.Settlement(f"ignored: unexpected shape ({type(exc).__name__})")
