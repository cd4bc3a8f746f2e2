"""Stripe is asked for the order's total with the destination's VAT in, in minor units."""

from decimal import Decimal

import pytest

from shop.demo.taxes import load_taxes
from tests.shop.checkout_data import placed_order
from tests.shop.payments.stripe_data import start

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("currency", "vat", "amount"),
    # goods + shipping + wrap + 7% of the goods: 19.80 + 11.00 + 3.50 + 1.39 EUR,
    # 21.80 + 12.00 + 4.00 + 1.53 USD, 290,000 + 300,000 + 90,000 + 20,300 VND
    [("EUR", "1.39", 3569), ("USD", "1.53", 3933), ("VND", "20300", 700300)],
)
def test_the_intent_asks_for_the_total_with_german_vat(
    fake_stripe, honey_batch, currency, vat, amount
):
    # given VAT data, two jars of honey (food: 7%) ordered to Germany with gift wrap
    load_taxes()
    order = placed_order((honey_batch.variant, 2), currency=currency)

    # when the shopper starts paying
    payment = start(order)

    # then the order carries the VAT and Stripe is asked for the total with it
    (intent,) = fake_stripe.intents.values()
    assert order.tax_total == Decimal(vat)
    assert (intent["amount"], intent["currency"]) == (amount, currency.lower())
    assert payment.amount == order.total
