"""Where a cart is going: the shipping address's country once there is one, else the country
the shopper picked in the cart ("ship to"). Rules, taxes, parcels and delivery estimates in
the cart and checkout all read it from here, so they agree."""

from django.db import transaction
from django.utils import timezone
from django_countries import countries

from shop.models import Cart


class UnknownCountry(ValueError):
    def __init__(self, code: object):
        self.code = code
        super().__init__(f"{code!r} is not a country code.")


def destination_country(cart: Cart | None) -> str:
    """ISO code of where the cart ships ("" when the shopper has not said)."""
    if cart is None:
        return ""
    if cart.shipping_address_id is not None:
        return str(cart.shipping_address.country)
    return str(cart.destination_country or "")


def set_destination(*, cart: Cart, country: str) -> Cart:
    """Record the shopper's "ship to" country on an open cart (an empty string forgets it).

    Writes Cart.destination_country only; the shipping address, once given, still wins.
    Raises UnknownCountry for anything that is not an ISO 3166 code django-countries knows.
    """
    code = (country or "").strip().upper()
    if code and code not in dict(countries):
        raise UnknownCountry(country)
    with transaction.atomic():
        Cart.objects.filter(pk=cart.pk).update(destination_country=code, updated_at=timezone.now())
    cart.destination_country = code
    return cart
