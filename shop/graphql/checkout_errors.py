"""Checkout's typed errors as payload errors, in the words the cart and checkout pages use
(their translations included): the services' exceptions map to a code, a field and a message."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop import carts, checkout, inventory
from shop.graphql.errors import FieldError, field_error
from shop.models import BatchStatus, CartLine, StockHold
from shop.views.cart import no_longer_sold_message, out_of_stock_message

NO_CHECKOUT = gettext_lazy("No open checkout has this token.")


def stock_error(error: Exception) -> FieldError:
    """The carts' and inventory's typed errors about a line, as a payload error with the
    cart page's own words."""
    if isinstance(error, carts.UnknownVariant):
        message = _("This product is not on sale.")
        return field_error("variant_id", message, "NOT_FOUND", variant_id=error.variant_id)
    if isinstance(error, carts.LineNotInCart):
        message = _("This item is not in your cart.")
        return field_error("variant_id", message, "NOT_FOUND", variant_id=error.variant_id)
    if isinstance(error, inventory.OutOfStock):
        return field_error(
            "quantity",
            out_of_stock_message(error),
            "INSUFFICIENT_STOCK",
            variant_id=error.variant_id,
            available=error.available,
        )
    quantity = getattr(error, "quantity", None)
    if type(quantity) is int and quantity < 1:
        return field_error("quantity", _("Choose at least 1."), "INVALID")
    limit = settings.MAX_LINE_QUANTITY
    message = _("You can order at most %(limit)d of one item.") % {"limit": limit}
    return field_error("quantity", message, "INVALID")


CHECKOUT_ERRORS = {
    checkout.CartNotOpen: (
        "token",
        "CHECKOUT_CLOSED",
        gettext_lazy("This checkout was completed or merged."),
    ),
    checkout.EmptyCart: ("token", "EMPTY_CHECKOUT", gettext_lazy("Your cart is empty.")),
    checkout.DetailsMissing: (
        "token",
        "DETAILS_MISSING",
        gettext_lazy("Give the email and shipping address first."),
    ),
    checkout.ShippingUnavailable: (
        "shipping_method_id",
        "SHIPPING_UNAVAILABLE",
        gettext_lazy("This shipping method does not reach the address."),
    ),
}


def checkout_error(error: checkout.CheckoutError) -> list[FieldError]:
    if isinstance(error, checkout.InvalidDetails):
        return [field_error(name, message, "INVALID") for name, message in error.errors.items()]
    if isinstance(error, checkout.ProductUnavailable):
        return [
            field_error(
                "lines",
                no_longer_sold_message(variant_id),
                "PRODUCT_UNAVAILABLE",
                variant_id=variant_id,
            )
            for variant_id in error.variant_ids
        ]
    if isinstance(error, checkout.NotAllowedThere):
        # The message names the line (or the set's component) and the rule's reason.
        return [
            field_error(
                "lines",
                refusal.message,
                "NOT_ALLOWED_FOR_DESTINATION",
                variant_id=refusal.variant.pk,
            )
            for refusal in error.refusals
        ]
    field, code, message = CHECKOUT_ERRORS[type(error)]
    return [field_error(field, message, code)]


def lapsed_line_errors(error: inventory.HoldExpired) -> list[FieldError]:
    """HOLD_EXPIRED per lapsed line, or BATCH_RECALLED when a batch it held was recalled."""
    variants = dict(CartLine.objects.filter(pk__in=error.line_ids).values_list("pk", "variant_id"))
    recalled = set(
        StockHold.objects.filter(
            line_id__in=error.line_ids, batch__status=BatchStatus.RECALLED
        ).values_list("line_id", flat=True)
    )
    found = []
    for line_id in error.line_ids:
        if line_id in recalled:
            code, message = "BATCH_RECALLED", _("A batch held for this line was recalled.")
        else:
            code, message = "HOLD_EXPIRED", _("The time we could hold this line ran out.")
        found.append(field_error("lines", message, code, variant_id=variants.get(line_id)))
    return found
