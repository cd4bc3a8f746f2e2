"""The dashboard: stock by batch with what is held and sold, the alerts, orders to pack."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shop import inventory
from shop.fulfilment.payment import pay_order
from shop.models import BatchStatus
from shop.workspace import selectors
from tests.factories import BatchFactory, CartFactory, VariantFactory
from tests.shop.checkout_data import placed_order

pytestmark = pytest.mark.django_db


def test_each_batch_shows_on_hand_held_sold_and_what_can_still_be_sold(variant, batch, coop):
    # given 40 units received, 3 sold in a paid order, 2 in an unpaid order, 4 in a cart
    paid = placed_order((variant, 3))
    pay_order(order_id=paid.pk)
    placed_order((variant, 2))
    inventory.hold(cart=CartFactory(), variant=variant, quantity=4)

    # when the dashboard is read
    board = selectors.dashboard(cooperative_id=coop.pk)

    # then the one batch shows the ledger's figures
    [row] = board.rows
    assert row.batch.pk == batch.pk
    assert row.batch.on_hand == 37
    assert row.held == 6
    assert row.batch.sold_units == 3
    assert row.batch.available == 31
    assert row.status == BatchStatus.ON_SALE
    assert [o.number for o in board.orders_to_pack] == [paid.number]


def test_low_stock_counts_what_a_shopper_can_buy_of_each_variant(coop, variant, settings):
    settings.LOW_STOCK_THRESHOLD = 5
    BatchFactory(variant=variant, lot_code="A", quantity_received=3)
    BatchFactory(variant=variant, lot_code="B", quantity_received=2)
    plenty = VariantFactory(product=variant.product, sku="NM-1000")
    BatchFactory(variant=plenty, lot_code="C", quantity_received=6)
    never_received = VariantFactory(product=variant.product, sku="NM-250")
    # a gift set counts its box lots: none assembled yet, so it is time to assemble
    box = VariantFactory(product__cooperative=coop, product__is_gift_set=True, sku="BOX-1")

    board = selectors.dashboard(cooperative_id=coop.pk)

    assert sorted((item.variant.pk, item.available) for item in board.low_stock) == sorted(
        [
            (variant.pk, 5),
            (never_received.pk, 0),
            (box.pk, 0),
        ]
    )
    assert plenty.pk not in {item.variant.pk for item in board.low_stock}


def test_batches_within_thirty_days_of_best_before_are_flagged(coop, variant, today):
    soon = BatchFactory(
        variant=variant,
        lot_code="SOON",
        harvest_date=today - datetime.timedelta(days=300),
        packing_date=today - datetime.timedelta(days=300),
        best_before=today + datetime.timedelta(days=30),
    )
    later = BatchFactory(
        variant=variant, lot_code="LATER", best_before=today + datetime.timedelta(days=31)
    )

    board = selectors.dashboard(cooperative_id=coop.pk)

    assert [row.batch.lot_code for row in board.near_expiry] == ["SOON"]
    soon_row = next(row for row in board.rows if row.batch.pk == soon.pk)
    later_row = next(row for row in board.rows if row.batch.pk == later.pk)
    assert (soon_row.days_left, soon_row.near_expiry) == (30, True)
    assert (later_row.days_left, later_row.near_expiry) == (31, False)


def test_the_dashboard_page_shows_alerts_batches_and_orders_in_vietnamese(
    staff_client, variant, batch, today, settings
):
    settings.LOW_STOCK_THRESHOLD = 50
    paid = placed_order((variant, 1))
    pay_order(order_id=paid.pk)

    html = staff_client.get("/coop/").content.decode()

    assert "HTX Nước mắm Hàm Ninh" in html
    assert "NMPQ-1" in html
    assert "Sắp hết hàng" in html
    assert paid.number in html
    assert "1 đơn cần đóng gói" in html
    assert f'href="/coop/batches/{batch.pk}/"' in html


def test_other_cooperatives_batches_and_orders_never_appear(
    staff_client, batch, other_batch, other_variant
):
    theirs = placed_order((other_variant, 1))
    pay_order(order_id=theirs.pk)

    html = staff_client.get("/coop/").content.decode()

    assert "TEA-1" not in html
    assert theirs.number not in html
    assert "Chè Tân Cương" not in html


def test_the_dashboard_makes_the_same_number_of_queries_however_many_batches(
    staff_client, variant, coop
):
    BatchFactory(variant=variant, lot_code="Q1")
    pay_order(order_id=placed_order((variant, 1)).pk)
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get("/coop/").status_code == 200
    for number in range(8):
        BatchFactory(variant=VariantFactory(product=variant.product), lot_code=f"Q{number + 2}")
    for _ in range(3):
        pay_order(order_id=placed_order((variant, 1)).pk)
    with CaptureQueriesContext(connection) as many:
        assert staff_client.get("/coop/").status_code == 200

    assert len(many) == len(few)


def test_a_recalled_batch_with_stock_is_listed_as_recalled_not_as_expiring(coop, variant, today):
    recalled = BatchFactory(
        variant=variant,
        lot_code="BAD",
        harvest_date=today - datetime.timedelta(days=20),
        packing_date=today - datetime.timedelta(days=20),
        best_before=today + datetime.timedelta(days=5),
    )
    type(recalled).objects.filter(pk=recalled.pk).update(status=BatchStatus.RECALLED)

    board = selectors.dashboard(cooperative_id=coop.pk, now=timezone.now())

    [row] = board.rows
    assert row.status == BatchStatus.RECALLED
    assert row.tone == "bad"
    assert board.near_expiry == []
