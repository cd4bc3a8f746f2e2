"""Headless Chromium on a phone-sized window: a cooperative's staff member signs in,
receives a batch, prints its labels, adds a harvest photo, and the batch is then on sale in
the shop with that photo on its trace page."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from shop.models import Batch
from tests.factories import (
    CooperativeFactory,
    ProductFactory,
    StaffFactory,
    VariantFactory,
    VillageFactory,
)
from traceability.links import digital_link_path
from traceability.models import TraceEvent

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
def honey_cooperative(transactional_db):
    village = VillageFactory(
        name="Bản Phố", latitude=Decimal("22.54000"), longitude=Decimal("104.29000")
    )
    coop = CooperativeFactory(name="HTX Mật ong Bắc Hà", village=village)
    product = ProductFactory(
        cooperative=coop,
        slug="mat-ong-bac-ha",
        name_vi="Mật ong hoa bạc hà",
        name_en="Bac Ha mint-flower honey",
    )
    VariantFactory(product=product, sku="MO-250", name_vi="Hũ 250 g", name_en="250 g jar")
    staff = StaffFactory(cooperative=coop, email="mai@bacha.example", first_name="Mai")
    return coop, product, staff


def harvest_photo(path: Path) -> Path:
    image = Image.new("RGB", (320, 240), (214, 160, 40))
    for x in range(0, 320, 20):
        for y in range(0, 240, 20):
            image.putpixel((x, y), (60, 110, 50))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.browser
def test_staff_receive_label_and_photograph_a_batch_that_then_sells_with_its_story(
    browser, live_server, honey_cooperative, tmp_path
):
    coop, product, staff = honey_cooperative
    SCREENS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        locale="vi-VN",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        accept_downloads=True,
    )
    page = context.new_page()
    best_before = timezone.localdate() + datetime.timedelta(days=540)

    # Sign in: the workspace sends a signed-out visitor to the shop's sign-in page.
    page.goto(f"{live_server.url}/coop/")
    assert "/account/login/" in page.url
    page.fill("input[name=username]", staff.email)
    page.fill("input[name=password]", "pass-Word-123")
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/coop/")
    assert page.locator("h1").inner_text() == "HTX Mật ong Bắc Hà"
    page.screenshot(path=str(SCREENS / "coop-dashboard-phone.png"), full_page=True)

    # Receive a batch in the short form; the lot code is left for the workspace to suggest.
    page.click("text=Nhập lô mới")
    page.wait_for_url("**/coop/batches/receive/")
    page.screenshot(path=str(SCREENS / "coop-receive-phone.png"), full_page=True)
    page.fill("input[name=quantity]", "60")
    page.fill("input[name=best_before]", best_before.isoformat())
    page.click("button[type=submit]")
    page.wait_for_url("**/coop/batches/*/")
    batch = Batch.objects.get()
    expected_lot = f"MOHBH-{timezone.localdate():%y%m%d}"
    assert (batch.lot_code, batch.on_hand, batch.village.name) == (expected_lot, 60, "Bản Phố")
    assert expected_lot in page.locator("h1").inner_text()
    page.screenshot(path=str(SCREENS / "coop-batch-phone.png"), full_page=True)

    # Print its labels: one per jar, 24 to an A4 sheet, as a PDF.
    page.click("text=In tem")
    page.wait_for_url("**/coop/labels/?batch=*")
    assert page.input_value(f"input[name=count_{batch.pk}]") == "60"
    with page.expect_download() as download:
        page.click("button[type=submit]")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert download.value.suggested_filename.startswith("ocop-labels-")

    # Add a harvest photo taken with the phone's camera.
    page.goto(f"{live_server.url}/coop/batches/{batch.pk}/")
    page.click("text=Thêm ảnh hoặc bước")
    page.wait_for_url("**/events/add/")
    assert page.get_attribute("input[name=photo]", "capture") == "environment"
    page.set_input_files("input[name=photo]", str(harvest_photo(tmp_path / "bac-ha.jpg")))
    page.fill("textarea[name=notes]", "Quay mật ong hoa bạc hà vụ xuân.")
    page.screenshot(path=str(SCREENS / "coop-event-phone.png"), full_page=True)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/coop/batches/{batch.pk}/")
    # (the receipt opened the record with the harvest in the village: stage 1)
    event = TraceEvent.objects.get(batch=batch, sequence=2)
    assert (event.kind, event.notes_vi, event.actor) == (
        "harvest",
        "Quay mật ong hoa bạc hà vụ xuân.",
        "Mai",
    )

    # The batch is on sale in the shop ...
    page.goto(f"{live_server.url}{product.get_absolute_url()}")
    assert expected_lot in page.locator(".current-batch").inner_text()

    # ... and its trace page tells the harvest with the photo.
    trace = page.goto(
        live_server.url + digital_link_path(gtin=batch.variant.gtin, lot=expected_lot)
    )
    assert trace.status == 200
    assert "Quay mật ong hoa bạc hà vụ xuân." in page.content()
    photo = page.locator("img.stage-photo")
    photo.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    assert photo.evaluate("img => img.naturalWidth") == 320
    page.screenshot(path=str(SCREENS / "coop-trace-after-photo-phone.png"), full_page=True)
    context.close()
