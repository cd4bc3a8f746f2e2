"""Issue 15's journey, in Japanese, in headless Chromium: a browser that asks for Japanese (and
so pays in yen) searches in Vietnamese without diacritics ("hop qua"), finds the Tết gift
box, browses its photo gallery, buys it to an address in Tokyo and pays with the dummy
gateway. Every price is whole yen; the order page writes the address as Japan's post does
(〒 postal code, prefecture, city, street). The Japanese words are being translated as this
is written, so the test holds to the page's structure, not to its wording."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from shop import photos
from shop.models import Order, OrderStatus
from tests.factories import BatchFactory, CurrencyRateFactory
from tests.shop.checkout_data import gift_set, honey, shipping_zones
from tests.shop.test_browser_checkout import CHROMIUM_ARGS, PHONE, SCREENS
from tests.shop.test_browser_germany import LISTEN

# 79.00 USD at 152.40 yen = 12,039.6 -> 12,040 (nearest 10 yen); the 2.2 kg box travels to
# Japan (rest of the world) in the 5 kg band, 50 USD -> 7,620; together 19,660.
BOX_YEN = "12,040"
TOTAL_YEN = "19,660"
YEN = "[¥￥]"
# A yen figure with decimals ("¥12,040.00") would be a bug: JPY has no minor unit.
YEN_WITH_DECIMALS = re.compile(rf"{YEN}\s?[\d,]+\.\d")


def jpeg(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_japanese_shopper_finds_a_gift_box_in_vietnamese_and_pays_in_yen(
    live_server, chromium_path, monkeypatch
):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # given the Tết gift box ("Hộp quà Tết") in stock with two photos, shipping to the rest
    # of the world and 1 USD = 152.40 JPY
    jar = honey()
    BatchFactory(
        variant=jar,
        lot_code="HONEY1",
        best_before=datetime.date.today() + datetime.timedelta(days=300),
    )
    box, _tea = gift_set(honey_variant=jar)
    for n, colour in enumerate(((180, 40, 40), (40, 160, 60)), start=1):
        photos.add_product_photo(
            product=box.product,
            image=SimpleUploadedFile(f"box{n}.jpg", jpeg(colour)),
            alt_en=f"Gift box photo {n}",
            alt_vi=f"Ảnh hộp quà {n}",
        )
    shipping_zones()
    CurrencyRateFactory(currency="JPY", rate="152.40")
    violations: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            # A phone set to Japanese in Tokyo: Accept-Language ja-JP, Tokyo's clock.
            context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport=PHONE)
            page = context.new_page()
            page.add_init_script(LISTEN)

            def csp() -> None:
                violations.extend(page.evaluate("window.__csp"))

            def no_yen_decimals() -> None:
                text = page.locator("main").inner_text()
                assert not YEN_WITH_DECIMALS.search(text), text

            # when the shopper searches the catalogue for "hop qua" (no diacritics)
            page.goto(f"{live_server.url}{reverse('shop:catalogue')}")
            expect(page.locator("html")).to_have_attribute("lang", "ja")
            page.locator(".search-row input[name=q]").fill("hop qua")
            page.locator(".search-row button[type=submit]").click()

            # then the gift box is found, priced in whole yen, and the filters stay closed
            card = page.locator("article.card", has_text="Tết gift box")
            expect(card).to_have_count(1)
            expect(card.locator(".price")).to_have_text(re.compile(rf"{YEN}\s?{BOX_YEN}"))
            expect(page.locator("details.filter-panel")).not_to_have_attribute("open", "")
            no_yen_decimals()
            csp()

            # when they open it and browse its gallery
            card.locator("a.card-link").click()
            main = page.locator(".gallery-photo")
            expect(main).to_have_attribute("alt", "Gift box photo 1")
            page.wait_for_function("document.querySelector('.gallery-photo').naturalWidth > 0")
            assert main.evaluate("img => img.currentSrc").endswith(".webp")
            page.locator(".gallery-thumbs a").nth(1).click()
            expect(main).to_have_attribute("alt", "Gift box photo 2")
            page.locator(".gallery-main").click()
            dialog = page.locator("dialog.gallery-dialog")
            expect(dialog).to_be_visible()
            page.keyboard.press("Escape")
            expect(dialog).to_be_hidden()
            expect(page.locator("main")).to_contain_text(re.compile(rf"{YEN}\s?{BOX_YEN}"))
            no_yen_decimals()
            csp()

            # when they put it in the cart
            page.locator("form.add-to-cart button[type=submit]").first.click()

            # then the cart holds it in yen
            expect(page.locator(".cart-line")).to_have_count(1)
            expect(page.locator(".cart-line")).to_contain_text(re.compile(rf"{YEN}\s?{BOX_YEN}"))
            no_yen_decimals()
            csp()

            # when they check out to an address in Tokyo, written in Japanese
            page.locator(f"a.button[href='{reverse('shop:checkout')}']").click()
            page.locator("input[name=email]").fill("haruka@example.jp")
            expect(page.locator("input[name=email]")).to_have_attribute("type", "email")
            page.locator("input[name=buyer_name]").fill("佐藤 遥")
            page.locator("select[name=country]").select_option("JP")
            page.locator("input[name=full_name]").fill("佐藤 遥")
            page.locator("input[name=line1]").fill("千代田1-1")
            page.locator("input[name=postal_code]").fill("100-0001")
            page.locator("input[name=city]").fill("千代田区")
            page.locator("input[name=region]").fill("東京都")
            page.locator("input[name=phone]").fill("+81 3-1234-5678")
            expect(page.locator("input[name=phone]")).to_have_attribute("type", "tel")
            expect(page.locator("input[name=postal_code]")).to_have_attribute(
                "autocomplete", "shipping postal-code"
            )
            page.locator("form.checkout-form button[type=submit]").click()

            # then the review totals the box and shipping in yen
            expect(page.locator("main")).to_contain_text(re.compile(rf"{YEN}\s?{TOTAL_YEN}"))
            expect(page.locator("main address")).to_contain_text("〒100-0001")
            no_yen_decimals()
            SCREENS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENS / "checkout-review-japan.png"), full_page=True)
            csp()
            page.locator("form.checkout-form button.button-wide[type=submit]").click()

            # when they pay with the dummy gateway
            page.locator("button[name=action][value=pay]").click()

            # then they land on the order page, in Japanese, with the total in yen and the
            # address as Japan's post writes it
            order = Order.objects.get()
            expect(page.locator("main")).to_contain_text(order.number)
            expect(page.locator("html")).to_have_attribute("lang", "ja")
            expect(page.locator("main")).to_contain_text(re.compile(rf"{YEN}\s?{TOTAL_YEN}"))
            address = page.locator("main address").inner_text().splitlines()
            assert address[:5] == ["〒100-0001", "東京都", "千代田区", "千代田1-1", "佐藤 遥"]
            no_yen_decimals()
            page.screenshot(path=str(SCREENS / "order-japan-phone.png"), full_page=True)
            csp()
        finally:
            browser.close()

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert (order.currency, order.total) == ("JPY", 19660)
    assert order.shipping_address.country.code == "JP"
    assert violations == []
