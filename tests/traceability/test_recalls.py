"""Recalling a batch (traceability.recalls.recall_batch): who may, what it writes at once,
and that the batch can no longer be held, sold or shown without the notice."""

import dataclasses
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop import checkout, inventory, orders
from shop.models import AllocationState, Batch, BatchStatus, Order, OrderLineBatch
from tests.factories import BatchFactory, CartFactory, StaffFactory, UserFactory
from tests.shop.checkout_data import GERMANY, cart_with, shipping_zones
from tests.traceability.factories import add_events
from tests.traceability.recall_data import (
    BOX_LOT,
    LOT,
    REASON,
    buy,
    gift_box_with,
    honey_batch,
    staff_of,
    superuser,
)
from traceability import recalls
from traceability.links import digital_link_path
from traceability.models import EventKind, NoticeStatus, Recall, RecallNotice, TraceEvent

pytestmark = pytest.mark.django_db


def path_of(batch) -> str:
    return digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)


def nothing_written(batch) -> None:
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ON_SALE
    assert not Recall.objects.exists()
    assert not RecallNotice.objects.exists()
    assert not TraceEvent.objects.filter(batch=batch).exists()


# Who may recall


def test_staff_of_the_batchs_cooperative_recall_it(django_capture_on_commit_callbacks):
    # Given a batch of honey and a staff member of its cooperative
    batch = honey_batch()
    staff = staff_of(batch)

    # When they recall it
    with django_capture_on_commit_callbacks() as callbacks:
        recall = recalls.recall_batch(batch=batch, reason=f"  {REASON}\n", actor=staff)

    # Then the batch is recalled, the Recall names the reason and who, and after the commit
    # the page is refreshed and the notice task queued
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RECALLED
    assert (recall.batch_id, recall.reason, recall.actor) == (batch.pk, REASON, staff)
    names = [c.__name__ if hasattr(c, "__name__") else c.func.__name__ for c in callbacks]
    assert names.count("invalidate_batch_page") == 2  # the recall event's and the recall's
    assert names[-1] == "delay"


def test_the_recall_joins_the_batchs_event_log_in_both_languages():
    batch = honey_batch()
    add_events(batch, 2)
    staff = staff_of(batch)

    recalls.recall_batch(batch=batch, reason=REASON, actor=staff)

    event = TraceEvent.objects.get(batch=batch, sequence=3)
    assert (event.kind, event.biz_step) == (EventKind.INSPECTION, "inspecting")
    assert event.notes_en == f"Batch recalled. Reason: {REASON}"
    assert event.notes_vi == f"Lô hàng bị thu hồi. Lý do: {REASON}"
    assert event.actor == batch.variant.product.cooperative.name
    assert event.recorded_by == staff


def test_a_superuser_may_recall_any_batch_and_signs_as_the_shop():
    batch = honey_batch()

    recalls.recall_batch(batch=batch, reason=REASON, actor=superuser())

    batch.refresh_from_db()
    assert batch.status == BatchStatus.RECALLED
    assert TraceEvent.objects.get(batch=batch).actor == "OCOP Village Shop"


@pytest.mark.parametrize(
    "who",
    ["other_cooperative", "shopper", "inactive_staff", "staff_without_is_staff", "anonymous"],
)
def test_anyone_else_is_refused_and_nothing_is_written(who):
    from django.contrib.auth.models import AnonymousUser

    batch = honey_batch()
    actor = {
        "other_cooperative": lambda: StaffFactory(),
        "shopper": lambda: UserFactory(),
        "inactive_staff": lambda: staff_of(batch, is_active=False),
        "staff_without_is_staff": lambda: staff_of(batch, is_staff=False),
        "anonymous": AnonymousUser,
    }[who]()

    with pytest.raises(recalls.RecallNotAllowed):
        recalls.recall_batch(batch=batch, reason=REASON, actor=actor)

    nothing_written(batch)


def test_refusal_is_a_permission_denied_so_a_view_that_forgets_it_answers_403():
    from django.core.exceptions import PermissionDenied

    assert issubclass(recalls.RecallNotAllowed, PermissionDenied)


@pytest.mark.parametrize("reason", ["", "   \n ", "x" * 1001])
def test_a_recall_needs_a_reason_buyers_can_read(reason):
    batch = honey_batch()

    with pytest.raises(recalls.InvalidReason):
        recalls.recall_batch(batch=batch, reason=reason, actor=staff_of(batch))

    nothing_written(batch)


