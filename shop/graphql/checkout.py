"""Checkout mutations: the doors of shop.carts, shop.checkout and the payment gateway.

A checkout is an open cart found by its unguessable token: a guest's through
carts.find_cart, a signed-in shopper's own open cart too. Each mutation parses its input,
calls one service and turns the service's typed errors into payload errors; a refused
change wrote nothing. Field validation reuses the pages' forms (shop.checkout_forms), so the
API and the pages accept exactly the same input.
"""

import uuid
from dataclasses import asdict, replace

import graphene
from django.utils import translation
from django.utils.translation import gettext as _

from shop import carts, checkout, inventory, payments
from shop.checkout_forms import CheckoutDetailsForm
from shop.graphql.checkout_errors import (
    NO_CHECKOUT,
    checkout_error,
    lapsed_line_errors,
    stock_error,
)
from shop.graphql.checkout_types import CheckoutType, checkout_view
from shop.graphql.errors import FieldError, field_error, form_errors
from shop.graphql.orders import OrderType, PaymentType, order_by_token, payment_errors
from shop.graphql.types import Currency, Language, enum_value
from shop.identifiers import parse_id
from shop.models import Cart

MAX_LINES_PER_CALL = 50


def find_checkout(info, token) -> Cart | None:
    """The open cart behind `token`: a guest's, or the signed-in shopper's own."""
    try:
        parsed = uuid.UUID(str(token))
    except ValueError:
        return None
    user = info.context.user
    if user.is_authenticated:
        own = carts.find_cart(token=None, user=user)
        if own is not None and own.token == parsed:
            return own
    return carts.find_cart(token=str(parsed), user=None)


class CheckoutQuery(graphene.ObjectType):
    checkout = graphene.Field(CheckoutType, token=graphene.ID(required=True))

    def resolve_checkout(root, info, token):
        cart = find_checkout(info, token)
        return checkout_view(cart) if cart is not None else None


