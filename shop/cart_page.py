"""The cart page's read: the summary, and what follows from where the cart ships (the
"ship to" or the address, shop.destinations): its taxes, the lines that country refuses by
post, the cheapest shipping there with its estimate; and each line's picture. A fixed number
of queries whatever the number of lines."""

from dataclasses import dataclass

from shop import carts, destination_rules, destinations, photos, shipping_preview, taxes
from shop.models import Cart

THUMBNAIL_WIDTH = 320


@dataclass(frozen=True)
class CartPage:
    summary: carts.CartSummary
    country: str
    tax_quote: taxes.TaxQuote | None
    # (row, picture URL) in the summary's order.
    lines: list[tuple[carts.CartRow, str]]
    # Lines the country refuses by post: shown with the reason; checkout is blocked.
    refusals: list
    # The cheapest shipping there (or why it cannot ship) and when it would arrive.
    shipping: shipping_preview.CartShipping | None


def cart_page(*, cart: Cart | None, currency: str) -> CartPage:
    summary = carts.summary(cart=cart, currency=currency)
    country = destinations.destination_country(cart)
    pictures = photos.picture_urls(
        [row.variant.product for row in summary.rows], width=THUMBNAIL_WIDTH
    )
    return CartPage(
        summary=summary,
        country=country,
        tax_quote=taxes.destination_quote(
            country=country, currency=summary.currency, lines=summary.rows
        ),
        lines=[(row, pictures[row.variant.product_id]) for row in summary.rows],
        refusals=destination_rules.refused_lines(summary.rows, country),
        shipping=shipping_preview.for_cart(
            country=country, currency=summary.currency, rows=summary.rows, subtotal=summary.subtotal
        ),
    )
