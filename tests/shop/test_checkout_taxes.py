"""Destination taxes through checkout: totals, the order and its lines, the pages, the
confirmation email, the packing slip and the amount the payment asks for."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from shop import checkout, destinations, notifications
from shop.demo.taxes import load_taxes
from shop.models import Cart, DutyRate, Order, TaxCategory, TaxMode
from shop.payments.dummy import DummyGateway
from tests.factories import BatchFactory, VariantFactory
from tests.shop.checkout_data import GERMANY, cart_with, honey, shipping_zones

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates():
    load_taxes()


@pytest.fixture
def goods():
    """A jar of honey (food, 9.90 EUR) and a bowl (standard, 24.00 EUR), in stock."""
    jar = honey(product__hs_code="040900")
    bowl = VariantFactory(
        product__name_en="Bát Tràng bowl",
        product__tax_category=TaxCategory.STANDARD,
        product__hs_code="691200",
        name_en="Blue bowl",
        price_usd=Decimal("26.00"),
        price_eur=Decimal("24.00"),
        weight_grams=400,
    )
    for variant in (jar, bowl):
        BatchFactory(variant=variant, quantity_received=20)
    return jar, bowl


def order_to(country: str, items, *, currency="EUR", duties_paid=False, **details):
    methods = shipping_zones()
    cart = cart_with(*items, currency=currency)
    fields = {**GERMANY.__dict__, "country": country, "is_gift": False, **details}
    checkout.save_details(cart=cart, details=checkout.CheckoutDetails(**fields))
    zone = "Europe" if country in ("DE", "FR", "NL") else "Rest of the world"
    return checkout.place_order(
        cart=cart,
        shipping_method_id=methods[zone][0].pk,
        currency=currency,
        language="en",
        duties_paid=duties_paid,
    )


def test_a_german_order_stores_vat_per_line_and_charges_it_in_the_total(rates, goods):
    jar, bowl = goods

    order = order_to("DE", [(jar, 3), (bowl, 1)])

    lines = {line.variant_id: line for line in order.lines.all()}
    assert (lines[jar.pk].tax_rate, lines[jar.pk].tax_amount) == (Decimal("7.00"), Decimal("2.08"))
    assert (lines[bowl.pk].tax_rate, lines[bowl.pk].tax_amount) == (
        Decimal("19.00"),
        Decimal("4.56"),
    )
    saved = Order.objects.get(pk=order.pk)
    assert saved.tax_mode == TaxMode.COLLECTED
    assert (saved.subtotal, saved.shipping_total, saved.tax_total) == (
        Decimal("53.70"),
        Decimal("22.50"),
        Decimal("6.64"),
    )
    assert saved.duties_total == Decimal("0.00")
    assert saved.total == Decimal("82.84")  # 53.70 + 22.50 (1.54 kg) + 6.64


def test_a_german_order_over_150_euros_charges_no_vat(rates, goods):
    jar, bowl = goods

    order = Order.objects.get(pk=order_to("DE", [(jar, 1), (bowl, 6)]).pk)

    assert (order.tax_mode, order.tax_total, order.duties_total) == (TaxMode.DAP, 0, 0)
    assert order.total == Decimal("153.90") + Decimal("22.50")  # 9.90 + 144.00, 5 kg band
    assert [line.tax_amount for line in order.lines.all()] == [0, 0]


def test_an_order_to_a_country_without_rates_is_untaxed(goods):
    jar, _bowl = goods

    order = Order.objects.get(pk=order_to("DE", [(jar, 2)]).pk)

    assert (order.tax_mode, order.tax_total, order.total) == (TaxMode.NONE, 0, Decimal("30.80"))


def test_us_orders_are_dap_unless_the_shopper_pays_duties_now(rates, goods):
    jar, bowl = goods
    us = {"region": "NY", "postal_code": "10001", "city": "New York"}

    dap = Order.objects.get(pk=order_to("US", [(jar, 1)], currency="USD", **us).pk)
    ddp = Order.objects.get(
        pk=order_to("US", [(jar, 1), (bowl, 1)], currency="USD", duties_paid=True, **us).pk
    )

    assert (dap.tax_mode, dap.duties_total, dap.total) == (TaxMode.DAP, 0, Decimal("34.90"))
    # honey 10.90 x 21% = 2.29, bowl 26.00 x 29.8% = 7.75; no US VAT
    assert (ddp.tax_mode, ddp.tax_total, ddp.duties_total) == (
        TaxMode.DDP,
        Decimal("0.00"),
        Decimal("10.04"),
    )
    assert ddp.total == Decimal("36.90") + Decimal("24.00") + Decimal("10.04")


def test_paying_duties_is_refused_quietly_where_no_full_duty_table_exists(rates, goods):
    jar, _bowl = goods
    DutyRate.objects.filter(hs_prefix="0409").delete()
    us = {"region": "NY", "postal_code": "10001", "city": "New York"}

    order = order_to("US", [(jar, 1)], currency="USD", duties_paid=True, **us)

    assert (order.tax_mode, order.duties_total) == (TaxMode.DAP, 0)


def test_the_dummy_payment_asks_for_the_total_with_vat(rates, goods):
    jar, bowl = goods
    order = order_to("DE", [(jar, 3), (bowl, 1)])

    started = DummyGateway().start_payment(order=order)

    assert (started.payment.amount, started.payment.currency) == (Decimal("82.84"), "EUR")


def in_euros(client):
    client.cookies[settings.CURRENCY_COOKIE_NAME] = "EUR"


def test_the_cart_shows_prices_with_german_vat_and_the_note(client, rates, goods):
    jar, bowl = goods
    in_euros(client)
    client.post(reverse("shop:cart_add"), {"variant": jar.pk, "quantity": 3})
    client.post(reverse("shop:cart_add"), {"variant": bowl.pk, "quantity": 1})
    before = client.get(reverse("shop:cart")).content.decode()

    destinations.set_destination(cart=Cart.objects.get(), country="DE")
    page = client.get(reverse("shop:cart")).content.decode()

    assert "tax-line" not in before and "duties-note" not in before
    assert '<p class="line-total">€31.78</p>' in page  # 29.70 + 7% (2.08)
    assert '<p class="line-total">€28.56</p>' in page  # 24.00 + 19% (4.56)
    assert "€10.59 each" in page  # 9.90 + 7%
    assert "<strong>€60.34</strong>" in page  # the subtotal with VAT in
    assert '<div class="tax-line"><dt>incl. VAT 7% (Germany)</dt><dd>€2.08</dd></div>' in page
    assert '<div class="tax-line"><dt>incl. VAT 19% (Germany)</dt><dd>€4.56</dd></div>' in page
    assert (
        '<p class="duties-note" role="note">VAT is included: there is nothing more to pay on '
        "delivery.</p>"
    ) in page


def test_the_cart_to_japan_says_the_recipient_pays_and_prices_are_without_taxes(
    client, rates, goods
):
    jar, _bowl = goods
    in_euros(client)
    client.post(reverse("shop:cart_add"), {"variant": jar.pk, "quantity": 1})
    destinations.set_destination(cart=Cart.objects.get(), country="JP")

    page = client.get(reverse("shop:cart")).content.decode()

    assert "tax-line" not in page
    assert '<p class="line-total">€9.90</p>' in page
    assert (
        '<p class="duties-note" role="note"><span class="excl-taxes">Prices are shown excluding '
        "taxes.</span> Import duties and taxes are paid by the recipient on delivery.</p>"
    ) in page


def test_the_review_step_totals_german_vat_and_the_order_page_and_email_show_it(
    client, rates, goods
):
    jar, bowl = goods
    in_euros(client)
    methods = shipping_zones()
    client.post(reverse("shop:cart_add"), {"variant": jar.pk, "quantity": 3})
    client.post(reverse("shop:cart_add"), {"variant": bowl.pk, "quantity": 1})
    form = {
        "email": "anna@example.de",
        "buyer_name": "Anna Schmidt",
        "full_name": "Anna Schmidt",
        "line1": "Hauptstraße 5",
        "postal_code": "10115",
        "city": "Berlin",
        "country": "DE",
    }
    client.post(reverse("shop:checkout"), form)

    review = client.get(reverse("shop:checkout_review")).content.decode()

    assert '<div class="tax-line"><dt>incl. VAT 19% (Germany)</dt><dd>€4.56</dd></div>' in review
    assert '<div class="grand-total"><dt>Total</dt><dd>€82.84</dd></div>' in review
    assert "duties-note" in review and "duties-choice" not in review

    placed = client.post(
        reverse("shop:checkout_review"), {"shipping_method": methods["Europe"][0].pk}
    )
    assert placed.status_code == 302
    order = Order.objects.get()
    page = client.get(reverse("shop:order", args=[order.token])).content.decode()
    assert '<div class="tax-line"><dt>VAT 7% (Germany)</dt><dd>€2.08</dd></div>' in page
    assert '<div class="tax-line"><dt>VAT 19% (Germany)</dt><dd>€4.56</dd></div>' in page
    assert '<div class="grand-total"><dt>Total</dt><dd>€82.84</dd></div>' in page
    slip = client.get(reverse("shop:packing_slip", args=[order.token])).content.decode()
    assert "VAT 19% (Germany)" in slip

    message = notifications.build_message(
        order=notifications._load_order(order.pk), kind=notifications.ORDER_CONFIRMATION
    )
    assert "VAT 7% (Germany): €2.08\nVAT 19% (Germany): €4.56\nTotal: €82.84" in message.body
    html = message.alternatives[0][0]
    assert '<tr class="tax-line"><td style="padding:4px 0">VAT 19% (Germany)</td>' in html
    assert "VAT is included: there is nothing more to pay on delivery." in html


def test_the_review_step_offers_ddp_to_the_us_and_the_order_takes_the_choice(client, rates, goods):
    jar, bowl = goods
    methods = shipping_zones()
    client.post(reverse("shop:cart_add"), {"variant": jar.pk, "quantity": 1})
    client.post(reverse("shop:cart_add"), {"variant": bowl.pk, "quantity": 1})
    form = {
        "email": "sam@example.com",
        "buyer_name": "Sam Lee",
        "full_name": "Sam Lee",
        "line1": "5 Main Street",
        "postal_code": "10001",
        "city": "New York",
        "region": "NY",
        "country": "US",
    }
    client.post(reverse("shop:checkout"), form)
    method = methods["Rest of the world"][0].pk

    review = client.get(reverse("shop:checkout_review")).content.decode()
    preview = client.post(
        reverse("shop:checkout_review"),
        {"shipping_method": method, "duties_paid": "1", "preview": "1"},
    ).content.decode()
    client.post(reverse("shop:checkout_review"), {"shipping_method": method, "duties_paid": "1"})

    assert "duties-choice" in review and "$10.04 more" in review
    assert '<div class="grand-total"><dt>Total</dt><dd>$60.90</dd></div>' in review
    assert (
        '<div class="tax-line duties-line"><dt>Import duties (United States of America)</dt>'
        "<dd>$10.04</dd></div>"
    ) in preview
    assert '<div class="grand-total"><dt>Total</dt><dd>$70.94</dd></div>' in preview
    order = Order.objects.get()
    assert (order.tax_mode, order.duties_total, order.total) == (
        TaxMode.DDP,
        Decimal("10.04"),
        Decimal("70.94"),
    )


def test_the_vat_line_and_note_speak_vietnamese(client, rates, goods):
    jar, _bowl = goods
    in_euros(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.post(reverse("shop:cart_add"), {"variant": jar.pk, "quantity": 1})
    destinations.set_destination(cart=Cart.objects.get(), country="DE")

    page = client.get(reverse("shop:cart")).content.decode()

    assert "<dt>đã gồm thuế GTGT 7% (Đức)</dt>" in page
    assert "Đã bao gồm thuế GTGT: khi nhận hàng không phải trả thêm gì." in page
