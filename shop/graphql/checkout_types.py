"""GraphQL types of a checkout (an open cart) and the reads behind them.

A checkout is read in a fixed number of queries however many lines it has: the cart with
its address, carts.summary (lines, gift-set components, holds), the lines' buyable batches,
and shipping.options_for (zones, methods, rates) once an address is known.
"""

from dataclasses import dataclass
from functools import cached_property

import graphene
from django.db.models import Prefetch, prefetch_related_objects

from shop import availability, carts, checkout_totals, destination_rules, destinations, shipping
from shop.graphql.types import Currency, Money, VariantType, available_of, money, translated
from shop.models import Cart


@dataclass
class CheckoutView:
    """What a checkout shows: the cart, its priced lines, and the shipping it can have."""

    cart: Cart
    summary: carts.CartSummary

    @cached_property
    def options(self) -> list[shipping.ShippingOption]:
        address = self.cart.shipping_address
        if address is None or self.summary.is_empty:
            return []
        return shipping.options_for(
            country=str(address.country),
            items=shipping.items_of(self.summary.rows),
            subtotal=self.summary.subtotal,
            currency=self.summary.currency,
        )

    @cached_property
    def option(self) -> shipping.ShippingOption | None:
        """The chosen method while it still reaches the address with this parcel."""
        return next((o for o in self.options if o.pk == self.cart.shipping_method_id), None)


def checkout_view(cart: Cart) -> CheckoutView:
    """The checkout of `cart`, read afresh (after a mutation the caller's row is stale)."""
    cart = Cart.objects.select_related("shipping_address").get(pk=cart.pk)
    return CheckoutView(cart=cart, summary=carts.summary(cart=cart, currency=cart.currency))


class AddressType(graphene.ObjectType):
    class Meta:
        name = "Address"

    full_name = graphene.String(required=True)
    company = graphene.String(required=True)
    line1 = graphene.String(required=True)
    line2 = graphene.String(required=True)
    city = graphene.String(required=True)
    region = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    country = graphene.String(required=True, description="ISO 3166-1 alpha-2 code.")
    phone = graphene.String(required=True)

    def resolve_country(address, info):
        return str(address.country)


class CheckoutLineType(graphene.ObjectType):
    class Meta:
        name = "CheckoutLine"

    variant = graphene.Field(VariantType, required=True)
    product_name = translated("variant.product.name", "The product's name.")
    product_slug = graphene.String(required=True, resolver=lambda r, i: r.variant.product.slug)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(Money, required=True)
    line_total = graphene.Field(Money, required=True)
    is_held = graphene.Boolean(
        required=True, description="Whether every unit is still held for this checkout."
    )
    held_until = graphene.DateTime()

    def resolve_unit_price(row, info):
        return money(row.unit_price, row.line.cart.currency)

    def resolve_line_total(row, info):
        return money(row.line_total, row.line.cart.currency)


class ShippingOptionType(graphene.ObjectType):
    class Meta:
        name = "ShippingOption"

    id = graphene.ID(required=True, resolver=lambda o, i: o.pk)
    name = translated("method.name", "The method's name.")
    carrier = graphene.String(required=True, resolver=lambda o, i: o.method.carrier)
    delivery_days_min = graphene.Int(
        required=True, resolver=lambda o, i: o.method.delivery_days_min
    )
    delivery_days_max = graphene.Int(
        required=True, resolver=lambda o, i: o.method.delivery_days_max
    )
    price = graphene.Field(Money, required=True, resolver=lambda o, i: money(o.price, o.currency))


class GiftOptionsType(graphene.ObjectType):
    class Meta:
        name = "GiftOptions"

    is_gift = graphene.Boolean(required=True)
    gift_message = graphene.String(required=True)
    gift_wrap = graphene.Boolean(required=True)
    hide_prices = graphene.Boolean(required=True, description="On the packing slip.")


class CheckoutTotalsType(graphene.ObjectType):
    class Meta:
        name = "CheckoutTotals"

    subtotal = graphene.Field(Money, required=True)
    shipping = graphene.Field(Money, required=True, description="0 until a method is chosen.")
    gift_wrap = graphene.Field(Money, required=True)
    tax = graphene.Field(
        Money, required=True, description="The destination's VAT collected with the order."
    )
    tax_mode = graphene.String(
        required=True, description="none, collected, dap (the recipient pays) or ddp."
    )
    total = graphene.Field(Money, required=True)


