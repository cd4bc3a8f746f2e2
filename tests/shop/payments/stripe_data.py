"""Shared steps of the Stripe tests: start paying an order, have "Stripe" take the money, and
post its signed webhooks to the shop."""

from django.urls import reverse

from shop.models import Payment
from shop.payments.stripe import StripeGateway


def start(order) -> Payment:
    """Open the order's Stripe attempt (and its intent at the fake)."""
    return StripeGateway().start_payment(order=order).payment


def succeeded_event(fake, payment: Payment, **changes) -> dict:
    """The customer paid the attempt's intent; the event Stripe sends about it."""
    intent = {**fake.succeed(payment.reference), **changes}
    return fake.event("payment_intent.succeeded", intent)


def post_event(client, fake, event: dict, **signing):
    """POST the event to the webhook endpoint, signed as Stripe would (or as `signing` says)."""
    payload, header = fake.signed(event, **signing)
    return client.post(
        reverse("shop:stripe_webhook"),
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
