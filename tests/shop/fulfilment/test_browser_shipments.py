"""Headless Chromium: one paid order holding a Tết gift box (a box lot assembled by
cooperative A) and a bottle of fish sauce of cooperative B. Each cooperative signs in, sees
only its own part, packs and ships it with its own tracking number; the buyer receives two
shipped emails, each with its own tracking link, and the order page shows both parcels on
their way."""

import pytest
from django.core import mail
from django.urls import reverse

from shop.models import OrderStatus
from tests.factories import StaffFactory
from tests.shop.fulfilment.shipment_data import assert_ledger_agrees, paid_order, two_cooperatives
from tests.shop.workspace.test_browser_journey import CHROMIUM_ARGS, PHONE

TRACKING = {
    "a": ("VNPost", "EE100200300VN", "https://vnpost.example/track/EE100200300VN"),
    "b": ("Viettel Post", "VTP998877", "https://viettelpost.example/track/VTP998877"),
}


@pytest.fixture
def browser(chromium_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def pack_and_ship(browser, live_server, staff, order, carrier, number, url, *, sees, never):
    context = browser.new_context(locale="en-US", viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/coop/orders/")
    page.fill("input[name=username]", staff.email)
    page.fill("input[name=password]", "pass-Word-123")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/coop/orders/")
    page.click(f"a.tile[href$='/coop/orders/{order.number}/']")
    page.wait_for_url(f"**/coop/orders/{order.number}/")
    text = page.locator("main").inner_text()
    assert sees in text
    assert never not in text
    page.click(f"form[action$='/{order.number}/packed/'] button[type=submit]")
    page.wait_for_url(f"**/coop/orders/{order.number}/")
    page.fill("input[name=carrier]", carrier)
    page.fill("input[name=tracking_number]", number)
    page.fill("input[name=tracking_url]", url)
    page.click(f"form[action$='/{order.number}/shipped/'] button[type=submit]")
    page.wait_for_url(f"**/coop/orders/{order.number}/")
    assert page.locator(f"a[href='{url}']").inner_text() == number
    context.close()


@pytest.mark.browser
def test_two_cooperatives_each_ship_their_part_and_the_buyer_gets_two_tracking_links(
    browser, live_server, transactional_db
):
    (coop_a, box, _box_lot), (coop_b, sauce, _sauce_lot) = two_cooperatives()
    lan = StaffFactory(cooperative=coop_a, email="lan@quatet.example")
    minh = StaffFactory(cooperative=coop_b, email="minh@phuquoc.example")
    order = paid_order((box, 1), (sauce, 2))
    assert order.status == OrderStatus.PAID
    mail.outbox = []

    # the workspace reads in Vietnamese: the catalogue's Vietnamese names (issue 15)
    pack_and_ship(
        browser, live_server, lan, order, *TRACKING["a"], sees="Hộp quà Tết", never="Nước mắm"
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTLY_SHIPPED
    pack_and_ship(
        browser, live_server, minh, order, *TRACKING["b"], sees="Nước mắm Phú Quốc", never="Hộp quà"
    )

    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    shipped = [m for m in mail.outbox if "on its way" in m.subject]
    assert [m.to for m in shipped] == [[order.email], [order.email]]
    first, second = (m.body for m in shipped)
    assert TRACKING["a"][2] in first and TRACKING["b"][2] not in first
    assert "Tết gift box" in first and "fish sauce" not in first
    assert TRACKING["b"][2] in second and TRACKING["a"][2] not in second
    assert "fish sauce" in second and "Tết gift box" not in second

    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('shop:order', args=[order.token])}")
    parcels = page.locator(".parcel")
    assert parcels.count() == 2
    for index in range(2):
        assert "Shipped" in parcels.nth(index).inner_text()
    links = sorted(page.locator("a.tracking-link").evaluate_all("els => els.map(e => e.href)"))
    assert links == sorted([TRACKING["a"][2], TRACKING["b"][2]])
    context.close()
    assert_ledger_agrees()
