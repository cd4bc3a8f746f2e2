"""Honey to Australia, in headless Chromium: the review page says why it cannot go and will
not place the order; the same cart to Germany goes on."""

import pytest

from shop.models import DestinationRule, Order
from tests.factories import BatchFactory
from tests.shop.checkout_data import honey, shipping_zones
from tests.shop.test_browser_checkout import CHROMIUM_ARGS, PHONE

REASON = "Honey and bee products may not be sent there by post."


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_honey_to_australia_is_refused_with_the_reason(live_server, chromium_path, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    jar = honey(product__hs_code="040900")
    BatchFactory(variant=jar, lot_code="HONEY1", quantity_received=5)
    DestinationRule.objects.create(country="AU", hs_prefix="0409", reason_en=REASON)
    shipping_zones()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PHONE)
            page.goto(f"{live_server.url}{jar.product.get_absolute_url()}")
            page.get_by_role("button", name="Add to cart").click()
            page.get_by_role("link", name="Go to checkout").click()
            page.get_by_label("Email").fill("sam@example.com.au")
            page.get_by_label("Your name").fill("Sam Lee")
            page.get_by_label("Country").select_option("AU")
            page.get_by_label("Recipient's full name").fill("Sam Lee")
            page.get_by_label("Address line 1").fill("1 George Street")
            page.get_by_label("City or town").fill("Sydney")
            page.get_by_label("State / province / region").fill("NSW")
            page.get_by_label("Postal code").fill("2000")
            page.get_by_role("button", name="Continue to shipping").click()

            refused = page.locator(".destination-refused[role=alert]")
            expect(refused).to_contain_text(
                f"Tây Bắc wildflower honey (250 g jar) cannot be sent to Australia. {REASON}"
            )
            expect(page.get_by_role("button", name="Place order and pay")).to_be_disabled()

            page.get_by_role("link", name="Change the address").click()
            page.get_by_label("Country").select_option("DE")
            page.get_by_label("City or town").fill("Berlin")
            page.get_by_label("State / province / region").fill("")
            page.get_by_label("Postal code").fill("10115")
            page.get_by_role("button", name="Continue to shipping").click()

            expect(page.locator(".destination-refused")).to_have_count(0)
            expect(page.get_by_role("button", name="Place order and pay")).to_be_enabled()
        finally:
            browser.close()
    assert Order.objects.count() == 0