def test_recalling_again_is_a_no_op_that_returns_the_first_recall(
    django_capture_on_commit_callbacks,
):
    # Given a recalled batch (a double-clicked confirm button sends the form twice)
    batch = honey_batch()
    staff = staff_of(batch)
    first = recalls.recall_batch(batch=batch, reason=REASON, actor=staff)

    # When it is recalled again, with another reason
    with django_capture_on_commit_callbacks() as callbacks:
        again = recalls.recall_batch(batch=batch, reason="Something else entirely", actor=staff)

    # Then nothing changes and nothing is queued: no buyer hears twice
    assert again == first
    assert Recall.objects.get().reason == REASON
    assert TraceEvent.objects.filter(batch=batch).count() == 1
    assert callbacks == []


def test_a_batch_recalled_by_a_bare_status_edit_still_gets_its_recall():
    batch = honey_batch()
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RECALLED)

    recall = recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))

    assert Recall.objects.get() == recall


# The affected orders


def test_every_order_holding_units_is_listed_once_gift_boxes_included():
    # Given orders of the batch: shipped (sold), unpaid (allocated), shipped gift boxes
    # assembled from it with a jar besides, one cancelled (released), and a paid order of
    # another batch
    batch = honey_batch()
    jar = batch.variant
    paid = buy((jar, 3), email="anna@example.de", language="de", shipped=True)
    unpaid = buy((jar, 2), email="binh@example.vn", language="vi", paid=False)
    box = gift_box_with(batch)
    boxed = buy((box, 2), (jar, 1), email="chloe@example.fr", shipped=True)
    cancelled = buy((jar, 4), email="dirk@example.nl", paid=False)
    orders.cancel(order_id=cancelled.pk)
    other = BatchFactory(lot_code="OTHER1")
    buy((other.variant, 1), email="eve@example.de", shipped=True)

    # When the batch is recalled
    recall = recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))

    # Then one pending notice per order that holds units, with its units, language and
    # what the recall did; the box lot has its own recall, caused by this one
    assert list(
        recall.notices.order_by("order_id").values_list(
            "order__number", "email", "language", "units", "status", "order_cancelled", "action"
        )
    ) == [
        (paid.number, "anna@example.de", "de", 3, NoticeStatus.PENDING, False, "do_not_use"),
        (unpaid.number, "binh@example.vn", "vi", 2, NoticeStatus.PENDING, False, "cancelled"),
        (boxed.number, "chloe@example.fr", "en", 1, NoticeStatus.PENDING, False, "do_not_use"),
    ]
    box_recall = Recall.objects.get(caused_by=recall)
    assert box_recall.batch.lot_code == BOX_LOT
    assert box_recall.reason == f"Contains lot {LOT}, recalled: {REASON}"
    assert list(box_recall.notices.values_list("order__number", "units", "action")) == [
        (boxed.number, 2, "do_not_use")
    ]


def test_a_recall_with_no_buyers_lists_no_orders():
    batch = honey_batch()

    recall = recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))

    assert recall.notices.count() == 0


# Off sale at once


def test_a_recalled_batch_can_no_longer_be_held():
    batch = honey_batch()
    recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))
    cart = CartFactory()

    with pytest.raises(inventory.OutOfStock) as refused:
        inventory.hold(cart=cart, variant=batch.variant, quantity=1)

    assert (refused.value.requested, refused.value.available) == (1, 0)
    assert not cart.lines.exists()


def test_a_cart_holding_the_batch_cannot_check_out_after_the_recall():
    # Given a cart that held two jars before the batch was recalled
    batch = honey_batch()
    methods = shipping_zones()
    cart = cart_with((batch.variant, 2))
    checkout.save_details(cart=cart, details=dataclasses.replace(GERMANY, is_gift=False))
    recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))

    # When the shopper places the order
    with pytest.raises(inventory.HoldExpired):
        checkout.place_order(
            cart=cart, shipping_method_id=methods["Europe"][0].pk, currency="USD", language="en"
        )

    # Then no order and no allocation was written
    assert not Order.objects.exists()
    assert not OrderLineBatch.objects.exists()
    cart.refresh_from_db()
    assert cart.status == cart.Status.OPEN


