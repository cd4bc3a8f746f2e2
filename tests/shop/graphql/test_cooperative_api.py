import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from shop.graphql import tokens
from shop.models import ApiToken, Batch, BatchStatus, StockMovement
from tests.factories import (
    BatchFactory,
    CooperativeFactory,
    ProductFactory,
    StaffFactory,
    UserFactory,
    VariantFactory,
    VillageFactory,
)
from tests.shop.graphql.api import data_of, gql
from traceability.models import Province, Recall, ScanCount, TraceEvent

pytestmark = pytest.mark.django_db

ERRORS = "errors { field message code available }"
BATCH = """
fragment B on CooperativeBatch {
  id lotCode status recalled quantityReceived onHand available held allocated sold
  harvestDate packingDate bestBefore digitalLink
  variant { id sku gtin name(language: VI) productName(language: VI) }
  village { id name }
}
"""
BATCHES = (
    "query($status: BatchStatus) { myCooperative { cooperative { name }"
    " batches(first: 50, status: $status) { totalCount edges { node { ...B } } } } }" + BATCH
)
ONE_BATCH = (
    "query($id: ID, $gtin: String, $lot: String) { myCooperative {"
    " batch(id: $id, gtin: $gtin, lot: $lot) { ...B } } }" + BATCH
)
SCANS = (
    "query($id: ID!, $since: Date) { myCooperative {"
    " batchScans(batchId: $id, since: $since) { day country count } } }"
)
CREATE = (
    "mutation($input: BatchCreateInput!) { batchCreate(input: $input) {"
    f" batch {{ ...B }} {ERRORS} }} }}" + BATCH
)
MOVE = (
    "mutation($id: ID, $gtin: String, $lot: String, $change: StockChange!, $quantity: Int!,"
    " $note: String) { stockMovementCreate(batchId: $id, gtin: $gtin, lot: $lot,"
    " change: $change, quantity: $quantity, note: $note) {"
    f" batch {{ ...B }} movement {{ kind quantity reason }} {ERRORS} }} }}" + BATCH
)
EVENT = (
    "mutation($id: ID, $kind: TraceEventKind!, $at: DateTime!, $place: String!,"
    " $notes: String, $language: Language) { traceEventAdd(batchId: $id, kind: $kind,"
    " occurredAt: $at, place: $place, notes: $notes, language: $language) {"
    f" batch {{ id }} event {{ sequence kind place notes(language: VI) }} {ERRORS} }} }}"
)
RECALL = (
    "mutation($id: ID, $reason: String!) { batchRecall(batchId: $id, reason: $reason) {"
    f" batch {{ status recalled available }} recall {{ reason }} {ERRORS} }} }}"
)


@pytest.fixture
def coop(db):
    return CooperativeFactory(name="HTX Nước mắm Hàm Ninh", village=VillageFactory(name="Hàm Ninh"))


@pytest.fixture
def staff(coop):
    return StaffFactory(cooperative=coop, first_name="Lan", last_name="Nguyễn")


@pytest.fixture
def key(staff):
    return tokens.issue_token(user=staff, name="Hàm Ninh app")[1]


@pytest.fixture
def variant(coop):
    return VariantFactory(
        product=ProductFactory(cooperative=coop, name_vi="Nước mắm Phú Quốc"),
        sku="NM-500",
        name_vi="Chai 500 ml",
    )


@pytest.fixture
def batch(variant, coop):
    return BatchFactory(
        variant=variant, lot_code="NMPQ-1", village=coop.village, quantity_received=40
    )


@pytest.fixture
def other_coop(db):
    province = Province.objects.exclude(codename="ha-noi").order_by("code").first()
    village = VillageFactory(name="Tân Cương", province=province)
    return CooperativeFactory(name="HTX Chè Tân Cương", village=village, province=province)


