"""Checkout: the buyer's details, the address rules of each country, totals, and the order.

Two steps. `save_details` keeps the buyer's email, name, shipping address and gift options
on the cart. `place_order` then prices everything again on the server (nothing the browser
sends is trusted but the chosen method), and in one transaction turns the cart into an
unpaid order whose lines took the held batches. The confirmation email is queued when the
order is paid (shop.fulfilment.payment.pay_order), not here.
"""

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from shop import (
    addresses,
    carts,
    checkout_totals,
    destination_rules,
    gifts,
    inventory,
    shipping,
    taxes,
)
from shop.models import (
    Address,
    Cart,
    CartLine,
    Order,
    OrderLine,
    OrderStatus,
    OrderStatusChange,
    User,
)
from shop.models.cart import GIFT_MESSAGE_MAX_LENGTH


class CheckoutError(Exception):
    """Base of refused checkouts; nothing was written."""


class EmptyCart(CheckoutError):
    pass


class CartNotOpen(CheckoutError):
    """The cart was ordered or merged already (a second tab, a double click)."""


class DetailsMissing(CheckoutError):
    """The buyer's email and shipping address have not been given yet."""


class InvalidDetails(CheckoutError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class ShippingUnavailable(CheckoutError):
    """The chosen method does not reach the address with this parcel."""


class ProductUnavailable(CheckoutError):
    """A product in the cart was unpublished since it was added; it cannot be ordered."""

    def __init__(self, variant_ids: list[int]):
        self.variant_ids = variant_ids
        super().__init__(f"Variants {variant_ids} are no longer sold.")


class NotAllowedThere(CheckoutError):
    """Some lines may not be posted to the address's country (shop.destination_rules);
    `refusals` say which and why."""

    def __init__(self, refusals: list[destination_rules.Refusal]):
        self.refusals = refusals
        super().__init__(f"Variants {[r.variant.pk for r in refusals]} may not go there.")


@dataclass(frozen=True)
class CheckoutDetails:
    """What the buyer types at checkout (the shipping method is chosen on the next step)."""

    email: str
    buyer_name: str
    full_name: str
    line1: str
    country: str
    company: str = ""
    line2: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    phone: str = ""
    is_gift: bool = False
    gift_message: str = ""
    gift_wrap: bool = False
    hide_prices: bool = False
    # The gift card's signature and the language the receiver reads it in (blank: the
    # order's language).
    gift_signature: str = ""
    gift_language: str = ""


ADDRESS_FIELDS = (
    "full_name",
    "company",
    "line1",
    "line2",
    "city",
    "region",
    "postal_code",
    "country",
    "phone",
)


def detail_errors(details: CheckoutDetails) -> dict[str, str]:
    """What is wrong with the details, by field name (empty when nothing is). The address
    is checked against what its country's post needs (shop.addresses: Google's address data
    on required fields, postal codes, areas and cities)."""
    errors: dict[str, str] = {}
    for name in ("email", "buyer_name", "full_name", "line1"):
        if not getattr(details, name).strip():
            errors[name] = str(_("This field is required."))
    code = details.country.strip().upper()
    if code not in countries:
        errors["country"] = str(_("Choose a country from the list."))
        return errors
    values = {name: str(getattr(details, name)).strip() for name in ADDRESS_FIELDS}
    for name, message in addresses.errors({**values, "country": code}).items():
        errors.setdefault(name, message)
    if len(details.gift_message) > GIFT_MESSAGE_MAX_LENGTH:
        errors["gift_message"] = str(
            _("A gift message can be at most %(max)d characters (this one has %(count)d).")
            % {"max": GIFT_MESSAGE_MAX_LENGTH, "count": len(details.gift_message)}
        )
    errors.update(
        gifts.detail_errors(signature=details.gift_signature, language=details.gift_language)
    )
    return errors


def recipient_is_someone_else(*, buyer_name: str, recipient_name: str) -> bool:
    """A gift goes to someone else when the address names another person than the buyer."""
    return buyer_name.strip().casefold() != recipient_name.strip().casefold()


def details_of(cart: Cart) -> CheckoutDetails | None:
    """The details already kept on the cart (None before the first step was done)."""
    address = cart.shipping_address
    if address is None or not cart.email:
        return None
    return CheckoutDetails(
        email=cart.email,
        buyer_name=cart.buyer_name,
        is_gift=cart.is_gift,
        gift_message=cart.gift_message,
        gift_wrap=cart.gift_wrap,
        hide_prices=cart.hide_prices,
        gift_signature=cart.gift_signature,
        gift_language=cart.gift_language,
        **{name: str(getattr(address, name)) for name in ADDRESS_FIELDS},
    )


def save_details(*, cart: Cart, details: CheckoutDetails) -> Cart:
    """Keep the buyer's details and shipping address on the open cart.

    Raises InvalidDetails (by field), CartNotOpen or EmptyCart; nothing is written then.
    Writes the cart's Address row (created the first time) and the cart's fields.
    """
    errors = detail_errors(details)
    if errors:
        raise InvalidDetails(errors)
    values = asdict(details)
    address_values = {name: values.pop(name).strip() for name in ADDRESS_FIELDS}
    address_values["country"] = details.country.strip().upper()
    if not details.is_gift:
        values.update(
            gift_message="", gift_wrap=False, hide_prices=False, gift_signature="", gift_language=""
        )
    with transaction.atomic():
        locked = Cart.objects.select_for_update().get(pk=cart.pk)
        if locked.status != Cart.Status.OPEN:
            raise CartNotOpen()
        if not CartLine.objects.filter(cart=locked).exists():
            raise EmptyCart()
        if locked.shipping_address_id:
            Address.objects.filter(pk=locked.shipping_address_id).update(**address_values)
            address_id = locked.shipping_address_id
        else:
            address_id = Address.objects.create(**address_values).pk
        values["email"] = values["email"].strip().lower()
        values["buyer_name"] = values["buyer_name"].strip()
        Cart.objects.filter(pk=cart.pk).update(
            shipping_address_id=address_id, updated_at=timezone.now(), **values
        )
    cart.refresh_from_db()
    return cart


def choose_shipping_method(*, cart: Cart, method_id: int) -> shipping.ShippingOption:
    """Keep the shipping method the buyer chose on the open cart (the API's step between the
    details and the order; the pages send the method with the order instead).

    The method must reach the cart's address with the cart's parcel (shipping.option_for,
    priced in the cart's currency). Raises CartNotOpen, EmptyCart, DetailsMissing or
    ShippingUnavailable; nothing is written then. Locks the cart row and writes its
    shipping_method. place_order checks the method again, as the parcel may change after.
    """
    with transaction.atomic():
        locked = Cart.objects.select_for_update().get(pk=cart.pk)
        if locked.status != Cart.Status.OPEN:
            raise CartNotOpen()
        cart_summary = carts.summary(cart=locked, currency=locked.currency)
        if cart_summary.is_empty:
            raise EmptyCart()
        address = locked.shipping_address
        if address is None or not locked.email:
            raise DetailsMissing()
        option = shipping.option_for(
            method_id=method_id,
            country=str(address.country),
            items=shipping.items_of(cart_summary.rows),
            subtotal=cart_summary.subtotal,
            currency=locked.currency,
        )
        if option is None:
            raise ShippingUnavailable()
        Cart.objects.filter(pk=locked.pk).update(
            shipping_method=option.method, updated_at=timezone.now()
        )
    return option


# Placing the order


def place_order(
    *,
    cart: Cart,
    shipping_method_id: int | None,
    currency: str,
    language: str,
    user: User | None = None,
    now: datetime.datetime | None = None,
    duties_paid: bool = False,
) -> Order:
    """Turn the open cart into an unpaid order, in one transaction.

    Prices the lines from the variants in `currency`, ships by the chosen method (priced for
    the address's zone, split into parcels by shop.shipping, free over the zone's threshold;
    Order.parcels keeps how many), adds the gift wrap fee and the
    destination's taxes (shop.taxes: VAT collected per line, or duties and import VAT when
    DDP is offered and `duties_paid`; else none, the recipient pays), and creates the
    Order (expiring after UNPAID_ORDER_MINUTES), its OrderLines (names in `language`), a
    copy of the address and the first status change, and for a gift its Gift row
    (shop.gifts.create_for_order: the card's message, signature and language);
    inventory.allocate_cart turns the cart's holds into batch allocations; the cart is
    marked ordered. Locks the cart row, then the held batches. Raises CartNotOpen,
    EmptyCart, ProductUnavailable (a product was unpublished), DetailsMissing,
    NotAllowedThere (a line may not be posted to the address's country),
    ShippingUnavailable or inventory.HoldExpired; nothing is written then.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Cart.objects.select_for_update().get(pk=cart.pk)
        if locked.status != Cart.Status.OPEN:
            raise CartNotOpen()
        locked = Cart.objects.select_related("shipping_address").get(pk=cart.pk)
        cart_summary = carts.summary(cart=locked, currency=currency, now=now)
        if cart_summary.is_empty:
            raise EmptyCart()
        if cart_summary.unavailable_rows:
            raise ProductUnavailable([row.variant.pk for row in cart_summary.unavailable_rows])
        address = locked.shipping_address
        if address is None or not locked.email:
            raise DetailsMissing()
        refusals = destination_rules.refused_lines(cart_summary.rows, str(address.country))
        if refusals:
            raise NotAllowedThere(refusals)
        option = shipping.option_for(
            method_id=shipping_method_id,
            country=str(address.country),
            items=shipping.items_of(cart_summary.rows),
            subtotal=cart_summary.subtotal,
            currency=currency,
        )
        if option is None:
            raise ShippingUnavailable()
        money = checkout_totals.destination_totals(
            cart=locked,
            cart_summary=cart_summary,
            option=option,
            duties_paid=duties_paid,
            day=timezone.localdate(now),
        )
        quote = money.tax_quote
        order = Order.objects.create(
            user=locked.user or (user if user is not None and user.is_authenticated else None),
            cart=locked,
            email=locked.email,
            buyer_name=locked.buyer_name,
            language=language,
            currency=currency,
            shipping_address=_copy(address),
            shipping_method=option.method,
            shipping_method_name=option.method.name,
            subtotal=money.subtotal,
            shipping_total=money.shipping,
            parcels=option.parcels,
            gift_wrap_total=money.gift_wrap,
            tax_mode=quote.mode,
            tax_total=quote.tax_total,
            duties_total=quote.duties_total,
            total=money.total,
            is_gift=locked.is_gift,
            gift_message=locked.gift_message,
            gift_wrap=locked.gift_wrap,
            hide_prices=locked.hide_prices,
            created_at=now,
            expires_at=now + datetime.timedelta(minutes=settings.UNPAID_ORDER_MINUTES),
        )
        lines = _order_lines(order, cart_summary, language, quote)
        if locked.is_gift:
            gifts.create_for_order(
                order=order,
                message=locked.gift_message,
                signature=locked.gift_signature,
                language=locked.gift_language or language,
                now=now,
            )
        inventory.allocate_cart(
            cart=locked, order_lines={line.variant_id: line for line in lines}, now=now
        )
        OrderStatusChange.objects.create(
            order=order,
            from_status="",
            to_status=OrderStatus.UNPAID,
            actor=order.user,
            note_code="order_placed",
            created_at=now,
        )
        Cart.objects.filter(pk=locked.pk).update(
            status=Cart.Status.ORDERED,
            currency=currency,
            language=language,
            shipping_method=option.method,
            updated_at=now,
        )
    return order


def _copy(address: Address) -> Address:
    return Address.objects.create(**{name: getattr(address, name) for name in ADDRESS_FIELDS})


def _order_lines(
    order: Order, cart_summary: carts.CartSummary, language: str, quote: taxes.TaxQuote
) -> list[OrderLine]:
    tax = {line.variant_id: line for line in quote.lines}
    with translation.override(language):
        lines = [
            OrderLine(
                order=order,
                variant=row.variant,
                product_name=row.variant.product.name,
                variant_name=row.variant.name,
                sku=row.variant.sku,
                gtin=row.variant.gtin,
                is_gift_set=row.variant.product.is_gift_set,
                quantity=row.quantity,
                unit_price=row.unit_price,
                currency=order.currency,
                line_total=row.line_total,
                tax_rate=tax[row.variant.pk].rate,
                tax_amount=tax[row.variant.pk].amount,
            )
            for row in cart_summary.rows
        ]
    return OrderLine.objects.bulk_create(lines)
