"""Receiving a batch and changing its stock: one short form each, written through
shop.inventory, refused changes shown on the form with nothing written."""

import datetime

import pytest
from django.utils import translation

from shop import inventory
from shop.models import Batch, MovementKind, StockMovement
from shop.workspace import selectors
from tests.factories import CartFactory, VariantFactory, VillageFactory

pytestmark = pytest.mark.django_db


def receive_data(variant, village, today, **overrides):
    data = {
        "variant": variant.pk,
        "quantity": "24",
        "harvest_date": (today - datetime.timedelta(days=2)).isoformat(),
        "best_before": (today + datetime.timedelta(days=400)).isoformat(),
        "village": village.pk,
        "lot_code": "",
        "packing_date": "",
    }
    return {**data, **overrides}


def test_receiving_a_batch_writes_the_batch_and_its_opening_movement(
    staff_client, staff, variant, coop, today
):
    response = staff_client.post(
        "/coop/batches/receive/", receive_data(variant, coop.village, today, lot_code="nm-01")
    )

    batch = Batch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/coop/batches/{batch.pk}/"
    assert (batch.variant, batch.lot_code, batch.on_hand, batch.quantity_received) == (
        variant,
        "NM-01",
        24,
        24,
    )
    assert batch.packing_date == batch.harvest_date == today - datetime.timedelta(days=2)
    assert batch.village == coop.village
    assert list(StockMovement.objects.values_list("kind", "quantity", "actor")) == [
        ("received", 24, staff.pk)
    ]


def test_an_empty_lot_code_gets_the_suggested_one_from_initials_and_harvest_day(
    staff_client, variant, coop, today
):
    harvest = datetime.date(2025, 3, 5)
    data = receive_data(variant, coop.village, today, harvest_date=harvest.isoformat())
    staff_client.post("/coop/batches/receive/", data)
    staff_client.post("/coop/batches/receive/", data)

    assert sorted(Batch.objects.values_list("lot_code", flat=True)) == [
        "NMPQ-250305",
        "NMPQ-250305-2",
    ]


def test_suggested_lot_codes_are_unique_per_variant_and_valid_gs1_lots(variant):
    other = VariantFactory(product=variant.product, sku="NM-1000")
    day = datetime.date(2025, 12, 31)
    taken = {(variant.pk, "NMPQ-251231")}

    assert selectors.suggest_lot_code(variant=variant, day=day) == "NMPQ-251231"
    assert selectors.suggest_lot_code(variant=variant, day=day, taken=taken) == "NMPQ-251231-2"
    assert selectors.suggest_lot_code(variant=other, day=day, taken=taken) == "NMPQ-251231"


def test_the_form_prefills_the_only_product_today_and_the_cooperatives_village(
    staff_client, variant, coop, today
):
    html = staff_client.get("/coop/batches/receive/").content.decode()

    assert f'<option value="{variant.pk}" selected>' in html
    assert f'<option value="{coop.village.pk}" selected>' in html
    assert f'value="{today.isoformat()}"' in html
    assert f'placeholder="NMPQ-{today:%y%m%d}"' in html


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-3"}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"harvest_date": "2999-01-01"}, "harvest_date"),
        ({"best_before": "2001-01-01"}, "best_before"),
        ({"lot_code": "LOT WITH SPACES"}, "lot_code"),
        ({"lot_code": "X" * 21}, "lot_code"),
        ({"harvest_date": "05/03/2025x"}, "harvest_date"),
    ],
)
def test_bad_input_is_answered_on_the_form_and_writes_nothing(
    staff_client, variant, coop, today, overrides, field
):
    response = staff_client.post(
        "/coop/batches/receive/", receive_data(variant, coop.village, today, **overrides)
    )

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Batch.objects.count() == 0
    assert StockMovement.objects.count() == 0


def test_packing_before_harvest_is_refused_by_the_batchs_own_rule(
    staff_client, variant, coop, today
):
    data = receive_data(
        variant,
        coop.village,
        today,
        harvest_date=(today - datetime.timedelta(days=2)).isoformat(),
        packing_date=(today - datetime.timedelta(days=5)).isoformat(),
    )

    response = staff_client.post("/coop/batches/receive/", data)

    assert response.status_code == 400
    assert response.context["form"].errors["packing_date"]
    assert Batch.objects.count() == 0


def test_a_lot_code_already_used_for_the_variant_is_refused(
    staff_client, variant, batch, coop, today
):
    response = staff_client.post(
        "/coop/batches/receive/", receive_data(variant, coop.village, today, lot_code="NMPQ-1")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["lot_code"]
    assert Batch.objects.count() == 1


def test_another_cooperatives_variant_or_village_is_refused(
    staff_client, variant, other_variant, coop, other_coop, today
):
    foreign_variant = receive_data(other_variant, coop.village, today)
    stray_village = receive_data(
        variant,
        VillageFactory(province__codename="hue", province__code=46, province__name="Huế"),
        today,
    )

    first = staff_client.post("/coop/batches/receive/", foreign_variant)
    second = staff_client.post("/coop/batches/receive/", stray_village)

    assert first.status_code == second.status_code == 400
    assert first.context["form"].errors["variant"]
    assert second.context["form"].errors["village"]
    assert Batch.objects.count() == 0


def test_taking_out_damaged_units_writes_a_negative_ledger_movement(staff_client, staff, batch):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/adjust/", {"change": "damaged", "quantity": "3", "note": ""}
    )

    batch.refresh_from_db()
    assert response.status_code == 302
    assert batch.on_hand == 37
    movement = StockMovement.objects.order_by("pk").last()
    assert (movement.kind, movement.quantity, movement.actor) == (MovementKind.DAMAGED, -3, staff)
    assert (movement.reason, movement.reason_code) == ("", "adjust_damaged")
    with translation.override("vi"):
        assert movement.shown_reason == "Hư hỏng hoặc mất (bớt ra)"
    with translation.override("en"):
        assert movement.shown_reason == "Damaged or lost (take out)"
    assert inventory.ledger_on_hand(batch_id=batch.pk) == 37


def test_a_count_correction_needs_a_note_and_may_go_up(staff_client, batch):
    refused = staff_client.post(
        f"/coop/batches/{batch.pk}/adjust/", {"change": "count_up", "quantity": "2", "note": ""}
    )
    accepted = staff_client.post(
        f"/coop/batches/{batch.pk}/adjust/",
        {"change": "count_up", "quantity": "2", "note": "Đếm lại kho"},
    )

    batch.refresh_from_db()
    assert refused.status_code == 400
    assert refused.context["form"].errors["note"]
    assert accepted.status_code == 302
    assert batch.on_hand == 42
    assert StockMovement.objects.order_by("pk").last().reason == "Đếm lại kho"


def test_taking_out_units_held_in_carts_is_refused_with_what_can_be_taken(
    staff_client, variant, batch
):
    inventory.hold(cart=CartFactory(), variant=variant, quantity=38)

    response = staff_client.post(
        f"/coop/batches/{batch.pk}/adjust/", {"change": "damaged", "quantity": "5", "note": ""}
    )

    batch.refresh_from_db()
    assert response.status_code == 400
    assert "2" in response.context["form"].errors["quantity"][0]
    assert batch.on_hand == 40
    assert StockMovement.objects.count() == 1


def test_quantities_cannot_be_edited_freely(staff_client, batch):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/adjust/", {"change": "set", "quantity": "100", "note": "x"}
    )

    batch.refresh_from_db()
    assert response.status_code == 400
    assert batch.on_hand == 40
    assert "on_hand" not in staff_client.get(f"/coop/batches/{batch.pk}/adjust/").content.decode()