@pytest.fixture
def other_batch(other_coop):
    tea = VariantFactory(product=ProductFactory(cooperative=other_coop), sku="TEA-100")
    return BatchFactory(
        variant=tea, lot_code="TEA-1", village=other_coop.village, quantity_received=30
    )


def _today(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_staff_list_their_own_batches_with_stock_figures_and_never_another_coops(
    client, key, batch, other_batch
):
    data = data_of(client, BATCHES, token=key)["myCooperative"]

    assert data["cooperative"]["name"] == "HTX Nước mắm Hàm Ninh"
    assert data["batches"]["totalCount"] == 1
    node = data["batches"]["edges"][0]["node"]
    assert node["lotCode"] == "NMPQ-1" and node["status"] == "ON_SALE"
    assert (node["quantityReceived"], node["onHand"], node["available"]) == (40, 40, 40)
    assert (node["held"], node["allocated"], node["sold"]) == (0, 0, 0)
    assert node["variant"]["productName"] == "Nước mắm Phú Quốc"
    assert node["digitalLink"].endswith(f"/01/{batch.variant.gtin}/10/NMPQ-1")


def test_variants_and_villages_to_receive_from_are_the_coops_own(
    client, key, coop, variant, other_batch
):
    query = "{ myCooperative { variants { sku } villages { id name } } }"

    data = data_of(client, query, token=key)["myCooperative"]

    assert data["variants"] == [{"sku": "NM-500"}]
    assert {"id": str(coop.village.pk), "name": "Hàm Ninh"} in data["villages"]
    assert str(other_batch.village_id) not in [v["id"] for v in data["villages"]]


def test_status_filters_the_batches(client, key, batch):
    recalled = data_of(client, BATCHES, {"status": "RECALLED"}, token=key)
    on_sale = data_of(client, BATCHES, {"status": "ON_SALE"}, token=key)

    assert recalled["myCooperative"]["batches"]["totalCount"] == 0
    assert on_sale["myCooperative"]["batches"]["totalCount"] == 1


@pytest.mark.parametrize(
    "ref",
    [
        lambda b: {"id": b.pk},
        lambda b: {"gtin": b.variant.gtin, "lot": b.lot_code},
    ],
    ids=["by id", "by gtin and lot"],
)
def test_another_coops_batch_is_not_found_by_id_or_label(client, key, batch, other_batch, ref):
    mine = data_of(client, ONE_BATCH, ref(batch), token=key)
    status, theirs = gql(client, ONE_BATCH, ref(other_batch), token=key)

    assert mine["myCooperative"]["batch"]["lotCode"] == "NMPQ-1"
    assert theirs["data"]["myCooperative"]["batch"] is None
    assert theirs["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "TEA" not in str(theirs)


@pytest.mark.parametrize(
    ("gtin", "lot", "code"),
    [("8934567890128", "L1", "INVALID_GTIN"), ("08934567890120", "L 1", "INVALID_LOT")],
)
def test_a_bad_label_is_a_coded_error(client, key, gtin, lot, code):
    _, body = gql(client, ONE_BATCH, {"gtin": gtin, "lot": lot}, token=key)

    assert body["errors"][0]["extensions"]["code"] == code


def test_scan_statistics_of_own_batches_only(client, key, batch, other_batch):
    day = timezone.localdate()
    ScanCount.objects.create(batch=batch, day=day, country="DE", count=7)
    ScanCount.objects.create(
        batch=batch, day=day - datetime.timedelta(days=40), country="", count=2
    )
    ScanCount.objects.create(batch=other_batch, day=day, country="US", count=9)

    recent = data_of(client, SCANS, {"id": batch.pk, "since": _today(-30)}, token=key)
    _, theirs = gql(client, SCANS, {"id": other_batch.pk}, token=key)

    assert recent["myCooperative"]["batchScans"] == [
        {"day": day.isoformat(), "country": "DE", "count": 7}
    ]
    assert theirs["data"]["myCooperative"] is None
    assert theirs["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_batch_create_receives_a_batch_through_the_ledger(client, key, staff, variant, coop):
    receive = {
        "variantId": variant.pk,
        "quantity": 25,
        "harvestDate": _today(-3),
        "bestBefore": _today(300),
        "villageId": coop.village.pk,
        "lotCode": "NMPQ-2",
    }

    payload = data_of(client, CREATE, {"input": receive}, token=key)["batchCreate"]

    assert payload["errors"] == []
    created = Batch.objects.get(lot_code="NMPQ-2")
    assert payload["batch"]["id"] == str(created.pk)
    assert payload["batch"]["packingDate"] == _today(-3)
    assert (payload["batch"]["onHand"], payload["batch"]["available"]) == (25, 25)
    movement = StockMovement.objects.get(batch=created)
    assert (movement.kind, movement.quantity, movement.actor) == ("received", 25, staff)


def test_batch_create_makes_a_lot_code_when_none_is_given(client, key, variant, coop):
    receive = {
        "variantId": variant.pk,
        "quantity": 5,
        "harvestDate": _today(),
        "bestBefore": _today(100),
        "villageId": coop.village.pk,
    }

    payload = data_of(client, CREATE, {"input": receive}, token=key)["batchCreate"]

    assert payload["batch"]["lotCode"] == f"NMPQ-{timezone.localdate():%y%m%d}"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"variantId": "OTHER"}, "variantId", "NOT_FOUND"),
        ({"variantId": "nope"}, "variantId", "NOT_FOUND"),
        ({"villageId": "OTHER"}, "villageId", "NOT_FOUND"),
        ({"lotCode": "NM PQ"}, "lotCode", "INVALID_LOT"),
        ({"lotCode": "NMPQ-1"}, "lotCode", "INVALID_LOT"),
        ({"quantity": 0}, "quantity", "INVALID"),
        ({"harvestDate": _today(2)}, "harvestDate", "INVALID"),
        ({"packingDate": _today(-30)}, "packingDate", "INVALID"),
    ],
)
def test_batch_create_refuses_bad_or_foreign_input_and_writes_nothing(
    client, key, variant, coop, batch, other_batch, change, field, code
):
    receive = {
        "variantId": variant.pk,
        "quantity": 25,
        "harvestDate": _today(-3),
        "bestBefore": _today(300),
        "villageId": coop.village.pk,
        "lotCode": "NMPQ-2",
    }
    foreign = {"variantId": other_batch.variant_id, "villageId": other_batch.village_id}
    receive.update({k: foreign[k] if v == "OTHER" else v for k, v in change.items()})

    payload = data_of(client, CREATE, {"input": receive}, token=key)["batchCreate"]

    assert payload["batch"] is None
    assert (field, code) in [(e["field"], e["code"]) for e in payload["errors"]]
    assert Batch.objects.count() == 2 and StockMovement.objects.count() == 2