def test_the_recalled_batchs_units_no_longer_count_as_available():
    batch = honey_batch()
    buy((batch.variant, 3), email="anna@example.de", shipped=True)

    recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))

    assert not Batch.objects.on_sale().filter(pk=batch.pk).exists()
    assert OrderLineBatch.objects.get().state == AllocationState.SOLD


# The trace page and gs1:recallStatus


def test_the_trace_page_shows_the_notice_reason_and_date_at_once(
    client, django_capture_on_commit_callbacks
):
    # Given a batch whose page has been seen (and cached)
    batch = honey_batch()
    before = client.get(path_of(batch), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # When it is recalled
    with django_capture_on_commit_callbacks(execute=True):
        recall = recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))

    # Then the page says so, with the reason and the date, in both languages
    english = client.get(path_of(batch), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    vietnamese = client.get(path_of(batch), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "This batch has been recalled" not in before
    day = recall.created_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert "This batch has been recalled" in english
    assert f"Recalled on {day:%b} {day.day}, {day.year}." in english
    assert f"<strong>Reason:</strong> {REASON}" in english
    assert "Lô hàng này đã bị thu hồi" in vietnamese
    assert f"Thu hồi ngày {day.day} tháng {day.month}, {day.year}." in vietnamese
    assert f"<strong>Lý do:</strong> {REASON}" in vietnamese


def test_a_recalled_page_costs_the_same_queries_and_is_cached(client):
    fine, recalled = honey_batch(), BatchFactory()
    add_events(fine, 3)
    add_events(recalled, 3)
    recalls.recall_batch(batch=recalled, reason=REASON, actor=superuser())

    def queries(batch) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path_of(batch)).status_code == 200
        return len(captured)

    assert queries(fine) == queries(recalled) == 4  # with the latest signed head
    assert queries(recalled) == 0


def test_recall_status_gives_the_reason_and_date_once_recalled(client):
    batch = honey_batch()
    recall = recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))

    as_json = client.get(
        path_of(batch), {"linkType": "gs1:recallStatus"}, HTTP_ACCEPT="application/json"
    )
    as_html = client.get(
        path_of(batch), {"linkType": "gs1:recallStatus"}, HTTP_ACCEPT="text/html"
    ).content.decode()

    assert as_json.json() == {
        "anchor": f"http://127.0.0.1:8000{path_of(batch)}",
        "gtin": batch.variant.gtin,
        "lot": LOT,
        "recalled": True,
        "reason": REASON,
        "recalledAt": recall.created_at.isoformat(),
    }
    assert "This batch has been recalled" in as_html
    assert f"<strong>Reason:</strong> {REASON}" in as_html


def test_a_gift_set_page_marks_a_recalled_component(client):
    from tests.traceability.factories import gift_set_with_components

    gift_batch, components = gift_set_with_components(2)

    recalls.recall_batch(batch=components[0], reason=REASON, actor=superuser())

    html = client.get(path_of(gift_batch)).content.decode()
    assert html.count('<span class="badge badge-expired">recalled</span>') == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_hold_racing_the_recall_waits_for_it_and_is_refused():
    """The recall locks the batch row as inventory does: a hold asked for meanwhile waits
    for the recall to commit, then finds the batch off sale."""
    import threading

    from django.db import connections, transaction

    from shop.models import StockHold

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with CI=true)")
    batch = honey_batch()
    staff = staff_of(batch)
    cart = CartFactory()
    locked, release, outcome = threading.Event(), threading.Event(), {}

    def recall():
        try:
            with transaction.atomic():
                recalls.recall_batch(batch=batch, reason=REASON, actor=staff)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    def hold():
        try:
            inventory.hold(cart=cart, variant=batch.variant, quantity=1)
            outcome["hold"] = "held"
        except inventory.OutOfStock as refused:
            outcome["hold"] = f"refused, {refused.available} available"
        finally:
            connections.close_all()

    recalling = threading.Thread(target=recall)
    recalling.start()
    assert locked.wait(10)
    holding = threading.Thread(target=hold)
    holding.start()
    holding.join(timeout=1)
    assert holding.is_alive(), "the hold should wait for the recall's lock"
    release.set()
    recalling.join(timeout=20)
    holding.join(timeout=20)

    assert outcome == {"hold": "refused, 0 available"}
    assert not StockHold.objects.exists()
