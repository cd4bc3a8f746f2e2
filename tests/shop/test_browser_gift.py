"""Issue 16's journey, in headless Chromium: a buyer whose browser speaks German orders a Tết
gift box for a receiver in Japan, with a message, the card to be read in Japanese, and pays
with the dummy gateway. The cooperative's packing documents hold the gift card (its PDF
read back with pypdf holds the message). The gift page, opened at the address the card's QR
code holds, in a Japanese browser: `lang="ja"`, every component's story and village, the
village invitation; the receiver sends a thank-you that reaches the buyer's mailbox; a
recall of one component shows first. Japanese words are being translated in parallel, so
the Japanese side asserts structure, not wording."""

import datetime
import io

import pypdf
import pytest
from django.core import mail
from django.test import Client

from shop.models import Order, OrderStatus
from shop.models.gifts import CooperativeVisit, Gift
from tests.factories import BatchFactory, CooperativeFactory, StaffFactory, VillageFactory
from tests.shop.checkout_data import gift_set, honey, shipping_zones
from tests.shop.gift_data import deliver
from tests.shop.test_browser_checkout import CHROMIUM_ARGS, PHONE, SCREENS
from tests.shop.test_browser_germany import LISTEN
from traceability import recalls

MESSAGE = "Alles Gute zum Geburtstag, Yuki! お誕生日おめでとう。"
SIGNATURE = "Greta"


