"""Orders to pack: only orders holding this cooperative's products, only its own lines; packed,
then shipped with carrier and tracking number, which emails the buyer."""

import pytest
from django.core import mail

from shop.fulfilment.payment import pay_order
from shop.models import OrderStatus
from tests.shop.checkout_data import placed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(variant, batch):
    order = placed_order((variant, 2))
    return pay_order(order_id=order.pk)


@pytest.fixture
def mixed(variant, batch, other_variant, other_batch):
    """A paid order of our fish sauce and another cooperative's tea."""
    order = placed_order((variant, 1), (other_variant, 3))
    return pay_order(order_id=order.pk)


def test_the_list_shows_paid_orders_with_our_products_only(
    staff_client, paid, mixed, other_variant, other_batch
):
    only_theirs = pay_order(order_id=placed_order((other_variant, 1)).pk)
    unpaid_ours = placed_order((paid.lines.first().variant, 1))

    response = staff_client.get("/coop/orders/")

    numbers = [order.number for order in response.context["to_pack"]]
    assert numbers == [paid.number, mixed.number]
    html = response.content.decode()
    assert only_theirs.number not in html
    assert unpaid_ours.number not in html


def test_an_order_page_shows_only_our_lines_and_which_lots_to_pick(staff_client, mixed):
    html = staff_client.get(f"/coop/orders/{mixed.number}/").content.decode()

    assert "Tây Bắc" not in html
    assert "Phu Quoc fish sauce" in html or "Nước mắm Phú Quốc" in html
    assert "Tea" not in html.replace("Tea set", "")
    assert "NMPQ-1" in html
    assert "TEA-1" not in html
    assert "Các hợp tác xã khác đóng gói phần còn lại" in html


def test_the_packing_slip_is_the_shops_template_scoped_to_our_lines(staff_client, paid, mixed):
    own = staff_client.get(f"/coop/orders/{paid.number}/slip/")
    shared = staff_client.get(f"/coop/orders/{mixed.number}/slip/")

    assert [t.name for t in own.templates][0] == "shop/packing_slip.html"
    assert "NMPQ-1" in own.content.decode()
    shared_html = shared.content.decode()
    assert "NMPQ-1" in shared_html
    assert "TEA-1" not in shared_html
    # A partial parcel hides the order's total: it would not match what is inside.
    assert "grand-total" not in shared_html


def test_packing_then_shipping_moves_the_order_and_emails_the_buyer(
    staff_client, staff, paid, django_capture_on_commit_callbacks
):
    packed = staff_client.post(f"/coop/orders/{paid.number}/packed/")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        shipped = staff_client.post(
            f"/coop/orders/{paid.number}/shipped/",
            {"carrier": "VNPost", "tracking_number": "EE123456789VN"},
        )

    paid.refresh_from_db()
    shipment = paid.shipments.get()
    assert packed.status_code == shipped.status_code == 302
    assert paid.status == OrderStatus.SHIPPED
    assert (shipment.carrier, shipment.tracking_number) == ("VNPost", "EE123456789VN")
    # The order's status follows its one shipment: packing is the shipment's own step.
    assert list(paid.history.values_list("to_status", "actor")) == [
        ("unpaid", None),
        ("paid", None),
        ("shipped", staff.pk),
    ]
    assert list(shipment.history.values_list("to_status", "actor")) == [
        ("to_pack", None),
        ("packed", staff.pk),
        ("shipped", staff.pk),
    ]
    [email] = mail.outbox
    assert email.to == ["anna@example.de"]
    assert "EE123456789VN" in email.body


def test_shipping_needs_a_carrier_and_a_tracking_number(
    staff_client, paid, django_capture_on_commit_callbacks
):
    staff_client.post(f"/coop/orders/{paid.number}/packed/")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(
            f"/coop/orders/{paid.number}/shipped/", {"carrier": "VNPost", "tracking_number": "  "}
        )

    paid.refresh_from_db()
    assert response.status_code == 400
    assert paid.status == OrderStatus.PAID
    assert paid.shipments.get().status == "packed"
    assert callbacks == []
    assert mail.outbox == []


def test_an_order_cannot_be_shipped_before_it_is_packed(staff_client, paid):
    response = staff_client.post(
        f"/coop/orders/{paid.number}/shipped/", {"carrier": "DHL", "tracking_number": "1Z"}
    )

    paid.refresh_from_db()
    assert response.status_code == 302
    assert paid.status == OrderStatus.PAID
    assert paid.shipments.get().tracking_number == ""


def test_packing_is_a_post_only_action(staff_client, paid):
    assert staff_client.get(f"/coop/orders/{paid.number}/packed/").status_code == 405
    paid.refresh_from_db()
    assert paid.status == OrderStatus.PAID
    assert paid.shipments.get().status == "to_pack"


def test_the_packed_order_waits_in_the_ship_list_with_the_shipping_form(staff_client, paid):
    staff_client.post(f"/coop/orders/{paid.number}/packed/")

    listing = staff_client.get("/coop/orders/")
    page = staff_client.get(f"/coop/orders/{paid.number}/").content.decode()

    assert [o.number for o in listing.context["to_ship"]] == [paid.number]
    assert list(listing.context["to_pack"]) == []
    assert 'name="tracking_number"' in page
    assert '<datalist id="carriers">' in page
