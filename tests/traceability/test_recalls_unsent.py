"""A recall stops goods that have not left: shipments waiting to be packed go on hold, their
units come back to the lot, each line is re-allocated from another lot (the buyer is told
which) or refunded; box lots assembled from the lot are recalled with it and reach their
buyers; only buyers whose units shipped are told not to use them, each once."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from shop import inventory
from shop.models import (
    AllocationState,
    Batch,
    BatchStatus,
    OrderLineBatch,
    OrderStatus,
    Refund,
    RefundLine,
)
from shop.models.fulfilment import Shipment, ShipmentStatus
from tests.factories import BatchFactory, VariantFactory
from tests.traceability.recall_data import (
    BOX_LOT,
    LOT,
    REASON,
    buy,
    gift_box_with,
    honey_batch,
    staff_of,
)
from traceability import recalls
from traceability.models import NoticeAction, NoticeStatus, Recall, RecallNotice

pytestmark = pytest.mark.django_db


def recall_and_notify(batch) -> Recall:
    """Recall, then run what the worker runs after the commit (refunds, cancels, emails)."""
    recall = recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))
    for notice_id in recalls.prepare_notices(recall_id=recall.pk):
        recalls.send_notice(notice_id=notice_id)
    return recall


def emails() -> dict[str, str]:
    return {message.to[0]: message.body for message in mail.outbox}


def spare_lot(batch, lot_code="HN2504", **fields):
    return BatchFactory(variant=batch.variant, lot_code=lot_code, **fields)


def test_an_unpacked_order_is_re_allocated_and_its_buyer_told_the_new_lot():
    # Given a paid order waiting to be packed, and another lot of the same jar
    batch = honey_batch()
    spare_lot(batch)
    order = buy((batch.variant, 3), email="anna@example.de", buyer_name="Anna Schmidt")

    # When the lot is recalled and the worker has run
    recall = recall_and_notify(batch)

    # Then the jars come from lot HN2504, the shipment is back to be packed
    assert list(
        OrderLineBatch.objects.filter(line__order=order)
        .order_by("pk")
        .values_list("batch__lot_code", "state")
    ) == [(LOT, AllocationState.RETURNED), ("HN2504", AllocationState.SOLD)]
    assert Shipment.objects.get(order=order).status == ShipmentStatus.TO_PACK
    notice = recall.notices.get()
    assert (notice.action, notice.replacement_lot, notice.units, notice.status) == (
        NoticeAction.REPLACED,
        "HN2504",
        3,
        NoticeStatus.SENT,
    )
    # and the buyer is told where their jars come from, not to throw anything away
    body = emails()["anna@example.de"]
    assert "your item will come from lot HN2504 instead. You need do nothing." in body
    assert "Do not eat" not in body
    assert not Refund.objects.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_an_unpacked_order_no_lot_can_fill_is_refunded_and_its_shipment_cancelled():
    # Given a paid order of 3 jars (10.90 USD each) and no other lot
    batch = honey_batch()
    order = buy((batch.variant, 3), email="anna@example.de")

    recall = recall_and_notify(batch)

    # Then all its money goes back (nothing of it is left to send), naming the line, with
    # no restock (the units are back on the recalled lot already)
    refund = Refund.objects.get()
    assert (refund.amount, refund.restocked) == (order.total, False)
    assert list(RefundLine.objects.values_list("line_id", "quantity", "restocked")) == [
        (order.lines.get().pk, 3, 0)
    ]
    assert refund.reason == f"Recall {recall.pk}: lot {LOT} withdrawn unsent"
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert Shipment.objects.get(order=order).status == ShipmentStatus.CANCELLED
    batch.refresh_from_db()
    assert batch.on_hand == 20 == inventory.ledger_on_hand(batch_id=batch.pk)
    assert recall.notices.get().action == NoticeAction.REFUNDED
    body = emails()["anna@example.de"]
    assert f"no other lot was there to replace it: we refunded ${refund.amount} for it." in body
    assert "Do not eat" not in body


def test_a_refunded_line_beside_other_goods_gives_back_its_price_and_the_rest_ships():
    # Given an order of 2 jars of the lot and a bottle of the same cooperative
    batch = honey_batch()
    bottle = VariantFactory(product__cooperative=batch.variant.product.cooperative)
    BatchFactory(variant=bottle, lot_code="SAUCE1")
    order = buy((batch.variant, 2), (bottle, 1), email="anna@example.de")

    recall_and_notify(batch)

    refund = Refund.objects.get()
    assert refund.amount == Decimal("21.80")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    shipment = Shipment.objects.get(order=order)
    assert (shipment.status, shipment.hold_reason) == (ShipmentStatus.TO_PACK, "")


def test_running_the_worker_twice_refunds_once():
    batch = honey_batch()
    buy((batch.variant, 1), email="anna@example.de")
    recall = recall_and_notify(batch)

    recalls.prepare_notices(recall_id=recall.pk)
    recalls.refund_withdrawn(recall_id=recall.pk)

    assert Refund.objects.count() == 1
    assert len(mail.outbox) == 1


def test_only_buyers_whose_units_shipped_are_told_not_to_use_them_each_once():
    # Given a buyer with a shipped order and an unpacked one, and another buyer unpacked
    batch = honey_batch()
    spare_lot(batch)
    shipped = buy((batch.variant, 2), email="anna@example.de", shipped=True)
    waiting = buy((batch.variant, 1), email="Anna@example.de")
    buy((batch.variant, 1), email="binh@example.vn", language="vi")

    recall = recall_and_notify(batch)
    recalls.prepare_notices(recall_id=recall.pk)

    # Then Anna gets one email: do not use the shipped jars, the other order is replaced
    assert sorted(emails()) == ["anna@example.de", "binh@example.vn"]
    anna = emails()["anna@example.de"]
    assert "Do not eat, drink or use this product." in anna
    assert f"Order {shipped.number}: 2 units" in anna
    assert "These units were sent to you: do not use them." in anna
    assert f"Order {waiting.number}: 1 unit" in anna
    assert "your item will come from lot HN2504 instead" in anna
    binh = emails()["binh@example.vn"]
    assert "Không ăn, uống hoặc sử dụng sản phẩm này." not in binh
    assert "HN2504" in binh
    assert list(recall.notices.order_by("order_id").values_list("action", flat=True)) == [
        NoticeAction.DO_NOT_USE,
        NoticeAction.REPLACED,
        NoticeAction.REPLACED,
    ]


def test_a_component_lot_recall_reaches_the_buyers_of_boxes_made_from_it():
    # Given boxes assembled from the lot: one buyer's box shipped, another's waits; a
    # second box lot made from another honey lot can replace it
    batch = honey_batch()
    box = gift_box_with(batch, boxes=3)
    shipped = buy((box, 1), email="anna@example.de", shipped=True)
    waiting = buy((box, 1), email="binh@example.vn")
    other_honey = spare_lot(batch, best_before=batch.best_before + datetime.timedelta(days=5))
    from shop.fulfilment import assembly
    from shop.models import Batch as Lot

    tea_lot = Lot.objects.get(lot_code="TEA1")
    assembly.assemble(
        gift_set=box,
        boxes=2,
        actor=None,
        lots={other_honey.pk: 2, tea_lot.pk: 4},
        lot_code="BOX2504",
    )

    # When the honey lot is recalled
    recall = recall_and_notify(batch)

    # Then the box lot is recalled with it, saying why
    box_recall = Recall.objects.get(caused_by=recall)
    assert box_recall.batch.lot_code == BOX_LOT
    assert box_recall.batch.status == BatchStatus.RECALLED
    assert box_recall.reason == f"Contains lot {LOT}, recalled: {REASON}"
    assert Lot.objects.get(lot_code="BOX2504").status == BatchStatus.ON_SALE
    # the shipped box's buyer is told not to use it, the waiting one gets box lot BOX2504
    assert list(
        box_recall.notices.order_by("order_id").values_list(
            "order__number", "action", "replacement_lot"
        )
    ) == [
        (shipped.number, NoticeAction.DO_NOT_USE, ""),
        (waiting.number, NoticeAction.REPLACED, "BOX2504"),
    ]
    anna, binh = emails()["anna@example.de"], emails()["binh@example.vn"]
    assert f"Your gift box comes from lot {BOX_LOT}, which contains lot {LOT}." in anna
    assert "These units were sent to you: do not use them." in anna
    assert "BOX2504" in binh
    assert len(mail.outbox) == 2


def test_preview_shows_exactly_what_the_recall_will_touch():
    # Given: a shipped order (2 jars), two unpacked orders of one buyer (1 + 3 jars), an
    # unpaid order (1 jar), a shipped order of a box (from a box lot of 3) and a jar
    batch = honey_batch()
    box = gift_box_with(batch, boxes=3)
    buy((batch.variant, 2), email="anna@example.de", shipped=True)
    buy((batch.variant, 1), email="binh@example.vn")
    buy((batch.variant, 3), email="BINH@example.vn")
    buy((batch.variant, 1), email="chloe@example.fr", paid=False)
    buy((box, 1), (batch.variant, 1), email="dirk@example.nl", shipped=True)
    batch.refresh_from_db()
    assert batch.on_hand == 20 - 3 - 2 - 1 - 3 - 1

    impact = recalls.preview(batch=batch)

    assert impact.orders == 5
    assert impact.buyers == 4
    assert impact.unpaid_orders == 1
    assert impact.shipments_on_hold == 2
    assert impact.units_withdrawn == 4
    assert impact.shipped_units == 4
    assert [b.lot_code for b in impact.box_lots] == [BOX_LOT]
    assert impact.on_hand == 10 + 2
    assert impact.units_to_quarantine == 10 + 2 + 4
    # and after the recall the lots hold exactly that on hand, none of it sellable
    recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))
    lots = Batch.objects.filter(lot_code__in=[LOT, BOX_LOT]).with_available()
    assert sum(lot.on_hand for lot in lots) == impact.units_to_quarantine
    assert not Batch.objects.sellable().filter(lot_code__in=[LOT, BOX_LOT]).exists()
    # one notice per order and lot: Dirk's order holds the lot twice (a jar, a box)
    assert RecallNotice.objects.count() == 6


def test_the_packer_is_told_to_pick_the_new_lot_only(client):
    # Given a paid order waiting to be packed, re-allocated by the recall to lot HN2504
    from django.urls import reverse

    batch = honey_batch()
    spare_lot(batch)
    order = buy((batch.variant, 3), email="anna@example.de")
    recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))
    client.force_login(staff_of(batch))

    # When the cooperative opens the order and its packing slip, and the buyer theirs
    pages = [
        client.get(reverse("coop:order", args=[order.number])).content.decode(),
        client.get(reverse("coop:packing_slip", args=[order.number])).content.decode(),
        client.get(reverse("shop:packing_slip", args=[order.token])).content.decode(),
    ]

    # Then each names the new lot and never the recalled one
    for html in pages:
        assert "HN2504" in html
        assert LOT not in html
