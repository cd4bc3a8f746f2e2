"""SITE_URL follows the address the shop serves on: `manage.py demo ADDRESS` serves there and
puts it in SITE_URL; without SITE_URL, QR codes and linksets carry the address each request
came to; the shop's own pages use relative links; emails carry the configured origin; a
deployed shop must set SITE_URL."""

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from shop import orders
from shop.demo import data, loader
from shop.management.commands import demo
from tests.shop.test_settings import clean_env, run_python
from tests.traceability.factories import add_events
from tests.traceability.recall_data import buy, honey_batch
from traceability.links import digital_link_path

REPO = Path(__file__).resolve().parents[2]
LAN = "192.168.1.20:8080"


@pytest.fixture
def clean_environ(monkeypatch, settings):
    """The demo command writes SITE_URL into the environment and the settings: keep both
    to the test (pytest-django's settings fixture restores the settings)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SITE_URL")}
    monkeypatch.setattr(os, "environ", environ)
    settings.SITE_URL_FROM_REQUEST = True
    return environ


@pytest.fixture
def commands(monkeypatch) -> list[tuple]:
    """The commands `demo` runs, recorded instead of run (migrate, load_demo, runserver)."""
    calls = []
    monkeypatch.setattr(demo, "call_command", lambda *args, **kw: calls.append(args))
    return calls


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_serves_at_the_address_given_and_puts_it_in_site_url(
    clean_environ, commands, settings
):
    text = run_demo("127.0.0.1:8123")

    assert commands == [("migrate",), ("load_demo",), ("runserver", "127.0.0.1:8123")]
    assert clean_environ["SITE_URL"] == "http://127.0.0.1:8123"
    assert settings.SITE_URL == "http://127.0.0.1:8123"
    assert settings.SITE_URL_FROM_REQUEST is False
    assert "The shop: http://127.0.0.1:8123" in text


def test_demo_takes_the_address_as_an_option_and_a_bare_port(clean_environ, commands):
    run_demo("--addr", "localhost:9000")
    assert commands[-1] == ("runserver", "localhost:9000")
    assert clean_environ["SITE_URL"] == "http://localhost:9000"

    run_demo("9001")
    assert commands[-1] == ("runserver", "127.0.0.1:9001")


def test_demo_on_every_interface_lets_links_follow_each_request(clean_environ, commands, settings):
    text = run_demo("0.0.0.0:8080")

    assert commands[-1] == ("runserver", "0.0.0.0:8080")
    assert "SITE_URL" not in clean_environ
    assert clean_environ["SITE_URL_FALLBACK"] == "http://localhost:8080"
    assert settings.SITE_URL_FROM_REQUEST is True
    assert "The shop: http://localhost:8080" in text


def test_demo_keeps_a_site_url_set_by_hand(clean_environ, commands, settings):
    clean_environ["SITE_URL"] = "https://shop.example"
    settings.SITE_URL = "https://shop.example"

    run_demo("127.0.0.1:8123")

    assert clean_environ["SITE_URL"] == "https://shop.example"
    assert settings.SITE_URL == "https://shop.example"


def test_demo_refuses_an_address_runserver_would_not_take(clean_environ, commands):
    with pytest.raises(CommandError, match="is not an address and port"):
        run_demo("shop:http")
    assert commands == []


@pytest.mark.django_db
def test_without_site_url_qr_codes_and_linksets_carry_the_requests_address(client, settings):
    settings.SITE_URL_FROM_REQUEST = True
    settings.ALLOWED_HOSTS = ["192.168.1.20"]
    batch = honey_batch()
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    url = reverse(
        "traceability:qr", kwargs={"gtin": batch.variant.gtin, "lot": batch.lot_code, "kind": "svg"}
    )

    svg = client.get(url, HTTP_HOST=LAN).content.decode()
    linkset = client.get(path + "?linkType=linkset", HTTP_HOST=LAN)

    assert f'aria-label="http://{LAN}{path}"' in svg
    assert linkset.json()["linkset"][0]["anchor"] == f"http://{LAN}{path}"
    assert f"<http://{LAN}{path}?linkType=linkset>" in linkset["Link"]


@pytest.mark.django_db
def test_the_shops_own_pages_use_relative_links(client, settings):
    settings.SITE_URL = "https://shop.example"
    batch = honey_batch()
    add_events(batch, 2)
    order = buy((batch.variant, 1), email="anna@example.de")
    pages = [
        reverse("shop:home"),
        batch.variant.product.get_absolute_url(),
        digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code),
        reverse("shop:order", args=[order.token]),
        reverse("shop:packing_slip", args=[order.token]),
    ]

    for page in pages:
        html = client.get(page).content.decode()
        # Canonical and hreflang addresses are absolute by rule (shop.seo); links are not.
        links = re.sub(r'<link rel="(?:canonical|alternate)" [^>]*>', "", html)
        absolute = re.findall(r'(?:href|src|action)="(https?://[^"]*)"', links)
        assert [link for link in absolute if "shop.example" in link or "testserver" in link] == []
        assert "127.0.0.1:8000" not in html


@pytest.mark.django_db
def test_emails_carry_absolute_links_on_the_configured_site(
    settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://shop.example"
    batch = honey_batch()
    order = buy((batch.variant, 1), email="anna@example.de", paid=False)

    with django_capture_on_commit_callbacks(execute=True):
        orders.mark_paid(order_id=order.pk)

    [message] = mail.outbox
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    assert f"Trace this batch: https://shop.example{path}" in message.body


def test_unset_site_url_follows_requests_and_falls_back_to_the_demos_address(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SITE_URL, s.SITE_URL_FROM_REQUEST)"
    )
    env = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="shop.settings.base")

    unset = run_python(["-c", script], env)
    fallback = run_python(["-c", script], {**env, "SITE_URL_FALLBACK": "http://localhost:8080"})
    pinned = run_python(["-c", script], {**env, "SITE_URL": "https://shop.example/"})

    assert unset.stdout.split() == ["http://127.0.0.1:8000", "True"]
    assert fallback.stdout.split() == ["http://localhost:8080", "True"]
    assert pinned.stdout.split() == ["https://shop.example", "False"]


def test_a_deployed_shop_must_set_site_url(tmp_path):
    env = clean_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="shop.settings.production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="shop.example",
        OCOP_ALLOW_DUMMY_PAYMENTS="true",
        TRACE_SIGNING_KEY="A" * 43 + "=",
    )

    result = run_python(["manage.py", "check", "--deploy"], env)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "shop.E002" in result.stderr
    assert "SITE_URL is not set" in result.stderr


def demo_gtin(sku: str) -> str:
    """The GTIN-14 the demo loader gives the variant with this SKU."""
    [(product, variant)] = [(p, v) for p in data.PRODUCTS for v in p.variants if v.sku == sku]
    prefix = {c.slug: c.gs1_prefix for c in data.COOPERATIVES}[product.cooperative]
    return loader.gtin_13(prefix, variant.item).zfill(14)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_manage_py_demo_serves_qr_codes_with_its_own_address(tmp_path):
    # given the demo started as the README says, at an address of our choosing
    port = _free_port()
    env = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="shop.settings.base")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "demo", f"127.0.0.1:{port}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    gtin = demo_gtin("PQ-NM40-250")
    qr = f"{base}/trace/qr/{gtin}/PQ-NM40-250-01.svg"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, server.stdout.read()
            assert time.monotonic() < deadline, "the demo did not start"
            try:
                status, svg = _get(qr)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)

        # then its QR codes open the address it serves at
        assert status == 200
        assert f'aria-label="{base}/01/{gtin}/10/PQ-NM40-250-01"' in svg
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
