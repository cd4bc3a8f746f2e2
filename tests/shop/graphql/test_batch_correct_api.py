"""The cooperative API corrects a batch's identity only through batchCorrect (recorded in
the batch's story); no mutation edits a received batch's lot code, dates or village."""

import pytest

from shop.graphql import tokens
from shop.graphql.schema import schema
from tests.factories import BatchFactory, StaffFactory
from tests.shop.graphql.api import data_of
from traceability.models import BatchCorrection

pytestmark = pytest.mark.django_db

CORRECT = (
    "mutation($id: ID, $field: BatchCorrectionField!, $lotCode: String, $date: Date,"
    " $reason: String!) { batchCorrect(batchId: $id, field: $field, lotCode: $lotCode,"
    " date: $date, reason: $reason) { batch { lotCode harvestDate }"
    " errors { field message code } } }"
)


@pytest.fixture
def batch():
    return BatchFactory(lot_code="HN2611")


@pytest.fixture
def key(batch):
    staff = StaffFactory(cooperative=batch.variant.product.cooperative)
    return tokens.issue_token(user=staff, name="app")[1]


def test_batch_correct_records_the_correction(client, key, batch):
    variables = {"id": batch.pk, "field": "LOT_CODE", "lotCode": "HN2612", "reason": "Typo"}

    payload = data_of(client, CORRECT, variables, token=key)["batchCorrect"]

    assert payload["errors"] == []
    assert payload["batch"]["lotCode"] == "HN2612"
    correction = BatchCorrection.objects.get()
    assert (correction.before, correction.after, correction.reason) == ("HN2611", "HN2612", "Typo")


def test_batch_correct_refuses_dates_out_of_order_and_writes_nothing(client, key, batch):
    later = batch.packing_date.replace(year=batch.packing_date.year + 1).isoformat()
    variables = {"id": batch.pk, "field": "HARVEST_DATE", "date": later, "reason": "Typo"}

    payload = data_of(client, CORRECT, variables, token=key)["batchCorrect"]

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(None, "INVALID")]
    assert not BatchCorrection.objects.exists()


def test_no_other_mutation_edits_a_received_batch_s_identity():
    identity = {"lotCode", "harvestDate", "packingDate", "bestBefore", "villageId"}
    mutations = schema.graphql_schema.mutation_type.fields
    editing = {
        name
        for name, field in mutations.items()
        if identity & set(field.args)
        or any(
            identity & set(getattr(arg.type, "of_type", arg.type).fields or {})
            for arg in field.args.values()
            if hasattr(getattr(arg.type, "of_type", arg.type), "fields")
        )
    }
    assert editing == {"batchCreate", "batchCorrect"}
