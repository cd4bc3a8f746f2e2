"""The cooperative API for shipments: a cooperative lists and moves its own shipments only;
another cooperative's shipment is NOT_FOUND and nothing is written; a second "shipped"
with another tracking number is CONFLICT."""

import pytest
from django.core import mail

from shop.graphql import tokens
from shop.models import ShipmentStatusChange
from tests.factories import StaffFactory
from tests.shop.fulfilment.shipment_data import paid_order, two_cooperatives
from tests.shop.graphql.api import data_of

pytestmark = pytest.mark.django_db

ERRORS = "errors { field message code }"
LIST = (
    "query($status: ShipmentStatus) { myCooperative { shipments(status: $status) {"
    " id orderNumber status carrier trackingNumber trackingUrl lines { productName quantity }"
    " } } }"
)
PACK = (
    "mutation($id: ID!) { shipmentMarkPacked(shipmentId: $id) {"
    f" shipment {{ id status }} {ERRORS} }} }}"
)
SHIP = (
    "mutation($id: ID!, $c: String!, $n: String!, $u: String) { shipmentMarkShipped("
    "shipmentId: $id, carrier: $c, trackingNumber: $n, trackingUrl: $u) {"
    f" shipment {{ id status trackingNumber trackingUrl }} {ERRORS} }} }}"
)
DELIVER = (
    "mutation($id: ID!) { shipmentMarkDelivered(shipmentId: $id) {"
    f" shipment {{ id status }} {ERRORS} }} }}"
)


@pytest.fixture
def world():
    (coop_a, box, _), (coop_b, sauce, _) = two_cooperatives()
    order = paid_order((box, 1), (sauce, 2))
    key_a = tokens.issue_token(user=StaffFactory(cooperative=coop_a), name="A")[1]
    return order, coop_a, coop_b, key_a


def test_a_cooperative_lists_and_moves_only_its_own_shipment(
    client, world, django_capture_on_commit_callbacks
):
    order, coop_a, _coop_b, key = world
    own = order.shipments.get(cooperative=coop_a)

    [listed] = data_of(client, LIST, token=key)["myCooperative"]["shipments"]
    packed = data_of(client, PACK, {"id": own.pk}, token=key)["shipmentMarkPacked"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        shipped = data_of(
            client,
            SHIP,
            {"id": own.pk, "c": "EMS", "n": "EE9VN", "u": "https://ems.example/EE9VN"},
            token=key,
        )["shipmentMarkShipped"]
    delivered = data_of(client, DELIVER, {"id": own.pk}, token=key)["shipmentMarkDelivered"]

    assert listed["orderNumber"] == order.number
    assert listed["status"] == "TO_PACK"
    assert [line["productName"] for line in listed["lines"]] == ["Tết gift box"]
    assert packed == {"shipment": {"id": str(own.pk), "status": "PACKED"}, "errors": []}
    assert shipped["shipment"]["trackingUrl"] == "https://ems.example/EE9VN"
    assert delivered["shipment"]["status"] == "DELIVERED"
    [email] = mail.outbox
    assert "EE9VN" in email.body


def test_another_cooperatives_shipment_is_not_found_and_nothing_is_written(client, world):
    order, _coop_a, coop_b, key = world
    theirs = order.shipments.get(cooperative=coop_b)
    rows = ShipmentStatusChange.objects.count()

    answers = [
        data_of(client, PACK, {"id": theirs.pk}, token=key)["shipmentMarkPacked"],
        data_of(client, SHIP, {"id": theirs.pk, "c": "DHL", "n": "X"}, token=key)[
            "shipmentMarkShipped"
        ],
        data_of(client, DELIVER, {"id": "nope"}, token=key)["shipmentMarkDelivered"],
    ]

    assert [a["errors"][0]["code"] for a in answers] == ["NOT_FOUND"] * 3
    assert all(a["shipment"] is None for a in answers)
    theirs.refresh_from_db()
    assert theirs.status == "to_pack"
    assert ShipmentStatusChange.objects.count() == rows


def test_a_second_tracking_number_is_a_conflict(client, world):
    order, coop_a, _coop_b, key = world
    own = order.shipments.get(cooperative=coop_a)
    data_of(client, PACK, {"id": own.pk}, token=key)
    data_of(client, SHIP, {"id": own.pk, "c": "EMS", "n": "E1"}, token=key)

    again = data_of(client, SHIP, {"id": own.pk, "c": "EMS", "n": "E2"}, token=key)

    [error] = again["shipmentMarkShipped"]["errors"]
    assert (error["field"], error["code"]) == ("trackingNumber", "CONFLICT")
    assert "E1" in error["message"]
    own.refresh_from_db()
    assert own.tracking_number == "E1"
