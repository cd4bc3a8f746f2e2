"""Receiving a lot opens its trace record: the batch, its opening stock movement and a
HARVEST event carrying the batch's facts, signed, in one transaction; every door that
receives batches goes through traceability.receipts.receive_lot."""

import ast
import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from shop.models import Batch, StockMovement
from tests.factories import StaffFactory, VariantFactory, VillageFactory
from traceability import checkpoints, receipts, records
from traceability.models import Checkpoint, EventKind, TraceEvent

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DOORS = [
    "shop/workspace/views/stock.py",
    "shop/workspace/imports.py",
    "shop/graphql/cooperative.py",
    "shop/admin/inventory.py",
]


def receive(variant, village, **overrides):
    values = {
        "variant": variant,
        "lot_code": "HM-0312",
        "harvest_date": datetime.date(2026, 3, 12),
        "packing_date": datetime.date(2026, 3, 20),
        "best_before": datetime.date(2027, 3, 20),
        "village": village,
        "quantity": 40,
    }
    return receipts.receive_lot(**{**values, **overrides})


def test_receive_lot_writes_the_opening_harvest_event_with_the_batchs_facts():
    # given a cooperative's variant and the village the lot comes from
    village = VillageFactory(name="Hàm Ninh")
    variant = VariantFactory(product__cooperative__name="HTX Hàm Ninh")
    staff = StaffFactory(cooperative=variant.product.cooperative)

    # when the lot is received
    batch = receive(variant, village, actor=staff)

    # then the batch, its movement and its first event exist, the event holding the facts
    (event,) = TraceEvent.objects.filter(batch=batch)
    assert (event.sequence, event.kind, event.village, event.actor, event.recorded_by) == (
        1,
        EventKind.HARVEST,
        village,
        "HTX Hàm Ninh",
        staff,
    )
    assert event.occurred_at == datetime.datetime(2026, 3, 12, 12, tzinfo=VIETNAM)
    assert event.place == f"Hàm Ninh, {village.province.name}"
    assert event.facts == {
        "gtin": variant.gtin,
        "lot": "HM-0312",
        "harvest_date": "2026-03-12",
        "packing_date": "2026-03-20",
        "best_before": "2027-03-20",
        "village": village.pk,
    }
    assert records.current_facts([event]) == records.batch_facts(batch)
    assert list(StockMovement.objects.values_list("batch", "kind", "quantity")) == [
        (batch.pk, "received", 40)
    ]
    # and the head is signed
    head = checkpoints.latest_head(batch_id=batch.pk)
    assert (head.events, head.head) == (1, event.hash)


def test_a_harvest_today_before_noon_is_recorded_now_not_in_the_future():
    now = datetime.datetime(2026, 3, 12, 8, 30, tzinfo=VIETNAM)

    assert receipts.harvest_moment(datetime.date(2026, 3, 12), now=now) == now
    assert receipts.harvest_moment(datetime.date(2026, 3, 11), now=now) == datetime.datetime(
        2026, 3, 11, 12, tzinfo=VIETNAM
    )


def test_a_refused_lot_writes_nothing():
    with pytest.raises(ValidationError):
        receive(VariantFactory(), VillageFactory(), lot_code="bad lot ✗")

    counts = [m.objects.count() for m in (Batch, StockMovement, TraceEvent, Checkpoint)]
    assert counts == [0, 0, 0, 0]


def test_every_door_that_receives_batches_goes_through_receive_lot():
    for door in DOORS:
        source = (ROOT / door).read_text()
        calls = {
            ast.unparse(node.func)
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call)
        }
        assert "receipts.receive_lot" in calls, door
        assert "inventory.receive_batch" not in calls, door


def test_the_workspace_receive_form_opens_the_record(client):
    village = VillageFactory()
    variant = VariantFactory(product__cooperative__village=village)
    client.force_login(StaffFactory(cooperative=variant.product.cooperative))

    response = client.post(
        "/coop/batches/receive/",
        {
            "variant": variant.pk,
            "quantity": "12",
            "harvest_date": "2026-03-12",
            "packing_date": "2026-03-14",
            "best_before": "2027-03-14",
            "village": village.pk,
            "lot_code": "WS-01",
        },
    )

    assert response.status_code == 302
    batch = Batch.objects.get()
    assert list(batch.trace_events.values_list("kind", "facts__lot")) == [("harvest", "WS-01")]
