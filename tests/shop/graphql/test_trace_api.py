import json

import pytest

from shop.models import Batch, BatchStatus
from tests.factories import BatchFactory
from tests.traceability.factories import add_events
from traceability.models import TraceEvent

pytestmark = pytest.mark.django_db

TRACE = """
query($gtin: String!, $lot: String!) {
  trace(gtin: $gtin, lot: $lot) {
    link traceCode recalled recallStatus chainIntact
    batch { lotCode harvestDate village { name province { name } } }
    product { name(language: VI) cooperative { name } }
    events { sequence kind bizStep place notes(language: VI) }
  }
}
"""


def gql(client, query, variables):
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables}),
        content_type="application/json",
    )
    return response.json()


def test_trace_shows_events_in_vietnamese_and_a_verified_chain(client):
    batch = BatchFactory(lot_code="L2026", variant__product__name_vi="Nước mắm Phú Quốc")
    add_events(batch, 3)

    body = gql(client, TRACE, {"gtin": batch.variant.gtin[1:], "lot": "L2026"})

    trace = body["data"]["trace"]
    assert trace["traceCode"] == f"(01){batch.variant.gtin}(10)L2026"
    assert trace["product"]["name"] == "Nước mắm Phú Quốc"
    assert [e["kind"] for e in trace["events"]] == ["harvest", "processing", "inspection"]
    assert trace["events"][0]["notes"] == "Thu hái lúc bình minh."
    assert trace["chainIntact"] is True
    assert (trace["recalled"], trace["recallStatus"]) == (False, "not_recalled")


def test_tampered_event_breaks_the_chain_and_recall_shows(client):
    batch = BatchFactory(lot_code="L1")
    first, _second = add_events(batch, 2)
    TraceEvent.objects.filter(pk=first.pk).update(place="Somewhere else")
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RECALLED)

    trace = gql(client, TRACE, {"gtin": batch.variant.gtin, "lot": "L1"})["data"]["trace"]

    assert trace["chainIntact"] is False
    assert trace["recallStatus"] == "recalled"


@pytest.mark.parametrize(
    ("gtin", "lot", "code"),
    [
        ("8934567890128", "L1", "INVALID_GTIN"),
        ("8934567890120", "L 1", "INVALID_LOT"),
        ("8934567890120", "x" * 21, "INVALID_LOT"),
    ],
)
def test_bad_identifiers_get_coded_errors(client, gtin, lot, code):
    body = gql(client, TRACE, {"gtin": gtin, "lot": lot})

    assert body["data"]["trace"] is None
    assert body["errors"][0]["extensions"]["code"] == code


def test_unknown_lot_is_null(client):
    batch = BatchFactory()

    body = gql(client, TRACE, {"gtin": batch.variant.gtin, "lot": "NOPE"})

    assert body["data"]["trace"] is None
    assert "errors" not in body
