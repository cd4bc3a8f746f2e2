import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from shop import carts, inventory
from shop.models import Cart, CartLine, StockHold
from tests.factories import BatchFactory, CartFactory, UserFactory, VariantFactory
from tests.shop.checkout_data import cart_with, gift_set, honey

pytestmark = pytest.mark.django_db


def lines(cart) -> list[tuple[int, int]]:
    return list(CartLine.objects.filter(cart=cart).values_list("variant_id", "quantity"))


def held_units(cart) -> int:
    return sum(StockHold.objects.filter(cart=cart).values_list("quantity", flat=True))


def test_open_cart_opens_a_guest_cart_once_and_finds_it_by_token():
    # when a guest opens a cart twice with the token of the first
    first = carts.open_cart(token=None, user=None, currency="EUR", language="vi")
    again = carts.open_cart(token=str(first.token), user=None, currency="EUR", language="vi")
    # then it is the same cart, in the shopper's currency and language
    assert again.pk == first.pk
    assert (first.currency, first.language, first.user_id) == ("EUR", "vi", None)
    assert Cart.objects.count() == 1


def test_open_cart_follows_the_currency_the_shopper_switched_to():
    cart = carts.open_cart(token=None, user=None, currency="USD", language="en")
    carts.open_cart(token=str(cart.token), user=None, currency="VND", language="en")
    cart.refresh_from_db()
    assert cart.currency == "VND"


def test_a_signed_in_user_has_one_open_cart_and_a_guest_token_does_not_reach_it():
    user = UserFactory()
    mine = carts.open_cart(token=None, user=user, currency="USD", language="en")
    assert carts.open_cart(token=None, user=user, currency="USD", language="en").pk == mine.pk
    assert carts.find_cart(token=str(mine.token), user=None) is None
    assert carts.find_cart(token="not-a-uuid", user=None) is None


def test_add_holds_the_units_and_adds_to_the_line_already_there():
    variant = honey()
    BatchFactory(variant=variant, quantity_received=10)
    cart = CartFactory()

    carts.add(cart=cart, variant_id=variant.pk, quantity=2)
    carts.add(cart=cart, variant_id=variant.pk, quantity=3)

    assert lines(cart) == [(variant.pk, 5)]
    assert held_units(cart) == 5


def test_add_more_than_available_says_how_many_are_left_and_writes_nothing():
    variant = honey()
    BatchFactory(variant=variant, quantity_received=4)
    cart = cart_with((variant, 3))

    with pytest.raises(inventory.OutOfStock) as refused:
        carts.add(cart=cart, variant_id=variant.pk, quantity=2)

    assert refused.value.available == 4
    assert lines(cart) == [(variant.pk, 3)]
    assert held_units(cart) == 3


@pytest.mark.parametrize("variant_id", [999999, "12", None, 1.5])
def test_add_an_unknown_variant_is_refused(variant_id):
    cart = CartFactory()
    with pytest.raises(carts.UnknownVariant):
        carts.add(cart=cart, variant_id=variant_id, quantity=1)
    assert lines(cart) == []


def test_add_an_unpublished_product_is_refused():
    variant = VariantFactory(product__is_published=False)
    BatchFactory(variant=variant)
    cart = CartFactory()
    with pytest.raises(carts.UnknownVariant):
        carts.add(cart=cart, variant_id=variant.pk, quantity=1)
    assert lines(cart) == []


@pytest.mark.parametrize("quantity", [0, -1, 51, "2", 2.0])
def test_add_a_bad_quantity_is_refused(quantity):
    variant = honey()
    BatchFactory(variant=variant, quantity_received=100)
    cart = CartFactory()
    with pytest.raises(inventory.InvalidQuantity):
        carts.add(cart=cart, variant_id=variant.pk, quantity=quantity)
    assert lines(cart) == []


def test_add_past_the_per_line_cap_is_refused_and_the_line_stays():
    variant = honey()
    BatchFactory(variant=variant, quantity_received=100)
    cart = cart_with((variant, 45))
    with pytest.raises(inventory.InvalidQuantity):
        carts.add(cart=cart, variant_id=variant.pk, quantity=6)
    assert lines(cart) == [(variant.pk, 45)]


def test_set_quantity_zero_removes_the_line_and_its_holds():
    variant = honey()
    BatchFactory(variant=variant)
    cart = cart_with((variant, 2))
    carts.set_quantity(cart=cart, variant_id=variant.pk, quantity=0)
    assert lines(cart) == []
    assert held_units(cart) == 0


def test_set_quantity_of_a_line_not_in_the_cart_is_refused():
    variant = honey()
    BatchFactory(variant=variant)
    cart = CartFactory()
    with pytest.raises(carts.LineNotInCart):
        carts.set_quantity(cart=cart, variant_id=variant.pk, quantity=2)
    assert lines(cart) == []


