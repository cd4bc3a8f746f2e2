"""Paying by card in headless Chromium, with Stripe configured against the fake server.

Stripe's own script cannot be reached here, so Playwright serves a stand-in for
https://js.stripe.com/v3/ with the surface the payment page uses (Stripe(), elements(),
create('payment').mount(), confirmPayment()); it confirms the intent directly against the
fake server, as Stripe.js would against Stripe, then follows the return URL. The test then
delivers Stripe's signed payment_intent.succeeded webhook to the live server, and the
confirmation page turns to "paid"."""

import os
import time
from pathlib import Path

import pytest
from django.core import mail

from shop.models import Batch, Order, OrderStatus, Payment, PaymentStatus, WebhookEvent
from tests.factories import BatchFactory
from tests.shop.checkout_data import honey, shipping_zones

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
SCREENS = Path(os.environ.get("OCOP_SCREENSHOT_DIR", "/tmp/team/screens"))

STRIPE_JS_STAND_IN = """
window.Stripe = function (publishableKey) {
  var api = %(api)s;
  return {
    elements: function (options) {
      return {
        clientSecret: options.clientSecret,
        create: function (type) {
          return {
            mount: function (selector) {
              document.querySelector(selector).innerHTML =
                '<label>Card number <input name="cardnumber" value="4242 4242 4242 4242"></label>';
            }
          };
        }
      };
    },
    confirmPayment: function (params) {
      var secret = params.elements.clientSecret;
      var id = secret.split("_secret_")[0];
      var body = "payment_method=pm_card_visa&key=" + encodeURIComponent(publishableKey) +
        "&client_secret=" + encodeURIComponent(secret);
      return fetch(api + "/v1/payment_intents/" + id + "/confirm", {
        method: "POST",
        headers: {"Content-Type": "application/x-www-form-urlencoded"},
        body: body
      }).then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) {
            return {error: {type: answer.error.type, message: answer.error.message}};
          }
          window.location.assign(params.confirmParams.return_url +
            "?payment_intent=" + id + "&redirect_status=succeeded");
          return {};
        });
      });
    }
  };
};
"""


def wait_until(predicate, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.1)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_shopper_pays_by_card_and_sees_the_order_paid_once_stripe_confirms(
    live_server, chromium_path, monkeypatch, fake_stripe
):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # given a jar of honey, shipping to Europe, and Stripe configured against the fake
    jar = honey()
    BatchFactory(variant=jar, lot_code="HONEY1", quantity_received=5)
    shipping_zones()
    mail.outbox = []
    stand_in = STRIPE_JS_STAND_IN % {"api": f'"{fake_stripe.url}"'}

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PHONE)
            page.route(
                "https://js.stripe.com/v3/",
                lambda route: route.fulfill(
                    status=200, content_type="application/javascript", body=stand_in
                ),
            )
            # when the shopper orders a jar of honey to Germany
            page.goto(f"{live_server.url}{jar.product.get_absolute_url()}")
            page.get_by_role("button", name="Add to cart").click()
            expect(page.locator(".cart-line")).to_have_count(1)
            page.get_by_role("link", name="Go to checkout").click()
            page.get_by_label("Email").fill("jane@example.com")
            page.get_by_label("Your name").fill("Jane Doe")
            page.get_by_label("Country").select_option("DE")
            page.get_by_label("Recipient's full name").fill("Anna Schmidt")
            page.get_by_label("Address line 1").fill("Hauptstraße 5")
            page.get_by_label("Postal code").fill("10115")
            page.get_by_label("City or town").fill("Berlin")
            page.get_by_role("button", name="Continue to shipping").click()
            page.get_by_role("button", name="Place order and pay").click()

            # then the card page shows Stripe's Payment Element for the order's total
            expect(page.locator("h1")).to_have_text("Pay by card")
            expect(page.locator("#payment-element")).to_contain_text("Card number")
            SCREENS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENS / "stripe-pay-phone.png"), full_page=True)

            # when they pay, the stand-in confirms the intent at the fake Stripe
            page.get_by_role("button", name="Pay $22.90").click()

            # then they wait on the confirming page until Stripe's webhook arrives
            expect(page.locator("h1")).to_have_text("Confirming your payment")
            (intent_id,) = fake_stripe.intents
            wait_until(lambda: fake_stripe.intents[intent_id]["status"] == "succeeded")
            order = Order.objects.get()
            assert order.status == OrderStatus.UNPAID
            page.screenshot(path=str(SCREENS / "stripe-confirming-phone.png"), full_page=True)
            event = fake_stripe.event(
                "payment_intent.succeeded", dict(fake_stripe.intents[intent_id])
            )
            status = fake_stripe.deliver(event, url=f"{live_server.url}/payments/stripe/webhook/")
            assert status == 200

            # and the page turns into the confirmation of a paid order by itself
            expect(page.locator("h1")).to_have_text("Thank you for your order!", timeout=15000)
            expect(page.locator(".messages")).to_contain_text("Your payment was received")
            expect(page.locator(".order-status")).to_contain_text("Paid")
            expect(page.locator("main")).to_contain_text(order.number)
            page.screenshot(path=str(SCREENS / "stripe-paid-phone.png"), full_page=True)
        finally:
            browser.close()

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    payment = Payment.objects.get()
    assert (payment.reference, payment.status) == (intent_id, PaymentStatus.SUCCEEDED)
    assert fake_stripe.intents[intent_id]["amount"] == 2290
    assert len(fake_stripe.calls("POST", f"/v1/payment_intents/{intent_id}/confirm")) == 1
    assert WebhookEvent.objects.get().outcome == "order paid"
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 4
    assert [m.to for m in mail.outbox] == [["jane@example.com"]]
