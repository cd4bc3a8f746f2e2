"""The API's checkout totals carry the destination's VAT, and the order placed through it
charges the same total and asks the payment for it."""

from decimal import Decimal

import pytest

from shop.demo.taxes import load_taxes
from shop.models import Order, TaxMode
from tests.shop.graphql.test_checkout_api import COMPLETE, READ, data_of, mutate, ready_checkout

pytestmark = pytest.mark.django_db

TOTALS = "query($t: ID!) { checkout(token: $t) { totals { tax { amount } taxMode } } }"


def test_a_german_checkout_totals_its_vat_and_the_order_charges_it(client):
    load_taxes()
    token, _jar, _batch = ready_checkout(client, jars=2)

    checkout = data_of(client, READ, {"t": token})["checkout"]
    tax = data_of(client, TOTALS, {"t": token})["checkout"]["totals"]
    complete = mutate(client, COMPLETE, "checkoutComplete", {"token": token})

    # 2 x 9.90 EUR of honey at Germany's 7% food rate: 1.39; 19.80 + 11.00 + 1.39
    assert checkout["totals"]["total"] == {"amount": "32.19", "currency": "EUR"}
    assert tax == {"tax": {"amount": "1.39"}, "taxMode": "collected"}
    assert complete["order"]["total"] == {"amount": "32.19", "currency": "EUR"}
    assert complete["payment"]["amount"] == {"amount": "32.19"}
    order = Order.objects.get()
    assert (order.tax_mode, order.tax_total) == (TaxMode.COLLECTED, Decimal("1.39"))


def test_without_rates_the_totals_read_no_tax(client):
    token, _jar, _batch = ready_checkout(client, jars=2)

    tax = data_of(client, TOTALS, {"t": token})["checkout"]["totals"]

    assert tax == {"tax": {"amount": "0.00"}, "taxMode": "none"}