def test_summary_prices_lines_in_the_currency_asked_for():
    jar = honey()
    BatchFactory(variant=jar)
    cart = cart_with((jar, 3))

    usd = carts.summary(cart=cart, currency="USD")
    vnd = carts.summary(cart=cart, currency="VND")

    assert [(r.unit_price, r.line_total) for r in usd.rows] == [
        (Decimal("10.90"), Decimal("32.70"))
    ]
    assert usd.subtotal == Decimal("32.70")
    assert vnd.subtotal == Decimal("435000")
    assert str(vnd.subtotal) == "435000"
    assert usd.weight_grams == 1140
    assert usd.item_count == 3


def test_summary_tells_when_holds_end_and_which_lines_lost_theirs():
    jar, other = honey(), VariantFactory()
    BatchFactory(variant=jar)
    BatchFactory(variant=other)
    cart = cart_with((jar, 1), (other, 1))
    now = timezone.now()
    StockHold.objects.filter(line__variant=other).update(
        held_until=now - datetime.timedelta(seconds=1)
    )
    StockHold.objects.filter(line__variant=jar).update(
        held_until=now + datetime.timedelta(minutes=9)
    )

    summary = carts.summary(cart=cart, currency="USD", now=now)

    assert [r.is_held for r in summary.rows] == [True, False]
    assert [r.variant.pk for r in summary.expired_rows] == [other.pk]
    assert summary.held_until == now + datetime.timedelta(minutes=9)


def test_summary_counts_a_gift_set_held_by_its_box_lot_alone():
    jar = honey()
    BatchFactory(variant=jar, lot_code="HONEY1")
    box, _tea = gift_set(honey_variant=jar)
    cart = cart_with((box, 2))
    assert [r.is_held for r in carts.summary(cart=cart, currency="USD").rows] == [True]
    assert list(StockHold.objects.filter(cart=cart).values_list("batch__lot_code", "quantity")) == [
        ("BOX1", 2)
    ]

    StockHold.objects.filter(cart=cart).update(held_until=timezone.now())

    assert [r.is_held for r in carts.summary(cart=cart, currency="USD").rows] == [False]


def test_hold_again_holds_expired_lines_for_a_full_hold_time():
    jar = honey()
    BatchFactory(variant=jar)
    cart = cart_with((jar, 2))
    StockHold.objects.filter(cart=cart).update(held_until=timezone.now())
    assert carts.summary(cart=cart, currency="USD").expired_rows

    carts.hold_again(cart=cart)

    summary = carts.summary(cart=cart, currency="USD")
    assert summary.expired_rows == []
    assert held_units(cart) == 2


def test_hold_again_when_stock_went_elsewhere_refuses_and_keeps_the_line():
    jar = honey()
    BatchFactory(variant=jar, quantity_received=2)
    cart = cart_with((jar, 2))
    StockHold.objects.filter(cart=cart).update(held_until=timezone.now())
    cart_with((jar, 1))  # someone else takes one

    with pytest.raises(inventory.OutOfStock) as refused:
        carts.hold_again(cart=cart)

    assert refused.value.available == 1
    assert lines(cart) == [(jar.pk, 2)]


def test_merge_moves_the_guest_lines_into_the_account_cart_and_holds_them_again():
    jar, tea = honey(), VariantFactory()
    BatchFactory(variant=jar, quantity_received=5)
    BatchFactory(variant=tea, quantity_received=5)
    user = UserFactory()
    account = carts.open_cart(token=None, user=user, currency="USD", language="en")
    inventory.hold(cart=account, variant=jar, quantity=1)
    guest = cart_with((jar, 4), (tea, 2))

    merged, changes = carts.merge(guest_cart=guest, user=user)

    guest.refresh_from_db()
    assert merged.pk == account.pk
    assert changes == []
    assert sorted(lines(account)) == sorted([(jar.pk, 5), (tea.pk, 2)])
    assert held_units(account) == 7
    assert guest.status == Cart.Status.MERGED
    assert lines(guest) == []
    assert held_units(guest) == 0


def test_merge_adds_up_to_every_unit_there_is():
    jar = honey()
    BatchFactory(variant=jar, quantity_received=4)
    user = UserFactory()
    account = carts.open_cart(token=None, user=user, currency="USD", language="en")
    inventory.hold(cart=account, variant=jar, quantity=2)
    guest = cart_with((jar, 2))

    merged, changes = carts.merge(guest_cart=guest, user=user)

    assert lines(merged) == [(jar.pk, 4)]
    assert held_units(merged) == 4
    assert changes == []


def test_merge_reports_a_line_whose_units_went_to_someone_else():
    jar = honey()
    BatchFactory(variant=jar, quantity_received=3)
    user = UserFactory()
    guest = cart_with((jar, 3))
    StockHold.objects.filter(cart=guest).update(held_until=timezone.now())
    cart_with((jar, 2))  # while the guest's hold lapsed, another shopper took two

    merged, changes = carts.merge(guest_cart=guest, user=user)

    assert [(c.variant.pk, c.wanted, c.got) for c in changes] == [(jar.pk, 3, 1)]
    assert lines(merged) == [(jar.pk, 1)]
    assert held_units(merged) == 1