class NotAllowedLineType(graphene.ObjectType):
    class Meta:
        name = "NotAllowedLine"
        description = "A line the destination refuses by post; checkoutComplete refuses it."

    variant_id = graphene.ID(required=True, resolver=lambda r, i: r.variant.pk)
    component_id = graphene.ID(
        description="The gift set's component the rule matched, if any.",
        resolver=lambda r, i: r.component.pk if r.component else None,
    )
    message = graphene.String(
        required=True,
        description="Why, in the request's language.",
        resolver=lambda r, i: r.message,
    )


class CheckoutType(graphene.ObjectType):
    class Meta:
        name = "Checkout"

    token = graphene.ID(required=True, description="The checkout's unguessable handle.")
    currency = Currency(required=True)
    language = graphene.String(required=True)
    email = graphene.String(required=True)
    buyer_name = graphene.String(required=True)
    lines = graphene.List(graphene.NonNull(CheckoutLineType), required=True)
    item_count = graphene.Int(required=True)
    weight_grams = graphene.Int(required=True)
    held_until = graphene.DateTime(description="When the first of the lines' holds ends.")
    shipping_address = graphene.Field(AddressType)
    gift_options = graphene.Field(GiftOptionsType, required=True)
    gift_wrap_fee = graphene.Field(Money, required=True)
    shipping_methods = graphene.List(
        graphene.NonNull(ShippingOptionType),
        required=True,
        description="Methods that reach the address with this parcel, cheapest first.",
    )
    shipping_method = graphene.Field(ShippingOptionType)
    totals = graphene.Field(CheckoutTotalsType, required=True)
    not_allowed = graphene.List(
        graphene.NonNull(NotAllowedLineType),
        required=True,
        description="Lines the destination (address, else the chosen country) refuses.",
    )

    def resolve_not_allowed(view: CheckoutView, info):
        country = destinations.destination_country(view.cart)
        return destination_rules.refused_lines(view.summary.rows, country)

    def resolve_token(view: CheckoutView, info):
        return str(view.cart.token)

    def resolve_currency(view: CheckoutView, info):
        return view.cart.currency

    def resolve_language(view: CheckoutView, info):
        return view.cart.language

    def resolve_email(view: CheckoutView, info):
        return view.cart.email

    def resolve_buyer_name(view: CheckoutView, info):
        return view.cart.buyer_name

    def resolve_lines(view: CheckoutView, info):
        # One query for every line's buyable batches, as the product list reads them.
        batches = availability.buyable_batches().select_related("village__province").fefo()
        prefetch_related_objects(
            [row.variant for row in view.summary.rows],
            Prefetch("batches", queryset=batches, to_attr="buyable_list"),
        )
        for row in view.summary.rows:
            row.line.cart = view.cart
            row.variant.available = available_of(row.variant)
        return view.summary.rows

    def resolve_item_count(view: CheckoutView, info):
        return view.summary.item_count

    def resolve_weight_grams(view: CheckoutView, info):
        return view.summary.weight_grams

    def resolve_held_until(view: CheckoutView, info):
        return view.summary.held_until

    def resolve_shipping_address(view: CheckoutView, info):
        return view.cart.shipping_address

    def resolve_gift_options(view: CheckoutView, info):
        return view.cart

    def resolve_gift_wrap_fee(view: CheckoutView, info):
        currency = view.cart.currency
        return money(checkout_totals.gift_wrap_fee(currency), currency)

    def resolve_shipping_methods(view: CheckoutView, info):
        return view.options

    def resolve_shipping_method(view: CheckoutView, info):
        return view.option

    def resolve_totals(view: CheckoutView, info):
        # The order is placed with the destination's taxes (DAP where DDP is offered: the
        # API has no choice of it yet), so the totals read them too.
        totals = checkout_totals.destination_totals(
            cart=view.cart, cart_summary=view.summary, option=view.option
        )
        return CheckoutTotalsType(
            subtotal=money(totals.subtotal, totals.currency),
            shipping=money(totals.shipping, totals.currency),
            gift_wrap=money(totals.gift_wrap, totals.currency),
            tax=money(totals.tax_quote.charged, totals.currency),
            tax_mode=totals.tax_quote.mode,
            total=money(totals.total, totals.currency),
        )