def test_stock_movements_go_through_the_ledger(client, key, batch):
    variables = {"id": batch.pk, "change": "DAMAGED", "quantity": 3}

    payload = data_of(client, MOVE, variables, token=key)["stockMovementCreate"]

    assert payload["errors"] == []
    assert payload["movement"]["kind"] == "damaged" and payload["movement"]["quantity"] == -3
    assert payload["batch"]["onHand"] == 37
    batch.refresh_from_db()
    assert batch.on_hand == 37


def test_a_stock_movement_by_label_finds_the_batch(client, key, batch):
    variables = {
        "gtin": batch.variant.gtin,
        "lot": "NMPQ-1",
        "change": "COUNT_UP",
        "quantity": 2,
        "note": "Found a box",
    }

    payload = data_of(client, MOVE, variables, token=key)["stockMovementCreate"]

    assert payload["batch"]["onHand"] == 42
    assert payload["movement"]["reason"] == "Found a box"


@pytest.mark.parametrize(
    ("variables", "field", "code", "available"),
    [
        ({"change": "DAMAGED", "quantity": 41}, "quantity", "INSUFFICIENT_STOCK", 40),
        ({"change": "COUNT_DOWN", "quantity": 1}, "note", "INVALID", None),
        ({"change": "RETURNED", "quantity": 0}, "quantity", "INVALID", None),
    ],
)
def test_refused_stock_movements_change_nothing(
    client, key, batch, variables, field, code, available
):
    payload = data_of(client, MOVE, {"id": batch.pk, **variables}, token=key)

    errors = payload["stockMovementCreate"]["errors"]
    assert [(e["field"], e["code"], e["available"]) for e in errors] == [(field, code, available)]
    assert StockMovement.objects.filter(batch=batch).count() == 1
    batch.refresh_from_db()
    assert batch.on_hand == 40


