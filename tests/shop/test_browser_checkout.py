"""A gift bought from abroad, in headless Chromium: a Tết box and a jar of honey to Germany,
with a card and wrapping, paid with the dummy gateway; the confirmation email names the
batches' harvest dates and villages."""

import datetime
import os
from pathlib import Path

import pytest
from django.core import mail

from shop.models import Order, OrderStatus
from tests.factories import BatchFactory, VillageFactory
from tests.shop.checkout_data import gift_set, honey, shipping_zones

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
MESSAGE = "Chúc mừng năm mới, Anna! Mit Liebe aus Hà Nội."


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_gift_set_and_honey_go_to_germany_with_a_card_and_wrapping(
    live_server, chromium_path, monkeypatch
):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # given a jar of honey from a village in Sơn La, a Tết box packed with it, and shipping
    village = VillageFactory(name="Bản Áng")
    jar = honey()
    BatchFactory(
        variant=jar,
        lot_code="HONEY1",
        village=village,
        harvest_date=datetime.date(2025, 4, 12),
        packing_date=datetime.date(2025, 4, 20),
        best_before=datetime.date.today() + datetime.timedelta(days=300),
    )
    box, _tea = gift_set(honey_variant=jar)
    shipping_zones()
    mail.outbox = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PHONE)
            # when the shopper puts the Tết box and a jar of honey in the cart
            page.goto(f"{live_server.url}{box.product.get_absolute_url()}")
            page.get_by_role("button", name="Add to cart").click()
            expect(page.locator(".cart-line")).to_have_count(1)
            page.goto(f"{live_server.url}{jar.product.get_absolute_url()}")
            page.get_by_role("button", name="Add to cart").click()
            # then the cart shows both, priced, and how long they are held
            expect(page.locator(".cart-line")).to_have_count(2)
            expect(page.locator(".subtotal")).to_contain_text("$89.90")
            expect(page.locator(".hold-note")).to_contain_text("We hold these items for you")
            SCREENS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENS / "cart-phone.png"), full_page=True)

            # when they check out to Germany with a gift message and wrapping
            page.get_by_role("link", name="Go to checkout").click()
            page.get_by_label("Email").fill("jane@example.com")
            page.get_by_label("Your name").fill("Jane Doe")
            page.get_by_label("Country").select_option("DE")
            page.get_by_label("Recipient's full name").fill("Anna Schmidt")
            page.get_by_label("Address line 1").fill("Hauptstraße 5")
            page.get_by_label("Postal code").fill("10115")
            page.get_by_label("City or town").fill("Berlin")
            page.get_by_label("This is a gift").check()
            page.get_by_label("Gift message for a printed card").fill(MESSAGE)
            page.get_by_label("Gift wrap").check()
            page.screenshot(path=str(SCREENS / "checkout-phone.png"), full_page=True)
            page.get_by_role("button", name="Continue to shipping").click()

            # then the review shows Europe's methods priced for a 2.58 kg parcel
            expect(page.locator(".shipping-options")).to_contain_text("Europe express")
            expect(page.locator(".gift-summary")).to_contain_text(
                "A gift for Anna Schmidt from Jane Doe"
            )
            expect(page.locator(".grand-total")).to_contain_text("$118.90")  # airmail
            express = page.locator(".option", has_text="Europe express")
            expect(express).to_contain_text("total $138.90")
            express.click()
            page.get_by_role("button", name="Update the total").click()
            expect(page.locator(".grand-total")).to_contain_text("$138.90")
            expect(page.get_by_label("Europe express")).to_be_checked()
            page.screenshot(path=str(SCREENS / "checkout-review-phone.png"), full_page=True)
            page.get_by_role("button", name="Place order and pay").click()

            # when they pay with the dummy gateway
            expect(page.locator("h1")).to_have_text("Test payment")
            page.get_by_role("button", name="Pay", exact=True).click()

            # then they see the confirmation, with the batches their order took
            expect(page.locator("h1")).to_have_text("Thank you for your order!")
            order = Order.objects.get()
            expect(page.locator("main")).to_contain_text(order.number)
            expect(page.locator(".order-lines")).to_contain_text("from lot HONEY1")
            page.screenshot(path=str(SCREENS / "confirmation-phone.png"), full_page=True)
        finally:
            browser.close()

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert (order.gift_message, order.gift_wrap) == (MESSAGE, True)
    assert order.shipping_address.country.code == "DE"
    # 79.00 + 10.90 + express for 2.58 kg (45.00) + wrap 4.00
    assert str(order.total) == "138.90"
    assert [m.to for m in mail.outbox] == [["jane@example.com"]]
    body = mail.outbox[0].body
    assert "HONEY1" in body
    assert "harvested Apr 12, 2025" in body or "April 12, 2025" in body
    assert "Bản Áng" in body