class CheckoutPayload:
    """The fields of every checkout mutation's payload (graphene reads them off the class)."""

    checkout = graphene.Field(CheckoutType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _done(cart: Cart) -> dict:
    return {"checkout": checkout_view(cart), "errors": []}


def _failed(*errors: FieldError) -> dict:
    return {"checkout": None, "errors": list(errors)}


def _not_found() -> dict:
    return _failed(field_error("token", NO_CHECKOUT, "NOT_FOUND"))


class CheckoutLineInput(graphene.InputObjectType):
    variant_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class CheckoutCreate(CheckoutPayload, graphene.Mutation):
    """Open a checkout (a signed-in shopper gets their open one) in a currency and language."""

    class Arguments:
        currency = Currency()
        language = Language()

    @classmethod
    def mutate(cls, root, info, currency=None, language=None):
        cart = carts.open_cart(
            token=None,
            user=info.context.user,
            currency=enum_value(currency) or info.context.currency,
            language=enum_value(language) or translation.get_language() or "en",
        )
        return cls(**_done(cart))


class CheckoutLinesAdd(CheckoutPayload, graphene.Mutation):
    """Add units to the checkout, held for the shopper: all lines or none."""

    class Arguments:
        token = graphene.ID(required=True)
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    @classmethod
    def mutate(cls, root, info, token, lines):
        cart = find_checkout(info, token)
        if cart is None:
            return cls(**_not_found())
        if not 1 <= len(lines) <= MAX_LINES_PER_CALL:
            message = _("Send 1 to %(max)d lines.") % {"max": MAX_LINES_PER_CALL}
            return cls(**_failed(field_error("lines", message, "INVALID")))
        # An id that is no number stays as sent: carts refuses it as an unknown variant.
        items = [(parse_id(line.variant_id) or line.variant_id, line.quantity) for line in lines]
        try:
            carts.add_many(cart=cart, items=items)
        except (carts.CartError, inventory.InvalidQuantity, inventory.OutOfStock) as error:
            return cls(**_failed(stock_error(error)))
        return cls(**_done(cart))


class CheckoutLineUpdate(CheckoutPayload, graphene.Mutation):
    """Set a line's quantity (0 removes it), holding its units again from now."""

    class Arguments:
        token = graphene.ID(required=True)
        variant_id = graphene.ID(required=True)
        quantity = graphene.Int(required=True)

    @classmethod
    def mutate(cls, root, info, token, variant_id, quantity):
        cart = find_checkout(info, token)
        if cart is None:
            return cls(**_not_found())
        variant = parse_id(variant_id)
        if variant is None:
            return cls(**_failed(stock_error(carts.LineNotInCart(variant_id))))
        try:
            carts.set_quantity(cart=cart, variant_id=variant, quantity=quantity)
        except (carts.CartError, inventory.InvalidQuantity, inventory.OutOfStock) as error:
            return cls(**_failed(stock_error(error)))
        return cls(**_done(cart))


class CheckoutLineRemove(CheckoutPayload, graphene.Mutation):
    """Take a line out of the checkout; its units go back to stock at once."""

    class Arguments:
        token = graphene.ID(required=True)
        variant_id = graphene.ID(required=True)

    @classmethod
    def mutate(cls, root, info, token, variant_id):
        cart = find_checkout(info, token)
        if cart is None:
            return cls(**_not_found())
        variant = parse_id(variant_id)
        if variant is None:
            return cls(**_failed(stock_error(carts.LineNotInCart(variant_id))))
        try:
            carts.set_quantity(cart=cart, variant_id=variant, quantity=0)
        except carts.CartError as error:
            return cls(**_failed(stock_error(error)))
        return cls(**_done(cart))


class CheckoutHoldAgain(CheckoutPayload, graphene.Mutation):
    """Hold every line again for a full hold time, after HOLD_EXPIRED."""

    class Arguments:
        token = graphene.ID(required=True)

    @classmethod
    def mutate(cls, root, info, token):
        cart = find_checkout(info, token)
        if cart is None:
            return cls(**_not_found())
        try:
            carts.hold_again(cart=cart)
        except inventory.OutOfStock as error:
            return cls(**_failed(stock_error(error)))
        return cls(**_done(cart))


class AddressInput(graphene.InputObjectType):
    full_name = graphene.String(required=True)
    company = graphene.String()
    line1 = graphene.String(required=True)
    line2 = graphene.String()
    city = graphene.String()
    region = graphene.String()
    postal_code = graphene.String()
    country = graphene.String(required=True, description="ISO 3166-1 alpha-2 code.")
    phone = graphene.String()


def _save_details(cart: Cart, values: dict) -> dict:
    """Check `values` with the checkout page's form, then checkout.save_details."""
    form = CheckoutDetailsForm({k: v for k, v in values.items() if v not in (None, False)})
    if not form.is_valid():
        return _failed(*form_errors(form))
    try:
        checkout.save_details(cart=cart, details=form.details())
    except checkout.CheckoutError as error:
        return _failed(*checkout_error(error))
    return _done(cart)


class CheckoutShippingAddressUpdate(CheckoutPayload, graphene.Mutation):
    """The buyer's email and name and the address the parcel goes to (rules per country)."""

    class Arguments:
        token = graphene.ID(required=True)
        email = graphene.String(required=True)
        buyer_name = graphene.String(required=True)
        address = AddressInput(required=True)

    @classmethod
    def mutate(cls, root, info, token, email, buyer_name, address):
        cart = find_checkout(info, token)
        if cart is None:
            return cls(**_not_found())
        saved = checkout.details_of(cart)
        gifts = {k: v for k, v in asdict(saved).items() if k in GIFT_FIELDS} if saved else {}
        values = {**gifts, **dict(address), "email": email, "buyer_name": buyer_name}
        return cls(**_save_details(cart, values))


GIFT_FIELDS = (
    "is_gift",
    "gift_message",
    "gift_wrap",
    "hide_prices",
    "gift_signature",
    "gift_language",
)


class CheckoutGiftOptionsUpdate(CheckoutPayload, graphene.Mutation):
    """Gift options: a message for a printed card (at most 300 characters), wrapping, and
    prices hidden on the packing slip. Needs the shipping address first."""

    class Arguments:
        token = graphene.ID(required=True)
        is_gift = graphene.Boolean(required=True)
        gift_message = graphene.String()
        gift_wrap = graphene.Boolean()
        hide_prices = graphene.Boolean()
        gift_signature = graphene.String(description="How the giver signs the gift card.")
        gift_language = graphene.String(
            description="The language code the receiver reads the card and gift page in."
        )

    @classmethod
    def mutate(
        cls,
        root,
        info,
        token,
        is_gift,
        gift_message="",
        gift_wrap=False,
        hide_prices=False,
        gift_signature="",
        gift_language="",
    ):
        cart = find_checkout(info, token)
        if cart is None:
            return cls(**_not_found())
        saved = checkout.details_of(cart)
        if saved is None:
            return cls(**_failed(*checkout_error(checkout.DetailsMissing())))
        gifts = replace(
            saved,
            is_gift=is_gift,
            gift_message=gift_message or "",
            gift_wrap=bool(gift_wrap),
            hide_prices=bool(hide_prices),
            gift_signature=gift_signature or "",
            gift_language=gift_language or "",
        )
        return cls(**_save_details(cart, asdict(gifts)))


class CheckoutShippingMethodUpdate(CheckoutPayload, graphene.Mutation):
    """Choose one of `checkout.shippingMethods`."""

    class Arguments:
        token = graphene.ID(required=True)
        shipping_method_id = graphene.ID(required=True)

    @classmethod
    def mutate(cls, root, info, token, shipping_method_id):
        cart = find_checkout(info, token)
        if cart is None:
            return cls(**_not_found())
        try:
            checkout.choose_shipping_method(cart=cart, method_id=parse_id(shipping_method_id))
        except checkout.CheckoutError as error:
            return cls(**_failed(*checkout_error(error)))
        return cls(**_done(cart))


class CheckoutComplete(graphene.Mutation):
    """Place the order (prices, shipping and wrap computed again on the server) and start
    its payment: Stripe's client secret, or the dummy gateway's page on the embedded shop."""

    class Arguments:
        token = graphene.ID(required=True)

    order = graphene.Field(OrderType)
    payment = graphene.Field(PaymentType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    @classmethod
    def mutate(cls, root, info, token):
        cart = find_checkout(info, token)
        if cart is None:
            return cls(errors=[field_error("token", NO_CHECKOUT, "NOT_FOUND")])
        try:
            placed = checkout.place_order(
                cart=cart,
                shipping_method_id=cart.shipping_method_id,
                currency=cart.currency,
                language=cart.language,
                user=info.context.user,
            )
        except inventory.HoldExpired as error:
            return cls(errors=lapsed_line_errors(error))
        except checkout.CheckoutError as error:
            return cls(errors=checkout_error(error))
        order = order_by_token(placed.token)
        try:
            start = payments.get_gateway().start_payment(order=order)
        except payments.PaymentError as error:
            return cls(order=order, errors=payment_errors(error))
        return cls(order=order, payment=start, errors=[])


class CheckoutMutations(graphene.ObjectType):
    checkout_create = CheckoutCreate.Field()
    checkout_lines_add = CheckoutLinesAdd.Field()
    checkout_line_update = CheckoutLineUpdate.Field()
    checkout_line_remove = CheckoutLineRemove.Field()
    checkout_hold_again = CheckoutHoldAgain.Field()
    checkout_shipping_address_update = CheckoutShippingAddressUpdate.Field()
    checkout_gift_options_update = CheckoutGiftOptionsUpdate.Field()
    checkout_shipping_method_update = CheckoutShippingMethodUpdate.Field()
    checkout_complete = CheckoutComplete.Field()
