"""Headless Chromium opens a batch's Digital Link as a buyer abroad and one in Vietnam would."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import BatchFactory, VillageFactory
from tests.traceability.factories import add_events
from traceability.links import digital_link_path

SCREENS = Path("/tmp/team/screens")
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(chromium_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def traced_batch(transactional_db):
    # Bát Tràng, just south-east of Hanoi: the pin belongs in the north of the map.
    village = VillageFactory(
        name="Bát Tràng", latitude=Decimal("20.97500"), longitude=Decimal("105.91300")
    )
    batch = BatchFactory(village=village, variant__product__name_en="Bát Tràng glazed tea set",
                         variant__product__name_vi="Bộ ấm chén men Bát Tràng")  # fmt: skip
    add_events(batch, 5, start=timezone.now() - datetime.timedelta(days=20))
    return batch


def open_trace_page(browser, url: str, locale: str):
    context = browser.new_context(
        locale=locale, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    response = page.goto(url)
    assert response.status == 200
    return context, page


def assert_pin_in_the_north(page):
    pin = page.locator(".map-pin-primary")
    assert pin.is_visible()
    frame = page.locator(".map-frame img").bounding_box()
    where = pin.bounding_box()
    # The pin's tip is at the village; Hanoi lies in the top fifth of the map.
    tip_y = where["y"] + where["height"]
    assert frame["y"] < tip_y < frame["y"] + frame["height"] * 0.2
    assert frame["x"] < where["x"] < frame["x"] + frame["width"] * 0.4


@pytest.mark.browser
def test_buyer_abroad_reads_the_story_map_and_timeline_in_english(
    browser, live_server, traced_batch
):
    # Given a batch with five recorded stages
    url = live_server.url + digital_link_path(
        gtin=traced_batch.variant.gtin, lot=traced_batch.lot_code
    )

    # When a phone set to English opens its Digital Link
    context, page = open_trace_page(browser, url, "en-GB")

    # Then the page is in English, with the story, the pinned village and every stage
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Bát Tràng glazed tea set"
    assert page.get_by_text("Made by the Nguyễn family.").is_visible()
    assert page.locator(".timeline .stage").count() == 5
    assert page.locator(".timeline .stage h3").first.inner_text() == "Harvest"
    assert page.get_by_text("Record intact").is_visible()
    assert_pin_in_the_north(page)
    page.screenshot(path=str(SCREENS / "trace-en-phone.png"), full_page=True)
    context.close()


@pytest.mark.browser
def test_reader_in_vietnam_reads_the_same_page_in_vietnamese(browser, live_server, traced_batch):
    # Given the same batch
    url = live_server.url + digital_link_path(
        gtin=traced_batch.variant.gtin, lot=traced_batch.lot_code
    )

    # When a phone set to Vietnamese opens the link
    context, page = open_trace_page(browser, url, "vi-VN")

    # Then the page speaks Vietnamese: product name, story, stages and the seal
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == "Bộ ấm chén men Bát Tràng"
    assert page.get_by_text("Do gia đình họ Nguyễn làm.").is_visible()
    assert page.locator(".timeline .stage h3").first.inner_text() == "Thu hoạch"
    assert page.get_by_text("Thu hái lúc bình minh.").is_visible()
    assert page.get_by_text("Hồ sơ nguyên vẹn").is_visible()
    assert_pin_in_the_north(page)
    page.screenshot(path=str(SCREENS / "trace-vi-phone.png"), full_page=True)

    # And the switcher turns it into English on the same link
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith(
        digital_link_path(gtin=traced_batch.variant.gtin, lot=traced_batch.lot_code)
    )
    context.close()
