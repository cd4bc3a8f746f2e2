"""Issue 14's journey, in German, in headless Chromium: a browser that asks for German (and so
pays in euros) buys a Tết gift box to Berlin. The cart shows the box's picture, the lot held
and its best-before, a running countdown and the header's count; "ship to" Germany brings
the VAT line, the note on duties and the delivery estimate; checkout fills an address in
Berlin; the dummy gateway takes the payment and the shopper lands on the order page."""

import datetime
import re

import pytest

from shop.demo.taxes import load_taxes
from shop.models import Order, OrderStatus
from tests.factories import BatchFactory
from tests.shop.checkout_data import gift_set, honey, shipping_zones
from tests.shop.test_browser_checkout import CHROMIUM_ARGS, PHONE, SCREENS

# Runs in every page before its own scripts; Playwright injects it outside the page's CSP.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_german_buyer_sends_a_gift_box_to_berlin(live_server, chromium_path, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # given a Tết box in stock (lot BOX1), Germany's VAT rates and shipping to Europe
    jar = honey()
    BatchFactory(
        variant=jar,
        lot_code="HONEY1",
        best_before=datetime.date.today() + datetime.timedelta(days=300),
    )
    box, _tea = gift_set(honey_variant=jar)
    load_taxes()
    shipping_zones()
    violations: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            # A browser set to German in Berlin: Accept-Language de-DE, Berlin's clock.
            context = browser.new_context(
                locale="de-DE", timezone_id="Europe/Berlin", viewport=PHONE
            )
            page = context.new_page()
            page.add_init_script(LISTEN)

            def csp() -> None:
                violations.extend(page.evaluate("window.__csp"))

            # when the buyer puts the gift box in the cart
            page.goto(f"{live_server.url}{box.product.get_absolute_url()}")
            expect(page.locator("html")).to_have_attribute("lang", "de")
            page.get_by_role("button", name="In den Warenkorb").click()

            # then the cart shows the box's picture, the lot held, the countdown and the count
            expect(page.locator(".cart-line")).to_have_count(1)
            expect(page.locator(".cart-line-picture")).to_have_attribute("loading", "lazy")
            expect(page.locator(".held-lots")).to_contain_text("Charge BOX1")
            expect(page.locator("[data-countdown-clock]")).to_have_text(re.compile(r"^1[45]:\d\d$"))
            expect(page.locator(".hold-note time")).not_to_contain_text("UTC")
            expect(page.locator(".site-header [data-cart-count]")).to_be_visible()
            expect(page.locator(".site-header [data-cart-count-label]")).to_have_text(
                "Artikel in Ihrem Warenkorb: 1"
            )
            csp()

            # when they say it ships to Germany
            page.locator(".ship-to-form select").select_option("DE")
            page.get_by_role("button", name="Für dieses Land anzeigen").click()

            # then the cart shows Germany's VAT, the note on duties and when it would arrive
            expect(page.locator(".cart-taxes .tax-line")).to_contain_text("7")
            expect(page.locator(".duties-note")).to_be_visible()
            expect(page.locator(".delivery-estimate")).to_be_visible()
            SCREENS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENS / "cart-germany-phone.png"), full_page=True)
            csp()

            # when they check out to an address in Berlin
            page.get_by_role("link", name="Zur Kasse").click()
            page.locator("input[name=email]").fill("oma@example.de")
            page.locator("input[name=buyer_name]").fill("Greta Müller")
            page.locator("select[name=country]").select_option("DE")
            page.locator("input[name=full_name]").fill("Anna Schmidt")
            page.locator("input[name=line1]").fill("Hauptstraße 5")
            page.locator("input[name=postal_code]").fill("10115")
            page.locator("input[name=city]").fill("Berlin")
            page.locator("input[name=phone]").fill("+49 30 1234567")
            expect(page.locator("input[name=phone]")).to_have_attribute("type", "tel")
            page.get_by_role("button", name="Weiter zum Versand").click()

            # then the review shows the VAT line and each method's delivery estimate
            expect(page.locator(".tax-line").first).to_be_visible()
            expect(page.locator(".delivery-estimate").first).to_be_visible()
            page.screenshot(path=str(SCREENS / "checkout-review-germany.png"), full_page=True)
            csp()
            page.get_by_role("button", name="Bestellen und bezahlen").click()

            # when they pay with the dummy gateway
            expect(page.locator("h1")).to_have_text("Testzahlung")
            page.get_by_role("button", name="Bezahlen", exact=True).click()

            # then they land on the order page, in German, with the VAT they paid
            expect(page.locator("h1")).to_have_text("Vielen Dank für Ihre Bestellung!")
            order = Order.objects.get()
            expect(page.locator("main")).to_contain_text(order.number)
            expect(page.locator("main .tax-line").first).to_be_visible()
            expect(page.locator(".site-header [data-cart-count]")).to_be_hidden()
            csp()
        finally:
            browser.close()

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.currency == "EUR"
    assert (order.shipping_address.city, order.shipping_address.country.code) == (
        "Berlin",
        "DE",
    )
    assert order.tax_total > 0
    assert violations == []
