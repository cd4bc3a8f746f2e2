"""Headless Chromium opens the Digital Link of a batch recalled a moment ago, on a phone in
Vietnamese and in English, and sees the recall notice with its reason and date first."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from tests.traceability.factories import add_events
from tests.traceability.recall_data import REASON, buy, honey_batch, staff_of
from traceability import recalls
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


def open_on_a_phone(browser, url: str, locale: str):
    context = browser.new_context(
        locale=locale, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    response = page.goto(url)
    assert response.status == 200
    return context, page


@pytest.mark.browser
def test_a_recalled_batchs_digital_link_shows_the_notice(
    browser, live_server, transactional_db, settings
):
    # Given a batch with its story told, whose page a buyer has already opened once
    batch = honey_batch()
    add_events(batch, 3, start=timezone.now() - datetime.timedelta(days=10))
    buy((batch.variant, 2), email="anna@example.de")
    url = live_server.url + digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    context, page = open_on_a_phone(browser, url, "en-GB")
    assert page.locator(".recall-notice").count() == 0
    context.close()

    # When its cooperative recalls it (the transaction commits, as in the workspace)
    recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))

    # Then a phone in Vietnamese sees the notice at the top, with the reason and the date
    context, page = open_on_a_phone(browser, url, "vi-VN")
    notice = page.locator(".recall-notice")
    assert notice.is_visible()
    assert notice.locator("h2").inner_text() == "Lô hàng này đã bị thu hồi"
    assert notice.locator(".recall-reason").inner_text() == f"Lý do: {REASON}"
    assert notice.locator(".recall-when").inner_text().startswith("Thu hồi ngày ")
    assert notice.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    assert page.locator(".timeline .stage").count() == 4  # the recall joined the timeline
    page.screenshot(path=str(SCREENS / "trace-recalled-vi-phone.png"), full_page=True)
    context.close()

    # And a phone in English sees it in English, and the recall status says so too
    context, page = open_on_a_phone(browser, url, "en-GB")
    assert page.locator(".recall-notice h2").inner_text() == "This batch has been recalled"
    assert page.locator(".recall-notice .recall-reason").inner_text() == f"Reason: {REASON}"
    page.goto(url + "?linkType=gs1:recallStatus")
    assert page.locator(".recall-notice h2").inner_text() == "This batch has been recalled"
    assert page.locator(".recall-notice .recall-reason").inner_text() == f"Reason: {REASON}"
    context.close()
