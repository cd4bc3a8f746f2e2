"""The admin's stock rules: batches are received and stock changed only through the ledger
(shop.inventory), refused changes are form errors that write nothing, and quantities are
never typed into a batch. Plus search, filters, users and the Vietnamese admin."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop import inventory
from shop.models import Batch, BatchStatus, MovementKind, Product, StockMovement, User
from tests.factories import (
    BatchFactory,
    CartFactory,
    ProductFactory,
    StaffFactory,
    UserFactory,
    VariantFactory,
    VillageFactory,
)
from tests.shop.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch():
    return BatchFactory(quantity_received=10)


@pytest.fixture
def staff(client, batch):
    user = StaffFactory(cooperative=batch.variant.product.cooperative)
    client.force_login(user)
    return user


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def ledger(batch: Batch) -> list[tuple[str, int, str]]:
    return list(batch.movements.order_by("pk").values_list("kind", "quantity", "reason"))


def test_batch_added_in_admin_is_received_through_the_ledger(client, batch, staff, today):
    village = VillageFactory()

    response = client.post(
        reverse("admin:shop_batch_add"),
        {
            "variant": batch.variant.pk,
            "lot_code": "HN2025-07",
            "harvest_date": today - datetime.timedelta(days=5),
            "packing_date": today - datetime.timedelta(days=2),
            "best_before": today + datetime.timedelta(days=300),
            "village": village.pk,
            "quantity_received": 30,
            "reason": "Delivery note 118",
        },
    )

    assert response.status_code == 302
    received = Batch.objects.get(lot_code="HN2025-07")
    assert (received.quantity_received, received.on_hand) == (30, 30)
    assert ledger(received) == [(MovementKind.RECEIVED, 30, "Delivery note 118")]
    assert received.movements.get().actor == staff


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity_received": 0}, "quantity_received"),
        ({"packing_date": "2025-01-01", "harvest_date": "2025-02-01"}, "packing_date"),
        ({"lot_code": "LOT WITH SPACE"}, "lot_code"),
        ({"lot_code": "DUPLICATE"}, "__all__"),
    ],
)
def test_batch_add_with_bad_input_is_a_form_error_and_writes_nothing(
    client, batch, staff, change, field
):
    batch.lot_code = "DUPLICATE"
    batch.save(update_fields=["lot_code"])
    data = {
        "variant": batch.variant.pk,
        "lot_code": "FRESH1",
        "harvest_date": "2025-03-01",
        "packing_date": "2025-03-02",
        "best_before": "2026-03-02",
        "village": batch.village.pk,
        "quantity_received": 5,
        **change,
    }

    response = client.post(reverse("admin:shop_batch_add"), data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert Batch.objects.count() == 1
    assert StockMovement.objects.count() == 1


def test_batch_change_form_has_no_quantity_inputs(client, batch, staff):
    response = client.get(reverse("admin:shop_batch_change", args=[batch.pk]))

    form = response.context["adminform"].form
    assert "quantity_received" not in form.fields
    assert "on_hand" not in form.fields
    assert "variant" not in form.fields
    page = response.content.decode()
    assert 'name="quantity_received"' not in page
    assert 'name="on_hand"' not in page
    assert f"{reverse('admin:shop_stockmovement_add')}?batch={batch.pk}" in page


def test_posting_quantities_to_a_batch_changes_only_the_editable_fields(client, batch, staff):
    data = change_form_data(client.get(reverse("admin:shop_batch_change", args=[batch.pk])))
    lot_code = batch.lot_code
    # The lot code is fixed at receipt too (a correction is traceability.corrections).
    data.update(
        status=BatchStatus.SOLD_OUT, lot_code="RENAMED1", quantity_received=999, on_hand=999
    )

    response = client.post(reverse("admin:shop_batch_change", args=[batch.pk]), data)

    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.lot_code, batch.quantity_received, batch.on_hand) == (
        BatchStatus.SOLD_OUT,
        lot_code,
        10,
        10,
    )
    assert ledger(batch) == [(MovementKind.RECEIVED, 10, "")]


def test_a_recalled_batch_cannot_be_put_back_on_sale_in_the_admin(client, batch, staff):
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RECALLED)
    change = reverse("admin:shop_batch_change", args=[batch.pk])
    data = change_form_data(client.get(change))
    lot_code = batch.lot_code
    data.update(status=BatchStatus.ON_SALE, lot_code="RENAMED2")

    response = client.post(change, data)

    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.lot_code) == (BatchStatus.RECALLED, lot_code)


def test_adding_a_movement_writes_a_ledger_row_and_updates_on_hand(client, batch, staff):
    response = client.post(
        reverse("admin:shop_stockmovement_add"),
        {"batch": batch.pk, "kind": "damaged", "quantity": -3, "reason": "Cracked jars"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:shop_stockmovement_changelist")
    batch.refresh_from_db()
    assert batch.on_hand == 7
    assert inventory.ledger_on_hand(batch_id=batch.pk) == 7
    assert ledger(batch) == [
        (MovementKind.RECEIVED, 10, ""),
        (MovementKind.DAMAGED, -3, "Cracked jars"),
    ]
    assert batch.movements.latest("pk").actor == staff


@pytest.mark.parametrize(
    ("kind", "quantity", "message"),
    [
        ("damaged", -11, "Only 10 units of this batch are free to take out; 11 were asked for."),
        ("damaged", 3, "A “Damaged” movement cannot be 3"),
        ("returned", -2, "A “Returned” movement cannot be -2"),
        ("adjusted", 0, "A “Adjusted” movement cannot be 0"),
    ],
)
def test_a_refused_movement_is_a_form_error_and_writes_nothing(
    client, batch, staff, kind, quantity, message
):
    response = client.post(
        reverse("admin:shop_stockmovement_add"),
        {"batch": batch.pk, "kind": kind, "quantity": quantity, "reason": "Count"},
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.non_field_errors())
    assert message in response.content.decode()
    batch.refresh_from_db()
    assert batch.on_hand == 10
    assert ledger(batch) == [(MovementKind.RECEIVED, 10, "")]


def test_units_held_by_a_cart_cannot_be_written_off(client, batch, staff):
    inventory.hold(cart=CartFactory(), variant=batch.variant, quantity=8)

    response = client.post(
        reverse("admin:shop_stockmovement_add"),
        {"batch": batch.pk, "kind": "damaged", "quantity": -3, "reason": "Count"},
    )

    assert "Only 2 units" in " ".join(response.context["adminform"].form.non_field_errors())
    batch.refresh_from_db()
    assert batch.on_hand == 10


def test_movement_form_offers_only_corrections(client, batch, staff):
    response = client.get(reverse("admin:shop_stockmovement_add") + f"?batch={batch.pk}")

    form = response.context["adminform"].form
    assert [value for value, _label in form.fields["kind"].choices] == [
        "returned",
        "adjusted",
        "damaged",
        "expired",
    ]
    assert form["batch"].value() == str(batch.pk)


@pytest.mark.parametrize("login", ["staff", "superuser"])
def test_movements_can_be_neither_changed_nor_deleted(client, batch, login, request):
    request.getfixturevalue(login)
    movement = batch.movements.get()

    changed = client.post(
        reverse("admin:shop_stockmovement_change", args=[movement.pk]),
        {"batch": batch.pk, "kind": "received", "quantity": 500, "reason": "x"},
    )
    deleted = client.post(
        reverse("admin:shop_stockmovement_delete", args=[movement.pk]), {"post": "yes"}
    )

    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert ledger(batch) == [(MovementKind.RECEIVED, 10, "")]


def test_a_movement_page_is_read_only(client, batch, staff):
    movement = batch.movements.get()

    response = client.get(reverse("admin:shop_stockmovement_change", args=[movement.pk]))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="quantity"' not in response.content.decode()


def test_deleting_a_batch_with_movements_is_refused_cleanly(client, batch, superuser):
    response = client.post(reverse("admin:shop_batch_delete", args=[batch.pk]), {"post": "yes"})

    assert response.status_code == 200
    assert response.context["protected"]
    assert Batch.objects.filter(pk=batch.pk).exists()
    assert ledger(batch) == [(MovementKind.RECEIVED, 10, "")]


def test_bulk_deleting_batches_with_movements_is_refused_cleanly(client, batch, superuser):
    response = client.post(
        reverse("admin:shop_batch_changelist"),
        {"action": "delete_selected", "_selected_action": [batch.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert response.context["protected"]
    assert Batch.objects.filter(pk=batch.pk).exists()


def test_batch_list_shows_stock_status_and_best_before(client, batch, staff):
    expired = BatchFactory(
        variant=batch.variant,
        harvest_date=datetime.date(2023, 1, 1),
        packing_date=datetime.date(2023, 1, 2),
        best_before=datetime.date(2024, 1, 2),
        quantity_received=4,
    )

    response = client.get(reverse("admin:shop_batch_changelist"))

    rows = {
        row.pk: (row.on_hand, response.context["cl"].model_admin.shown_status(row))
        for row in response.context["cl"].result_list
    }
    assert rows == {
        batch.pk: (10, BatchStatus.ON_SALE.label),
        expired.pk: (4, BatchStatus.EXPIRED.label),
    }
    assert "Jan. 2, 2024" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("best_before_within=past", ["old"]),
        ("best_before_within=soon", ["soon"]),
        ("best_before_within=later", ["fresh"]),
        ("on_hand_level=none", ["soon"]),
        ("on_hand_level=low", ["old"]),
        ("on_hand_level=more", ["fresh"]),
        ("status__exact=sold_out", ["soon"]),
        ("q=fresh", ["fresh"]),
    ],
)
def test_batch_list_filters(client, staff, batch, today, query, expected):
    variant = batch.variant
    Batch.objects.filter(pk=batch.pk).update(lot_code="FRESH")
    old = BatchFactory(
        variant=variant,
        lot_code="OLD",
        harvest_date=today - datetime.timedelta(days=400),
        packing_date=today - datetime.timedelta(days=390),
        best_before=today - datetime.timedelta(days=1),
        quantity_received=3,
    )
    soon = BatchFactory(
        variant=variant,
        lot_code="SOON",
        harvest_date=today - datetime.timedelta(days=300),
        packing_date=today - datetime.timedelta(days=290),
        best_before=today + datetime.timedelta(days=10),
        quantity_received=2,
    )
    inventory.record_movement(batch_id=soon.pk, kind=MovementKind.DAMAGED, quantity=-2)
    assert old.pk

    response = client.get(reverse("admin:shop_batch_changelist") + "?" + query)

    assert sorted(row.lot_code.lower() for row in response.context["cl"].result_list) == expected


def test_batch_list_query_count_does_not_grow_with_batches(client, staff, batch):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("admin:shop_batch_changelist"))
        assert response.status_code == 200
        return len(captured)

    few = queries()
    for _ in range(8):
        BatchFactory(variant=VariantFactory(product=batch.variant.product))
    many = queries()

    assert len(Batch.objects.all()) == 9
    assert many == few


def test_product_search_matches_with_or_without_diacritics(client, staff, batch):
    cooperative = batch.variant.product.cooperative
    silk = ProductFactory(cooperative=cooperative, name_en="Silk scarf", name_vi="Khăn lụa")
    sauce = batch.variant.product

    for term in ("nuoc mam", "nước mắm", "NƯỚC"):
        response = client.get(reverse("admin:shop_product_changelist"), {"q": term})
        assert list(response.context["cl"].result_list) == [sauce], term

    response = client.get(reverse("admin:shop_product_changelist"), {"q": "khan lua"})
    assert list(response.context["cl"].result_list) == [silk]


def test_staff_add_a_product_in_english_and_vietnamese_with_a_variant(client, staff, batch):
    cooperative = batch.variant.product.cooperative
    data = change_form_data(client.get(reverse("admin:shop_product_add")))
    data.update(
        {
            "name_en": "Lotus tea",
            "name_vi": "Trà sen",
            "slug": "lotus-tea",
            "group": "beverages",
            "ocop_stars": 4,
            "ocop_decision_number": "45/QĐ-UBND",
            "ocop_certified_on": "2025-01-10",
            "ocop_valid_until": "2028-01-10",
            "variants-TOTAL_FORMS": 1,
            "variants-0-name_en": "100 g box",
            "variants-0-name_vi": "Hộp 100 g",
            "variants-0-sku": "TEA-100",
            "variants-0-gtin": "4006381333931",
            "variants-0-weight_grams": 150,
            "variants-0-price_vnd": "180000",
            "variants-0-price_usd": "9.5",
            "variants-0-price_eur": "8.7",
        }
    )

    response = client.post(reverse("admin:shop_product_add"), data)

    assert response.status_code == 302
    product = Product.objects.get(slug="lotus-tea")
    assert (product.cooperative, product.name_en, product.name_vi) == (
        cooperative,
        "Lotus tea",
        "Trà sen",
    )
    variant = product.variants.get()
    assert (variant.name_vi, variant.gtin, str(variant.price_usd)) == (
        "Hộp 100 g",
        "04006381333931",
        "9.50",
    )


def test_staff_add_a_variant_to_their_product(client, staff, batch):
    product = batch.variant.product

    response = client.post(
        reverse("admin:shop_variant_add"),
        {
            "product": product.pk,
            "name_en": "1 l bottle",
            "name_vi": "Chai 1 lít",
            "sku": "SKU-1L",
            "gtin": "40063812",
            "weight_grams": 1100,
            "price_vnd": "400000",
            "price_usd": "20",
            "price_eur": "18",
        },
    )

    assert response.status_code == 302
    variant = product.variants.get(sku="SKU-1L")
    assert (variant.name_en, variant.name_vi, variant.gtin) == (
        "1 l bottle",
        "Chai 1 lít",
        "00000040063812",
    )


def test_product_form_edits_both_languages_side_by_side(client, staff, batch):
    response = client.get(reverse("admin:shop_product_change", args=[batch.variant.product.pk]))

    fields = response.context["adminform"].form.fields
    for name in ("name", "description", "story"):
        assert f"{name}_en" in fields and f"{name}_vi" in fields
    inline = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "name_en" in inline.fields and "name_vi" in inline.fields


def test_superuser_creates_a_cooperative_staff_user(client, superuser, batch):
    cooperative = batch.variant.product.cooperative

    response = client.post(
        reverse("admin:shop_user_add"),
        {
            "email": "Lan.Nguyen@Example.com",
            "cooperative": cooperative.pk,
            "is_staff": "on",
            "usable_password": "true",
            "password1": "a-Long-pass-123",
            "password2": "a-Long-pass-123",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="lan.nguyen@example.com")
    assert (user.cooperative, user.is_staff, user.is_superuser) == (cooperative, True, False)
    assert user.check_password("a-Long-pass-123")
    assert user.is_cooperative_staff


def test_the_admin_speaks_vietnamese(client, staff):
    response = client.get(reverse("admin:shop_batch_changelist"), HTTP_ACCEPT_LANGUAGE="vi")

    page = response.content.decode()
    assert "Quản trị Cửa hàng Làng OCOP" in page
    assert "Quá hạn sử dụng" in page
    assert "Hết hàng" in page


def test_a_refused_movement_is_explained_in_vietnamese(client, batch, staff):
    response = client.post(
        reverse("admin:shop_stockmovement_add"),
        {"batch": batch.pk, "kind": "damaged", "quantity": -11, "reason": "Vỡ"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    assert "Lô này chỉ còn 10 đơn vị có thể xuất; yêu cầu là 11." in response.content.decode()
    assert StockMovement.objects.count() == 1


def test_api_tokens_are_listed_for_operators_and_hidden_from_cooperative_staff(client):
    from shop.graphql.tokens import issue_token
    from tests.factories import StaffFactory, UserFactory

    staff = StaffFactory()
    issue_token(user=staff, name="Sổ kho")
    admin_user = UserFactory(is_staff=True, is_superuser=True)

    client.force_login(admin_user)
    listed = client.get("/admin/shop/apitoken/")
    client.force_login(staff)
    hidden = client.get("/admin/shop/apitoken/")

    assert listed.status_code == 200
    assert "Sổ kho" in listed.content.decode()
    assert hidden.status_code == 403
