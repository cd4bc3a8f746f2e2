"""In headless Chromium, the shopper's pages run under the Content-Security-Policy without
a single violation: home, catalogue, product, cart, checkout, a trace page, the report
form, a packing slip's print button, and the workspace."""

import datetime

import pytest

from tests.factories import BatchFactory, OrderFactory, StaffFactory
from tests.shop.checkout_data import honey, shipping_zones
from tests.shop.test_browser_checkout import CHROMIUM_ARGS

# Runs in every page before its own scripts; Playwright injects it outside the page's CSP.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_without_a_csp_violation(live_server, chromium_path, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    jar = honey()
    batch = BatchFactory(
        variant=jar,
        lot_code="CSP1",
        best_before=datetime.date.today() + datetime.timedelta(days=300),
    )
    shipping_zones()
    staff = StaffFactory(cooperative=jar.product.cooperative)
    order = OrderFactory()
    violations: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(LISTEN)
            page.on(
                "console",
                lambda msg: (
                    violations.append(msg.text)
                    if "Content Security Policy" in msg.text or "Refused to" in msg.text
                    else None
                ),
            )

            def visit(path: str) -> None:
                page.goto(f"{live_server.url}{path}")
                page.wait_for_load_state("load")
                violations.extend(page.evaluate("window.__csp"))

            visit("/")
            visit("/products/?q=honey")
            visit(jar.product.get_absolute_url())
            page.get_by_role("button", name="Add to cart").click()
            expect(page.locator(".cart-line")).to_have_count(1)
            violations.extend(page.evaluate("window.__csp"))
            visit("/cart/")
            visit("/checkout/")
            visit(f"/01/{jar.gtin}/10/{batch.lot_code}")
            visit(f"/trace/report/?gtin={jar.gtin}&lot={batch.lot_code}")
            visit("/no-such-page/")
            visit(f"/orders/{order.token}/packing-slip/")
            visit("/account/login/")
            page.get_by_label("Email").fill(staff.email)
            page.get_by_label("Password").fill("pass-Word-123")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state("load")
            for path in ("/coop/", "/coop/batches/", "/coop/insight/", "/coop/labels/", "/admin/"):
                visit(path)
        finally:
            browser.close()

    assert violations == []
