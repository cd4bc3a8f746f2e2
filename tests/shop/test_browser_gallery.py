"""A shopper browses a product's photo gallery in headless Chromium: WebP thumbnails load,
a thumbnail becomes the main picture, the zoom dialog moves by keyboard, buttons and
swipes and closes with Escape, and the strict CSP reports nothing."""

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shop import photos
from tests.factories import BatchFactory, ProductFactory, VariantFactory
from tests.shop.test_browser_catalogue import CHROMIUM_ARGS, PHONE

COLOURS = ((180, 40, 40), (40, 160, 60), (40, 60, 180))


def jpeg(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), colour).save(out, "JPEG")
    return out.getvalue()


def swipe(locator, *, start: int, end: int) -> None:
    for kind, x in (("touchstart", start), ("touchend", end)):
        touch = {"identifier": 0, "clientX": x, "clientY": 300}
        locator.dispatch_event(kind, {"touches": [touch], "changedTouches": [touch]})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_shopper_browses_the_photo_gallery_and_zooms_in(live_server, chromium_path, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # given fish sauce with three photos
    product = ProductFactory(slug="nuoc-mam-anh", name_en="Phu Quoc fish sauce")
    BatchFactory(variant=VariantFactory(product=product))
    gallery = [
        photos.add_product_photo(
            product=product,
            image=SimpleUploadedFile(f"{n}.jpg", jpeg(colour)),
            alt_en=f"Bottle photo {n}",
            alt_vi=f"Ảnh chai {n}",
        )
        for n, colour in enumerate(COLOURS, start=1)
    ]
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PHONE, has_touch=True)
            # A failed load is reported by the response below (the favicon is not ours).
            page.on(
                "console",
                lambda m: (
                    problems.append(m.text)
                    if m.type == "error" and not m.text.startswith("Failed to load resource")
                    else None
                ),
            )
            page.on(
                "response",
                lambda r: (
                    problems.append(f"{r.status} {r.url}")
                    if r.status >= 400 and not r.url.endswith("/favicon.ico")
                    else None
                ),
            )
            page.on("pageerror", lambda error: problems.append(str(error)))
            # when the shopper opens the product
            page.goto(f"{live_server.url}/products/{product.slug}/")
            main = page.locator(".gallery-photo")
            expect(main).to_have_attribute("alt", "Bottle photo 1")
            # then the main picture is a WebP thumbnail that loaded
            page.wait_for_function("document.querySelector('.gallery-photo').naturalWidth > 0")
            assert main.evaluate("img => img.currentSrc").endswith(".webp")
            # when they pick the second thumbnail
            page.get_by_role("link", name="Photo 2 of 3: Bottle photo 2").click()
            # then it becomes the main picture
            expect(main).to_have_attribute("alt", "Bottle photo 2")
            expect(main).to_have_attribute(
                "src", f"/media/thumbs/{gallery[1].image.name}.640w.webp"
            )
            # when they zoom in
            page.locator(".gallery-main").click()
            dialog = page.locator("dialog.gallery-dialog")
            expect(dialog).to_be_visible()
            large = dialog.locator(".gallery-large")
            expect(large).to_have_attribute(
                "src", f"/media/thumbs/{gallery[1].image.name}.1280w.webp"
            )
            page.wait_for_function("document.querySelector('.gallery-large').naturalWidth === 1280")
            # and move on with the keyboard
            page.keyboard.press("ArrowRight")
            expect(dialog.locator("figcaption")).to_have_text("Bottle photo 3")
            page.keyboard.press("ArrowRight")
            expect(dialog.locator("figcaption")).to_have_text("Bottle photo 1")
            page.get_by_role("button", name="Previous photo").click()
            expect(dialog.locator("figcaption")).to_have_text("Bottle photo 3")
            # and a swipe to the left shows the next photo
            swipe(dialog, start=300, end=100)
            expect(dialog.locator("figcaption")).to_have_text("Bottle photo 1")
            swipe(dialog, start=100, end=300)
            expect(dialog.locator("figcaption")).to_have_text("Bottle photo 3")
            screens = os.environ.get("OCOP_SCREENSHOT_DIR")
            if screens:
                Path(screens).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{screens}/gallery-zoom-phone.png")
            # then Escape closes the dialog and the main picture shows where they stopped
            page.keyboard.press("Escape")
            expect(dialog).to_be_hidden()
            expect(main).to_have_attribute("alt", "Bottle photo 3")
            assert page.evaluate("document.activeElement.className") == "gallery-main"
            if screens:
                page.screenshot(path=f"{screens}/gallery-phone.png", full_page=True)
        finally:
            browser.close()
    assert problems == []