def _the_box():
    """The Tết box: honey of a cooperative in Lào Cai, tea of one in Thái Nguyên; each with
    its story, and the tea cooperative inviting visitors to its village."""
    honey_coop = CooperativeFactory(
        name="HTX Mật ong Bắc Hà", village=VillageFactory(name="Bản Phố", latitude=22.54)
    )
    tea_coop = CooperativeFactory(
        name="HTX Chè Tân Cương",
        village=VillageFactory(name="Tân Cương", latitude=21.56, longitude=105.77),
    )
    jar = honey(
        product__cooperative=honey_coop,
        product__story_en="Bees of the Bắc Hà plateau, kept by the Giàng family.",
        product__care_notes_en="Keep below 25 °C; it may crystallise, which is natural.",
    )
    BatchFactory(
        variant=jar,
        lot_code="HONEY1",
        village=honey_coop.village,
        best_before=datetime.date.today() + datetime.timedelta(days=300),
    )
    box, tea = gift_set(honey_variant=jar)
    tea.product.cooperative = tea_coop
    tea.product.story_en = "Tea picked at dawn on the hills of Tân Cương."
    tea.product.save()
    tea.batches.update(village=tea_coop.village)
    CooperativeVisit.objects.create(
        cooperative=tea_coop,
        published=True,
        activities_en="Pick and roast tea with the Nguyễn family; stay in a homestay.",
        activities_vi="Hái và sao chè cùng gia đình họ Nguyễn; nghỉ tại nhà dân.",
        best_months=[3, 4, 9],
        nearest_city_en="Thái Nguyên",
        getting_there_en="Forty minutes by bus from Thái Nguyên city.",
        travel_minutes=40,
    )
    return box, tea


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_gift_from_germany_opens_in_japanese_and_thanks_the_giver(
    live_server, chromium_path, monkeypatch
):
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    box, tea = _the_box()
    shipping_zones()
    SCREENS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            # A buyer in Germany: German browser, Berlin's clock.
            buyer = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin", viewport=PHONE)
            page = buyer.new_page()
            page.goto(f"{live_server.url}{box.product.get_absolute_url()}")
            expect(page.locator("html")).to_have_attribute("lang", "de")
            page.get_by_role("button", name="In den Warenkorb").click()
            expect(page.locator(".cart-line")).to_have_count(1)

            # when they check out a gift to Yuki in Japan, the card to be read in Japanese
            page.goto(f"{live_server.url}/checkout/")
            page.locator("input[name=email]").fill("greta@example.de")
            page.locator("input[name=buyer_name]").fill("Greta Müller")
            page.locator("select[name=country]").select_option("JP")
            page.locator("input[name=full_name]").fill("Yuki Tanaka")
            page.locator("input[name=line1]").fill("1-2-3 Shibuya")
            page.locator("input[name=postal_code]").fill("150-0002")
            page.locator("input[name=city]").fill("Shibuya-ku")
            region = page.locator("[name=region]")
            if region.evaluate("e => e.tagName") == "SELECT":
                region.select_option(index=13)
            else:
                region.fill("Tokyo")
            page.locator("input[name=is_gift]").check()
            page.locator("textarea[name=gift_message]").fill(MESSAGE)
            page.locator("input[name=gift_signature]").fill(SIGNATURE)
            # The receiver's language starts at the buyer's own.
            expect(page.locator("select[name=gift_language]")).to_have_value("de")
            page.locator("select[name=gift_language]").select_option("ja")
            page.get_by_role("button", name="Weiter zum Versand").click()
            # the review repeats the card: message, signature, the receiver's language
            expect(page.locator(".gift-summary")).to_contain_text("Alles Gute zum Geburtstag")
            expect(page.locator(".gift-summary")).to_contain_text(SIGNATURE)
            expect(page.locator(".gift-summary")).to_contain_text("日本語")
            page.get_by_role("button", name="Bestellen und bezahlen").click()
            expect(page.locator("h1")).to_have_text("Testzahlung")
            page.get_by_role("button", name="Bezahlen", exact=True).click()
            expect(page.locator("h1")).to_have_text("Vielen Dank für Ihre Bestellung!")
            # The giver's order page shows the gift page's link and can switch it off.
            expect(page.locator("#gift form")).to_have_count(2)

            order = Order.objects.get()
            gift = Gift.objects.get(order=order)
            assert (gift.language, gift.signature, gift.message) == ("ja", SIGNATURE, MESSAGE)

            # then the tea cooperative's packing documents hold the card with the message
            staff = StaffFactory(cooperative=box.product.cooperative)
            packer = Client()
            packer.force_login(staff)
            coop = browser.new_context(locale="vi-VN", viewport=PHONE)
            coop.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": packer.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
            slip = coop.new_page()
            slip.goto(f"{live_server.url}/coop/orders/{order.number}/slip/")
            card_link = slip.locator(f"a[href$='/coop/orders/{order.number}/gift-card.pdf']")
            expect(card_link).to_have_count(1)
            pdf = coop.request.get(f"{live_server.url}{card_link.get_attribute('href')}")
            assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
            text = "".join(
                page_.extract_text() for page_ in pypdf.PdfReader(io.BytesIO(pdf.body())).pages
            )
            flat = "".join(text.split())
            assert "".join(MESSAGE.split()) in flat
            assert SIGNATURE in text
            assert order.number not in text

            # the parcel travels and arrives
            deliver(order)

            # when the receiver scans the card (the address the QR holds) in a Japanese browser
            receiver = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport=PHONE)
            gift_page = receiver.new_page()
            gift_page.add_init_script(LISTEN)
            response = gift_page.goto(f"{live_server.url}/gift/{gift.token}/")
            assert response.status == 200
            assert response.headers["x-robots-tag"].startswith("noindex")
            assert response.headers["referrer-policy"] == "no-referrer"

            # then it reads in Japanese, with every component's story and village
            expect(gift_page.locator("html")).to_have_attribute("lang", "ja")
            main = gift_page.locator("main")
            expect(main.locator(".gift-message")).to_contain_text("お誕生日おめでとう")
            expect(main.locator(".gift-signature")).to_contain_text(SIGNATURE)
            expect(main.locator(".gift-item")).to_have_count(2)
            expect(main).to_contain_text("Bees of the Bắc Hà plateau")
            expect(main).to_contain_text("Tea picked at dawn on the hills of Tân Cương.")
            expect(main).to_contain_text("Keep below 25 °C")
            expect(main.locator(".gift-origin").first).to_contain_text("Bản Phố")
            expect(main.locator(".gift-origin").nth(1)).to_contain_text("Tân Cương")
            expect(main.locator(".map-pin")).to_have_count(2)
            expect(main.locator("a[href^='/01/']")).to_have_count(3)  # box + 2 components
            expect(gift_page.locator("main")).not_to_contain_text(order.number)
            expect(gift_page.locator("main")).not_to_contain_text("Müller")
            expect(main.locator(".visit")).to_have_count(1)
            expect(main.locator(".visit")).to_contain_text("Tân Cương")
            expect(main.locator(".visit")).to_contain_text("Pick and roast tea with the Nguyễn")
            gift_page.screenshot(path=str(SCREENS / "gift-page-ja-phone.png"), full_page=True)

            # when the receiver sends a thank-you, it reaches the giver's mailbox
            mail.outbox.clear()
            form = main.locator("form").filter(has=gift_page.locator("textarea"))
            form.locator("textarea").first.fill("ありがとう、Greta! Der Tee ist wunderbar.")
            form.locator("button[type=submit]").click()
            # the page comes back saying it was sent, without showing its words to anyone
            expect(gift_page.locator("main .gift-thanked")).to_be_visible()
            expect(gift_page.locator("main")).not_to_contain_text("Der Tee ist wunderbar.")
            to_giver = [m for m in mail.outbox if "greta@example.de" in m.to]
            assert len(to_giver) == 1
            body = to_giver[0].body + "".join(
                str(part[0]) for part in getattr(to_giver[0], "alternatives", [])
            )
            assert "Der Tee ist wunderbar." in body

            # when a component of the box is recalled
            tea_lot = tea.batches.get()
            recalls.recall_batch(
                batch=tea_lot,
                reason="Packaging seal may leak / Bao bì có thể hở",
                actor=StaffFactory(cooperative=tea_lot.variant.product.cooperative),
            )

            # then the gift page says so first, in an alert naming the lot and the reason
            gift_page.goto(f"{live_server.url}/gift/{gift.token}/")
            first = gift_page.locator("main > *").first
            expect(first).to_have_attribute("role", "alert")
            expect(first).to_contain_text(tea_lot.lot_code)
            expect(first).to_contain_text("Packaging seal may leak")
            gift_page.screenshot(path=str(SCREENS / "gift-page-recall-ja.png"), full_page=True)
            # The page keeps to the shop's content security policy (no inline script or style
            # sheet; the map's pins are placed by style attributes, as on the trace page).
            assert gift_page.evaluate("window.__csp") == []
        finally:
            browser.close()

    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert order.shipping_address.country.code == "JP"
