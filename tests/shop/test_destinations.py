import pytest

from shop import destinations
from shop.models import Cart
from tests.factories import AddressFactory, CartFactory

pytestmark = pytest.mark.django_db


def test_the_chosen_country_is_the_destination_until_an_address_is_given():
    cart = CartFactory()
    destinations.set_destination(cart=cart, country="de")
    assert destinations.destination_country(Cart.objects.get(pk=cart.pk)) == "DE"

    cart.shipping_address = AddressFactory(country="JP")
    cart.save()
    assert destinations.destination_country(Cart.objects.get(pk=cart.pk)) == "JP"


def test_an_unknown_country_is_refused_and_nothing_changes():
    cart = CartFactory()
    with pytest.raises(destinations.UnknownCountry):
        destinations.set_destination(cart=cart, country="XX")
    assert Cart.objects.get(pk=cart.pk).destination_country == ""


def test_no_cart_has_no_destination():
    assert destinations.destination_country(None) == ""
