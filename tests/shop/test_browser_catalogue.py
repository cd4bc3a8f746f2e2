"""A shopper's journey in headless Chromium: catalogue, filter, Vietnamese, product, batch."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from shop.models import ProductGroup
from tests.factories import BatchFactory, ProductFactory, VariantFactory

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_shopper_filters_switches_to_vietnamese_and_sees_the_current_batch(
    live_server, chromium_path, monkeypatch
):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # given fish sauce with two batches, and a vase in another product group
    today = timezone.localdate()
    fish = ProductFactory(
        slug="nuoc-mam",
        name_en="Phu Quoc fish sauce",
        name_vi="Nước mắm Phú Quốc",
        group=ProductGroup.FOOD,
    )
    variant = VariantFactory(product=fish, name_en="500 ml bottle", name_vi="Chai 500 ml")
    BatchFactory(variant=variant, lot_code="PQ-LATE", best_before=today + datetime.timedelta(400))
    BatchFactory(
        variant=variant,
        lot_code="PQ-FIRST",
        harvest_date=datetime.date(2025, 7, 1),
        packing_date=datetime.date(2025, 7, 10),
        best_before=today + datetime.timedelta(100),
        quantity_received=4,
    )
    vase = ProductFactory(name_en="Bat Trang vase", group=ProductGroup.HANDICRAFTS)
    BatchFactory(variant__product=vase)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PHONE)
            # when the shopper opens the catalogue and filters it to food
            page.goto(f"{live_server.url}/products/")
            expect(page.locator(".card")).to_have_count(2)
            page.locator(".filter-panel summary").click()
            page.select_option("#id_group", "food")
            page.get_by_role("button", name="Show products").click()
            # then only the fish sauce is listed
            expect(page.locator(".card")).to_have_count(1)
            expect(page.locator(".card-title")).to_have_text("Phu Quoc fish sauce")
            # when they switch to Vietnamese, the filtered list comes back in Vietnamese
            page.get_by_role("link", name="Tiếng Việt").click()
            expect(page.locator("html")).to_have_attribute("lang", "vi")
            expect(page.locator(".card-title")).to_have_text("Nước mắm Phú Quốc")
            assert "group=food" in page.url
            # when they open the product
            page.locator(".card-link").click()
            # then they see the batch they would receive now, and how few are left
            expect(page.locator("h1")).to_have_text("Nước mắm Phú Quốc")
            current = page.locator(".current-batch")
            expect(current.locator(".lot")).to_have_text("PQ-FIRST")
            expect(current).to_contain_text("1 tháng 7, 2025")
            expect(current).to_contain_text("Chỉ còn 4 sản phẩm trong lô này")
            screens = os.environ.get("OCOP_SCREENSHOT_DIR")
            if screens:
                Path(screens).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{screens}/product-phone.png", full_page=True)
        finally:
            browser.close()