def test_trace_events_join_the_batchs_chain(client, key, batch):
    at = (timezone.now() - datetime.timedelta(hours=2)).isoformat()
    variables = {
        "id": batch.pk,
        "kind": "HARVEST",
        "at": at,
        "place": "Bãi cá Hàm Ninh",
        "notes": "Cá cơm tươi.",
        "language": "VI",
    }

    payload = data_of(client, EVENT, variables, token=key)["traceEventAdd"]

    assert payload["errors"] == []
    assert payload["event"] == {
        "sequence": 1,
        "kind": "harvest",
        "place": "Bãi cá Hàm Ninh",
        "notes": "Cá cơm tươi.",
    }
    event = TraceEvent.objects.get()
    assert (event.actor, event.village, event.notes_vi) == (
        "Lan Nguyễn",
        batch.village,
        "Cá cơm tươi.",
    )


def test_an_event_in_the_future_is_refused(client, key, batch):
    at = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    variables = {"id": batch.pk, "kind": "PACKING", "at": at, "place": "Xưởng"}

    payload = data_of(client, EVENT, variables, token=key)["traceEventAdd"]

    assert [e["code"] for e in payload["errors"]] == ["INVALID"]
    assert not TraceEvent.objects.exists()


def test_batch_recall_takes_the_batch_off_sale(client, key, staff, batch):
    reason = "Histamine above the limit in a routine test."

    payload = data_of(client, RECALL, {"id": batch.pk, "reason": reason}, token=key)["batchRecall"]

    assert payload == {
        "batch": {"status": "RECALLED", "recalled": True, "available": 40},
        "recall": {"reason": reason},
        "errors": [],
    }
    recall = Recall.objects.get()
    assert (recall.batch, recall.actor) == (batch, staff)


BILINGUAL_RECALL = (
    "mutation($id: ID, $vi: String, $en: String) {"
    " batchRecall(batchId: $id, reasonVi: $vi, reasonEn: $en) {"
    f" recall {{ reason reasonVi reasonEn }} {ERRORS} }} }}"
)


def test_batch_recall_takes_the_reason_in_both_languages_and_answers_in_the_readers(
    client, key, batch
):
    vi, en = "Histamine vượt ngưỡng trong kiểm tra định kỳ.", "Histamine above the limit."
    variables = {"id": batch.pk, "vi": vi, "en": en}

    payload = data_of(client, BILINGUAL_RECALL, variables, token=key, HTTP_ACCEPT_LANGUAGE="vi")

    assert payload["batchRecall"] == {
        "recall": {"reason": vi, "reasonVi": vi, "reasonEn": en},
        "errors": [],
    }
    again = data_of(client, BILINGUAL_RECALL, variables, token=key, HTTP_ACCEPT_LANGUAGE="en")
    assert again["batchRecall"]["recall"]["reason"] == en


def test_a_recall_needs_the_english_reason_with_the_vietnamese(client, key, batch):
    variables = {"id": batch.pk, "vi": "Histamine vượt ngưỡng.", "en": ""}

    payload = data_of(client, BILINGUAL_RECALL, variables, token=key)["batchRecall"]

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("reasonEn", "INVALID")]
    assert not Recall.objects.exists()


