"""The payment seam: one interface, several gateways.

Checkout hands an unpaid order to `get_gateway().start_payment(order=...)` and sends the
shopper to the returned URL. The gateway records a Payment row per attempt and, once the
money is there, marks the order paid through shop.fulfilment.payment.pay_order. The embedded default
uses the dummy gateway (shop.payments.dummy); with Stripe keys set, Stripe does the same job.
Errors are typed, as in django-oscar: PaymentDeclined (the shopper may try again),
GatewayUnavailable (try later), OrderNotPayable (the order is paid, cancelled or expired).
"""

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from shop.models import Order, Payment


class PaymentError(Exception):
    """Base of payment failures; the order stays unpaid."""


class PaymentDeclined(PaymentError):
    """The gateway refused the payment; the shopper may try again."""


class GatewayUnavailable(PaymentError):
    """The gateway cannot be reached or is not set up; try again later."""


class OrderNotPayable(PaymentError):
    """The order is not waiting for payment (paid already, cancelled or expired)."""


class ItemWithdrawn(PaymentError):
    """A lot of the order was recalled or sold out while paying: the order is cancelled
    and no money was taken."""

    def __init__(self, number: str, *, lot_codes: list[str]):
        self.number, self.lot_codes = number, lot_codes
        super().__init__(f"Order {number} not paid: lots {', '.join(lot_codes)} withdrawn.")


@dataclass(frozen=True)
class PaymentStart:
    """Where to send the shopper to pay, and the Payment row of the attempt."""

    payment: Payment
    redirect_url: str
    client_secret: str = ""


class Gateway(Protocol):
    name: str

    def start_payment(self, *, order: Order) -> PaymentStart:
        """Open (or reuse) a payment attempt for the unpaid order's total.
        Raises OrderNotPayable or GatewayUnavailable."""
        ...


def gateway_name() -> str:
    return "stripe" if settings.STRIPE_SECRET_KEY else "dummy"


def get_gateway() -> Gateway:
    """The dummy gateway on the embedded default; Stripe when its keys are set."""
    if gateway_name() == "stripe":
        try:
            from shop.payments import stripe
        except ImportError as exc:
            raise GatewayUnavailable("Stripe keys are set but its gateway is missing.") from exc
        return stripe.StripeGateway()
    from shop.payments import dummy

    return dummy.DummyGateway()
