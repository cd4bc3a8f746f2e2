"""Response headers: a strict Content-Security-Policy on every page, `private, no-store` on
pages with one person's data, and no template that needs inline script."""

import re
from pathlib import Path

import pytest

from shop.private_pages import is_private
from tests.factories import BatchFactory, OrderFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "frontend_templates"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(response) -> None:
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert "stripe" not in response["Content-Security-Policy"]


@pytest.fixture
def lot():
    return BatchFactory(lot_code="CSP1", quantity_received=5)


def test_main_pages_carry_a_strict_policy(client, lot):
    product = lot.variant.product
    gtin = lot.variant.gtin
    urls = [
        "/",
        "/products/",
        product.get_absolute_url(),
        f"/cooperatives/{product.cooperative.slug}/",
        "/cart/",
        "/account/login/",
        f"/01/{gtin}/10/CSP1",
        f"/trace/report/?gtin={gtin}&lot=CSP1",
        "/no-such-page/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_strict(response)


def test_workspace_and_admin_pages_carry_a_strict_policy(client):
    client.force_login(StaffFactory())

    for url in ("/coop/", "/coop/batches/", "/coop/insight/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


def test_no_page_template_needs_inline_script():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        if "emails" in path.parts:
            continue  # emails are not pages; mail clients ignore CSP
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag:
                found.append(f"{path.name}: {tag}")
        found += [f"{path.name}: {h}" for h in re.findall(r"\son[a-z]+\s*=", text)]
        found += [f"{path.name}: <style>" for _ in re.findall(r"<style\b", text)]
        found += [f"{path.name}: javascript:" for _ in re.findall(r"javascript:", text)]
    assert found == []


def _private(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_order_cart_checkout_and_account_pages_are_private_no_store(client):
    order = OrderFactory()
    for url in (f"/orders/{order.token}/", "/cart/", "/checkout/", "/account/login/"):
        response = client.get(url)
        assert response.status_code < 500, url
        assert _private(response), (url, response.get("Cache-Control"))
    client.force_login(UserFactory())
    response = client.get("/account/orders/")
    assert response.status_code == 200
    assert _private(response)


def test_workspace_pages_are_private_no_store(client):
    client.force_login(StaffFactory())

    for url in ("/coop/", "/coop/batches/", "/coop/orders/", "/coop/labels/", "/coop/insight/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _private(response), (url, response.get("Cache-Control"))


def test_public_pages_stay_cacheable(client, lot):
    for url in ("/", "/products/", f"/01/{lot.variant.gtin}/10/CSP1"):
        response = client.get(url)
        assert "no-store" not in response.get("Cache-Control", ""), url


def test_private_urls_are_known_by_name():
    from django.urls import resolve

    assert is_private(resolve("/orders/abc/")) and is_private(resolve("/coop/"))
    assert not is_private(resolve("/products/")) and not is_private(resolve("/"))


def test_stripe_page_alone_allows_stripe(client, settings):
    from shop.views.payments import STRIPE_CSP

    assert STRIPE_CSP["script-src"] == ["https://js.stripe.com"]
    response = client.get("/")
    assert "js.stripe.com" not in response["Content-Security-Policy"]


def test_static_files_are_served_with_debug_off(client, settings):
    assert settings.DEBUG is False

    response = client.get("/static/shop/site.css")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)


def test_the_stripe_page_adds_stripe_to_the_policy(rf, settings):
    from django.http import HttpResponse

    from shop.views.payments import _stripe_csp

    settings.STRIPE_API_BASE = ""
    response = _stripe_csp(lambda request: HttpResponse())(rf.get("/"))

    assert response._csp_update["script-src"] == ["https://js.stripe.com"]
    assert response._csp_update["connect-src"] == ["https://api.stripe.com"]