def test_a_recall_without_a_real_reason_is_refused(client, key, batch):
    payload = data_of(client, RECALL, {"id": batch.pk, "reason": "bad"}, token=key)["batchRecall"]

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("reason", "INVALID")]
    assert not Recall.objects.exists()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ON_SALE


@pytest.mark.parametrize(
    ("document", "name", "variables"),
    [
        (MOVE, "stockMovementCreate", {"change": "DAMAGED", "quantity": 1}),
        (MOVE, "stockMovementCreate", {"change": "RETURNED", "quantity": 5}),
        (
            EVENT,
            "traceEventAdd",
            {"kind": "HARVEST", "at": "2026-01-01T08:00:00+07:00", "place": "X"},
        ),
        (RECALL, "batchRecall", {"reason": "Mould found on the seals."}),
    ],
)
def test_no_mutation_reaches_another_coops_batch(
    client, key, other_batch, document, name, variables
):
    payload = data_of(client, document, {"id": other_batch.pk, **variables}, token=key)[name]

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("batchId", "NOT_FOUND")]
    assert payload["batch"] is None
    other_batch.refresh_from_db()
    assert (other_batch.on_hand, other_batch.status) == (30, BatchStatus.ON_SALE)
    assert StockMovement.objects.filter(batch=other_batch).count() == 1
    assert not TraceEvent.objects.exists() and not Recall.objects.exists()


def test_without_a_staff_token_the_cooperative_api_is_closed(client, batch):
    shopper = UserFactory()
    coopless_staff = StaffFactory(cooperative=None)
    coopless_key = tokens.issue_token(user=coopless_staff, name="x")[1]

    _, anonymous = gql(client, BATCHES)
    bad_status, bad = gql(client, BATCHES, token="ocop_not-a-real-key")
    _, coopless = gql(client, BATCHES, token=coopless_key)
    refused = data_of(client, MOVE, {"id": batch.pk, "change": "DAMAGED", "quantity": 1})

    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert bad_status == 401 and bad["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert coopless["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert refused["stockMovementCreate"]["errors"][0]["code"] == "UNAUTHENTICATED"
    with pytest.raises(tokens.TokenRefused):
        tokens.issue_token(user=shopper, name="x")
    assert StockMovement.objects.filter(batch=batch).count() == 1


def test_a_revoked_token_or_an_inactive_user_is_refused(client, key, staff):
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    inactive, _ = gql(client, BATCHES, token=key)
    staff.is_active = True
    staff.save(update_fields=["is_active"])
    ApiToken.objects.all().delete()
    revoked, _ = gql(client, BATCHES, token=key)

    assert (inactive, revoked) == (401, 401)


def test_the_token_is_stored_hashed_and_records_its_use(client, key, staff):
    token = ApiToken.objects.get()
    assert key not in token.key_hash and token.last_used_at is None

    data_of(client, BATCHES, token=key)

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_request_ignores_the_session_and_needs_no_csrf(client, key, coop):
    other_staff = StaffFactory(cooperative=CooperativeFactory(name="Another"))
    client.force_login(other_staff)
    client.handler.enforce_csrf_checks = True

    data = data_of(client, BATCHES, token=key)
    no_token = client.post(
        "/graphql/", json.dumps({"query": BATCHES}), content_type="application/json"
    )

    assert data["myCooperative"]["cooperative"]["name"] == coop.name
    assert no_token.status_code == 403  # a session cookie without the CSRF token


def test_the_management_command_issues_a_working_token(client, staff):
    out = io.StringIO()

    call_command("issue_api_token", staff.email, "--name", "Field app", stdout=out)

    key = out.getvalue().strip().splitlines()[-1]
    assert ApiToken.objects.get().name == "Field app"
    assert data_of(client, BATCHES, token=key)["myCooperative"]["batches"]["totalCount"] == 0
