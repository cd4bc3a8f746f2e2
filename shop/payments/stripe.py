"""The Stripe gateway: the only code that talks to Stripe.

One PaymentIntent per order attempt, for the order's total in the order's currency, in minor
units (shop.money.to_minor_units: VND is zero-decimal, 250,000 VND is amount=250000). The
Payment row of the attempt is written first; its id is part of the idempotency key, so a
retry after a timeout or a lost answer gets the same intent back from Stripe instead of a
second one, and the shopper is never charged twice. A failed attempt keeps its intent: the
Payment Element confirms the same intent again.

No database lock is held while Stripe is called: the attempt row is committed before the
call and the answer is recorded in a new transaction.

Stripe's errors become the seam's typed errors: timeouts, lost connections, 5xx, rate limits
and idempotency conflicts -> GatewayUnavailable (with a message for the shopper); card
errors -> PaymentDeclined; a request Stripe refuses for good -> StripeRefused.
"""

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import stripe
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.models import Order, OrderStatus, Payment, PaymentStatus
from shop.money import to_minor_units
from shop.payments import (
    GatewayUnavailable,
    OrderNotPayable,
    PaymentDeclined,
    PaymentError,
    PaymentStart,
)

logger = logging.getLogger(__name__)

NAME = "stripe"
# The SDK retries timeouts, lost connections, 409 and 5xx itself, with the same key.
MAX_NETWORK_RETRIES = 2
# Attempts whose intent may still be confirmed: a failed card leaves the intent open.
OPEN_STATUSES = (PaymentStatus.PENDING, PaymentStatus.FAILED)

UNAVAILABLE_MESSAGE = _(
    "The payment service did not answer in time. Your order is saved and still waiting for "
    "payment, and nothing was charged. Please try again: you will never be charged twice."
)
DECLINED_MESSAGE = _("The payment was declined. You can try again.")


class StripeRefused(PaymentError):
    """Stripe understood the request and refused it for good (retrying will not help)."""

    def __init__(self, message: str, *, code: str | None = None):
        self.code = code
        super().__init__(message)


class InvalidWebhook(Exception):
    """A webhook whose signature is missing, wrong or too old, or whose body is no event."""


def client() -> stripe.StripeClient:
    """A client built from the settings; STRIPE_API_BASE points it at a fake in tests."""
    if not settings.STRIPE_SECRET_KEY:
        raise GatewayUnavailable(str(UNAVAILABLE_MESSAGE))
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base,
        max_network_retries=MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


@contextmanager
def stripe_errors(action: str) -> Iterator[None]:
    """Turn the SDK's errors raised inside the block into the seam's typed errors."""
    try:
        yield
    except stripe.CardError as exc:
        raise PaymentDeclined(exc.user_message or str(DECLINED_MESSAGE)) from exc
    except (
        stripe.APIConnectionError,
        stripe.APIError,
        stripe.RateLimitError,
        stripe.IdempotencyError,
    ) as exc:
        logger.warning("Stripe unavailable during %s: %s", action, exc)
        raise GatewayUnavailable(str(UNAVAILABLE_MESSAGE)) from exc
    except (stripe.AuthenticationError, stripe.PermissionError) as exc:
        logger.error("Stripe refused our keys during %s: %s", action, exc)
        raise GatewayUnavailable(str(UNAVAILABLE_MESSAGE)) from exc
    except stripe.InvalidRequestError as exc:
        logger.warning("Stripe refused %s: %s", action, exc)
        raise StripeRefused(exc.user_message or str(exc), code=exc.code) from exc


def intent_key(payment: Payment) -> str:
    """The idempotency key of an attempt: the same order and attempt, the same intent."""
    return f"ocop-order-{payment.order.token}-attempt-{payment.pk}"


def refund_key(refund_id: int) -> str:
    return f"ocop-refund-{refund_id}"


