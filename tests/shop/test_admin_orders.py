"""The orders admin: operators see an order whole and refund it through Stripe; a
cooperative's staff see only orders holding their products, only their own lines, and may
not refund."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse

from shop.models import Batch, Order, OrderStatus, Refund
from shop.payments import settlement
from tests.factories import BatchFactory, StaffFactory, UserFactory
from tests.shop.admin_forms import change_form_data
from tests.shop.checkout_data import honey, placed_order
from tests.shop.payments.stripe_data import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def jars():
    return BatchFactory(variant=honey(), lot_code="HONEY1", quantity_received=10)


@pytest.fixture
def tea():
    return BatchFactory(lot_code="TEA1", quantity_received=10)


@pytest.fixture
def paid(fake_stripe, jars):
    """Two jars of honey (37.80 USD), paid through the fake Stripe."""
    order = placed_order((jars.variant, 2))
    payment = start(order)
    with transaction.atomic():
        settlement.succeeded(intent=fake_stripe.succeed(payment.reference))
    order.refresh_from_db()
    return order


@pytest.fixture
def operator(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def change_url(order: Order) -> str:
    return reverse("admin:shop_order_change", args=[order.pk])


def refund_url(order: Order) -> str:
    return reverse("admin:shop_order_refund", args=[order.pk])


def test_operators_see_the_whole_order_and_its_refund_button(client, operator, paid):
    response = client.get(change_url(paid))

    html = response.content.decode()
    assert response.status_code == 200
    assert "HONEY1 × 2 (Sold)" in html
    reference = paid.payments.get().reference
    assert f"Stripe payment {reference}" in html  # the status history
    assert f"stripe {reference} (succeeded)" in html  # the payments
    assert refund_url(paid) in html
    assert "Refund this order" in html


def test_operators_refund_part_of_an_order_and_put_the_jars_back(
    client, operator, paid, fake_stripe
):
    response = client.post(
        refund_url(paid), {"amount": "10.00", "restock": "on", "reason": "One jar broke"}
    )

    assert response.status_code == 302
    assert response.url == change_url(paid)
    assert [r["amount"] for r in fake_stripe.refunds.values()] == [1000]
    refund = Refund.objects.get()
    assert (refund.amount, refund.restocked, refund.created_by) == (
        Decimal("10.00"),
        True,
        operator,
    )
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 10
    page = client.get(change_url(paid)).content.decode()
    assert "Refunded $10.00." in page


def test_a_full_refund_from_the_admin_marks_the_order_refunded(client, operator, paid, fake_stripe):
    client.post(refund_url(paid), {"amount": "", "reason": "Customer changed their mind"})

    paid.refresh_from_db()
    assert paid.status == OrderStatus.REFUNDED
    assert [r["amount"] for r in fake_stripe.refunds.values()] == [3780]
    assert Batch.objects.get(lot_code="HONEY1").on_hand == 8


def test_too_much_is_a_form_error_and_refunds_nothing(client, operator, paid, fake_stripe):
    response = client.post(refund_url(paid), {"amount": "50.00", "reason": "x"})

    assert response.status_code == 200
    assert "At most $37.80 can still be refunded. Nothing was refunded." in (
        response.content.decode()
    )
    assert Refund.objects.count() == 0
    assert fake_stripe.refunds == {}


def test_the_refund_form_speaks_vietnamese(client, operator, paid, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    html = client.get(refund_url(paid)).content.decode()

    assert "Hoàn tiền" in html


def test_cooperative_staff_see_only_orders_with_their_products(client, paid, jars, tea):
    other = placed_order((tea.variant, 1))
    staff = StaffFactory(cooperative=jars.variant.product.cooperative)
    client.force_login(staff)

    listing = client.get(reverse("admin:shop_order_changelist"))
    elsewhere = client.get(change_url(other), follow=True)

    assert [o.pk for o in listing.context["cl"].result_list] == [paid.pk]
    assert elsewhere.redirect_chain == [(reverse("admin:index"), 302)]
    assert other.number not in elsewhere.content.decode()


def test_cooperative_staff_see_only_their_own_lines_and_no_money_moves(
    client, fake_stripe, jars, tea
):
    # given an order of honey (cooperative A) and tea (cooperative B)
    order = placed_order((jars.variant, 1), (tea.variant, 1))
    start(order)
    client.force_login(StaffFactory(cooperative=jars.variant.product.cooperative))

    html = client.get(change_url(order)).content.decode()

    assert "HONEY1" in html
    assert "TEA1" not in html
    assert "Refund this order" not in html
    assert order.payments.get().reference not in html


def test_cooperative_staff_may_not_refund(client, paid, jars, fake_stripe):
    client.force_login(StaffFactory(cooperative=jars.variant.product.cooperative))

    shown = client.get(refund_url(paid))
    posted = client.post(refund_url(paid), {"amount": "", "reason": "x"})

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert Refund.objects.count() == 0
    assert fake_stripe.refunds == {}


def test_central_staff_without_the_refund_permission_may_not_refund(client, paid, fake_stripe):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(clerk)

    assert client.get(change_url(paid)).status_code == 200
    assert client.post(refund_url(paid), {"amount": "", "reason": "x"}).status_code == 403
    assert fake_stripe.refunds == {}


def test_orders_are_neither_added_nor_deleted_in_the_admin(client, operator, paid):
    assert client.get(reverse("admin:shop_order_add")).status_code == 403
    assert client.post(reverse("admin:shop_order_delete", args=[paid.pk])).status_code == 403
    assert Order.objects.filter(pk=paid.pk).exists()


def test_operators_clear_the_review_flag_and_nothing_else_changes(client, operator, paid):
    Order.objects.filter(pk=paid.pk).update(needs_review=True, review_note="Amount mismatch")
    data = change_form_data(client.get(change_url(paid)))
    data.pop("needs_review", None)
    data.update(review_note="Checked with Stripe: fine", total="0.01", status="cancelled")

    response = client.post(change_url(paid), data)

    assert response.status_code == 302
    paid_after = Order.objects.get(pk=paid.pk)
    assert (paid_after.needs_review, paid_after.review_note) == (False, "Checked with Stripe: fine")
    assert (paid_after.status, paid_after.total) == (OrderStatus.PAID, Decimal("37.80"))
