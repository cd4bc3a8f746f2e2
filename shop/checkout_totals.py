"""What a cart costs at checkout: its totals (goods, shipping, gift wrap, the destination's
taxes), and the priced shipping choices the review step shows. Reads only; the checkout
pages, the API and checkout.place_order all price through here, so they agree."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from shop import carts, destinations, shipping, shipping_preview, taxes
from shop.delivery import Estimate
from shop.models import Cart
from shop.money import quantize, table_price


@dataclass(frozen=True)
class Totals:
    currency: str
    subtotal: Decimal
    shipping: Decimal
    gift_wrap: Decimal
    # The destination's taxes (None when the destination was not looked up).
    tax_quote: taxes.TaxQuote | None = None

    @property
    def total(self) -> Decimal:
        """Goods, shipping and wrap, plus the VAT collected or the DDP duties and taxes."""
        charged = self.tax_quote.charged if self.tax_quote else 0
        return quantize(self.subtotal + self.shipping + self.gift_wrap + charged, self.currency)


def gift_wrap_fee(currency: str) -> Decimal:
    # Fees are set per stored currency; JPY/KRW take the USD fee converted.
    return table_price(settings.GIFT_WRAP_FEES, currency)


def totals(
    *,
    cart_summary: carts.CartSummary,
    option: shipping.ShippingOption | None,
    gift_wrap: bool,
    rates: taxes.RateTable | None = None,
    duties_paid: bool = False,
) -> Totals:
    """Lines, shipping, wrap, destination taxes (with `rates`: see shop.taxes.quote; no
    query) and total in the summary's currency, each quantised."""
    currency = cart_summary.currency
    shipping_price = option.price if option else quantize(0, currency)
    quote = None
    if rates is not None:
        quote = taxes.quote(
            table=rates,
            currency=currency,
            lines=cart_summary.rows,
            shipping=shipping_price,
            duties_paid=duties_paid,
        )
    return Totals(
        currency=currency,
        subtotal=cart_summary.subtotal,
        shipping=shipping_price,
        gift_wrap=gift_wrap_fee(currency) if gift_wrap else quantize(0, currency),
        tax_quote=quote,
    )


def destination_totals(
    *,
    cart: Cart,
    cart_summary: carts.CartSummary,
    option: shipping.ShippingOption | None,
    duties_paid: bool = False,
    day: datetime.date | None = None,
) -> Totals:
    """`totals` with the taxes of where the cart ships (shop.destinations), valid on `day`
    (today in Vietnam by default). Two queries (the country's VAT and duty rates)."""
    rates = taxes.rate_table(
        country=destinations.destination_country(cart), day=day or timezone.localdate()
    )
    return totals(
        cart_summary=cart_summary,
        option=option,
        gift_wrap=cart.gift_wrap,
        rates=rates,
        duties_paid=duties_paid,
    )


@dataclass(frozen=True)
class ReviewChoices:
    """The review step's shipping choices, each with its totals and estimate; the one
    selected; and, where a delivered-duty-paid price is offered, the totals with it."""

    rows: list[tuple[shipping.ShippingOption, Totals, Estimate]]
    selected: shipping.ShippingOption | None
    totals: Totals
    ddp_totals: Totals | None
    unshippable: shipping.Unshippable | None


def review_choices(
    *,
    cart: Cart,
    cart_summary: carts.CartSummary,
    chosen_method_id: object,
    duties_paid: bool,
    day: datetime.date | None = None,
) -> ReviewChoices:
    """Price every method that reaches the cart's address (by parcels, free over the zone's
    threshold, with the destination's taxes): the chosen method when it is one of them, else
    the cheapest. A fixed number of queries whatever the lines or methods."""
    preview = shipping_preview.for_cart(
        country=destinations.destination_country(cart),
        currency=cart_summary.currency,
        rows=cart_summary.rows,
        subtotal=cart_summary.subtotal,
    )
    options = preview.quote.options if preview else []
    selected = next((o for o in options if str(o.pk) == str(chosen_method_id)), None)
    selected = selected or (options[0] if options else None)
    rates = taxes.rate_table(
        country=destinations.destination_country(cart), day=day or timezone.localdate()
    )

    def priced(option: shipping.ShippingOption | None, duties: bool) -> Totals:
        return totals(
            cart_summary=cart_summary,
            option=option,
            gift_wrap=cart.gift_wrap,
            rates=rates,
            duties_paid=duties,
        )

    chosen = priced(selected, duties_paid)
    return ReviewChoices(
        rows=[(o, priced(o, duties_paid), preview.estimates[o.pk]) for o in options],
        selected=selected,
        totals=chosen,
        ddp_totals=priced(selected, True) if chosen.tax_quote.ddp_offered else None,
        unshippable=preview.unshippable if preview else None,
    )