class StripeGateway:
    name = NAME

    def start_payment(self, *, order: Order) -> PaymentStart:
        """Open (or reuse) the order's Stripe attempt and its PaymentIntent.

        Reuses the latest pending or failed attempt, so a retry or a second tab confirms the
        same intent. A new attempt writes its Payment row first, then creates the intent
        with an idempotency key derived from the order and the attempt, then records the
        intent's id and client secret. Raises OrderNotPayable (paid, cancelled or out of
        time) and GatewayUnavailable (Stripe did not answer: the attempt row stays, and the
        next try asks Stripe with the same key).
        """
        payment = _open_attempt(order_id=order.pk)
        if not payment.client_secret:
            intent = create_intent(payment=payment)
            payment = _record_intent(payment_id=payment.pk, intent=intent)
        return PaymentStart(
            payment=payment,
            redirect_url=reverse("shop:stripe_pay", args=[order.token]),
            client_secret=payment.client_secret,
        )


def _open_attempt(*, order_id: int) -> Payment:
    with transaction.atomic():
        # FOR NO KEY UPDATE, as every order lock (shop.orders.lock_order).
        order = Order.objects.select_for_update(no_key=True).get(pk=order_id)
        if order.status != OrderStatus.UNPAID or (
            order.expires_at is not None and order.expires_at <= timezone.now()
        ):
            raise OrderNotPayable(order.number)
        payment = (
            Payment.objects.filter(order=order, gateway=NAME, status__in=OPEN_STATUSES)
            .order_by("-pk")
            .first()
        )
        if payment is None:
            payment = Payment.objects.create(
                order=order, gateway=NAME, amount=order.total, currency=order.currency
            )
    payment.order = order
    return payment


def _record_intent(*, payment_id: int, intent: dict[str, Any]) -> Payment:
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment_id)
        # Until its client secret is recorded no shopper can have confirmed the intent, so the
        # answer is taken even when a webhook filled in the id (the first answer was lost).
        if not payment.client_secret:
            payment.reference = intent["id"]
            payment.client_secret = intent["client_secret"]
            payment.updated_at = timezone.now()
            payment.save(update_fields=["reference", "client_secret", "updated_at"])
    return payment


def create_intent(*, payment: Payment) -> dict[str, Any]:
    """Create (or get back, by idempotency key) the PaymentIntent of an attempt."""
    order = payment.order
    params = {
        "amount": to_minor_units(payment.amount, payment.currency),
        "currency": payment.currency.lower(),
        "automatic_payment_methods": {"enabled": True},
        "description": f"OCOP order {order.number}",
        "receipt_email": order.email,
        "metadata": {
            "order_number": order.number,
            "order_token": str(order.token),
            "payment_id": str(payment.pk),
        },
    }
    with stripe_errors("creating a PaymentIntent"):
        intent = client().v1.payment_intents.create(
            params=params, options={"idempotency_key": intent_key(payment)}
        )
    return intent.to_dict()


def retrieve_intent(*, reference: str) -> dict[str, Any]:
    with stripe_errors("retrieving a PaymentIntent"):
        return client().v1.payment_intents.retrieve(reference).to_dict()


def cancel_intent(*, reference: str) -> dict[str, Any]:
    with stripe_errors("cancelling a PaymentIntent"):
        intent = client().v1.payment_intents.cancel(
            reference, options={"idempotency_key": f"ocop-cancel-{reference}"}
        )
    return intent.to_dict()


def create_refund(
    *, payment: Payment, amount_minor: int, refund_id: int, metadata: dict[str, str]
) -> dict[str, Any]:
    """Refund part or all of a payment's charge; the key makes a retry return the same
    refund instead of a second one."""
    with stripe_errors("refunding a payment"):
        refund = client().v1.refunds.create(
            params={
                "payment_intent": payment.reference,
                "amount": amount_minor,
                "metadata": metadata,
            },
            options={"idempotency_key": refund_key(refund_id)},
        )
    return refund.to_dict()


def verify_webhook(*, payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event in a webhook body, once its Stripe-Signature header proves Stripe sent it
    with our secret within STRIPE_WEBHOOK_TOLERANCE_SECONDS. Raises InvalidWebhook."""
    try:
        stripe.WebhookSignature.verify_header(
            payload,
            signature,
            settings.STRIPE_WEBHOOK_SECRET,
            settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
        )
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidWebhook(str(exc)) from exc
    if not (
        isinstance(event, dict)
        and isinstance(event.get("id"), str)
        and isinstance(event.get("type"), str)
        and isinstance(event.get("data"), dict)
        and isinstance(event["data"].get("object"), dict)
    ):
        raise InvalidWebhook("The body is not a Stripe event.")
    return event
