"""Staff of cooperative A can neither list, open, change nor delete cooperative B's rows in
the admin, not by typing URLs nor by posting B's ids into forms; a superuser sees both."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from shop.models import Batch, Cooperative, Product, StockMovement, Variant
from tests.factories import BatchFactory, ProductFactory, StaffFactory, UserFactory
from tests.shop.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

MODELS = ["product", "variant", "batch", "stockmovement"]


def rows_of(batch: Batch) -> SimpleNamespace:
    variant = batch.variant
    return SimpleNamespace(
        cooperative=variant.product.cooperative,
        product=variant.product,
        variant=variant,
        batch=batch,
        stockmovement=batch.movements.get(),
    )


@pytest.fixture
def a():
    return rows_of(BatchFactory(quantity_received=10))


@pytest.fixture
def b():
    return rows_of(BatchFactory(quantity_received=10))


@pytest.fixture
def staff_a(client, a):
    staff = StaffFactory(cooperative=a.cooperative)
    client.force_login(staff)
    return staff


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:shop_{model}_{view}", args=args)


def snapshot(obj) -> dict:
    """Every column of a row, to prove a refused request changed nothing."""
    fresh = type(obj).objects.get(pk=obj.pk)
    return {field.attname: getattr(fresh, field.attname) for field in fresh._meta.concrete_fields}


@pytest.mark.parametrize("model", MODELS)
def test_staff_list_shows_only_their_cooperatives_rows(client, a, b, staff_a, model):
    response = client.get(url(model, "changelist"))

    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [getattr(a, model).pk]
    assert str(getattr(b, model)) not in response.content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_superuser_list_shows_both_cooperatives(client, a, b, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(url(model, "changelist"))

    listed = {row.pk for row in response.context["cl"].result_list}
    assert listed == {getattr(a, model).pk, getattr(b, model).pk}


@pytest.mark.parametrize("model", MODELS)
def test_staff_opens_their_own_row(client, a, b, staff_a, model):
    response = client.get(url(model, "change", getattr(a, model).pk))

    assert response.status_code == 200
    assert response.context["original"] == getattr(a, model)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_typing_the_url_of_another_cooperatives_row_finds_nothing(
    client, a, b, staff_a, model, view
):
    response = client.get(url(model, view, getattr(b, model).pk), follow=True)

    if (model, view) == ("stockmovement", "delete"):
        # The ledger is append-only: nobody may delete a movement, so no lookup is made.
        assert response.status_code == 403
    else:
        assert response.redirect_chain == [(reverse("admin:index"), 302)]
    page = response.content.decode()
    assert str(getattr(b, model)) not in page
    assert b.cooperative.name not in page


# Movements are append-only, so posting to their change or delete page is refused outright.
REFUSED_POST = {"product": 302, "variant": 302, "batch": 302, "stockmovement": 403}


@pytest.mark.parametrize("model", MODELS)
def test_posting_a_change_to_another_cooperatives_row_changes_nothing(client, a, b, staff_a, model):
    target = getattr(b, model)
    before = snapshot(target)
    # A's own form, aimed at B's id.
    data = change_form_data(client.get(url(model, "change", getattr(a, model).pk)))

    response = client.post(url(model, "change", target.pk), data)

    assert response.status_code == REFUSED_POST[model]
    assert snapshot(target) == before


@pytest.mark.parametrize("model", MODELS)
def test_posting_a_delete_of_another_cooperatives_row_deletes_nothing(client, a, b, staff_a, model):
    target = getattr(b, model)

    response = client.post(url(model, "delete", target.pk), {"post": "yes"})

    assert response.status_code == REFUSED_POST[model]
    assert type(target).objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize(("login_as", "survives"), [("staff", True), ("superuser", False)])
def test_bulk_delete_only_reaches_rows_in_the_list(client, a, b, login_as, survives):
    # B's product has no variants, so nothing protects it: only scoping can keep it.
    lonely = ProductFactory(cooperative=b.cooperative)
    user = (
        StaffFactory(cooperative=a.cooperative)
        if login_as == "staff"
        else UserFactory(is_staff=True, is_superuser=True)
    )
    client.force_login(user)

    client.post(
        url("product", "changelist"),
        {"action": "delete_selected", "_selected_action": [lonely.pk], "post": "yes"},
    )

    assert Product.objects.filter(pk=lonely.pk).exists() is survives


def test_staff_cannot_add_a_product_to_another_cooperative(client, a, b, staff_a):
    response = client.get(url("product", "add"))
    data = change_form_data(response)
    data.update(
        cooperative=b.cooperative.pk,
        name_en="Smuggled tea",
        slug="smuggled-tea",
        group="beverages",
        ocop_stars=3,
        ocop_decision_number="1/QĐ",
        ocop_certified_on="2025-01-01",
        ocop_valid_until="2027-01-01",
    )

    response = client.post(url("product", "add"), data)

    assert response.status_code == 200
    assert "cooperative" in response.context["adminform"].form.errors
    assert not Product.objects.filter(slug="smuggled-tea").exists()


def test_staff_add_product_form_offers_only_their_cooperative(client, a, b, staff_a):
    response = client.get(url("product", "add"))

    field = response.context["adminform"].form.fields["cooperative"]
    assert list(field.queryset) == [a.cooperative]
    assert response.context["adminform"].form.initial["cooperative"] == a.cooperative.pk


def test_staff_cannot_move_their_product_to_another_cooperative(client, a, b, staff_a):
    data = change_form_data(client.get(url("product", "change", a.product.pk)))
    data["cooperative"] = b.cooperative.pk

    response = client.post(url("product", "change", a.product.pk), data)

    assert response.status_code == 200
    assert "cooperative" in response.context["adminform"].form.errors
    a.product.refresh_from_db()
    assert a.product.cooperative == a.cooperative


def test_staff_cannot_add_a_variant_to_another_cooperatives_product(client, a, b, staff_a):
    data = {
        "product": b.product.pk,
        "name_en": "1 l bottle",
        "sku": "SKU-SMUGGLED",
        "gtin": "4006381333931",
        "weight_grams": 1100,
        "price_vnd": "400000",
        "price_usd": "20.00",
        "price_eur": "18.00",
    }

    response = client.post(url("variant", "add"), data)

    assert response.status_code == 200
    assert "product" in response.context["adminform"].form.errors
    assert not Variant.objects.filter(sku="SKU-SMUGGLED").exists()


def test_staff_cannot_move_their_variant_to_another_cooperatives_product(client, a, b, staff_a):
    data = change_form_data(client.get(url("variant", "change", a.variant.pk)))
    data["product"] = b.product.pk

    response = client.post(url("variant", "change", a.variant.pk), data)

    assert "product" in response.context["adminform"].form.errors
    a.variant.refresh_from_db()
    assert a.variant.product == a.product


def test_staff_cannot_take_over_another_cooperatives_variant_through_the_inline(
    client, a, b, staff_a
):
    before = snapshot(b.variant)
    data = change_form_data(client.get(url("product", "change", a.product.pk)))
    data.update({"variants-0-id": b.variant.pk, "variants-0-sku": "SKU-TAKEN"})

    client.post(url("product", "change", a.product.pk), data)

    # Django's inline formset skips a row whose id is outside the product's own variants.
    assert snapshot(b.variant) == before
    assert not Variant.objects.filter(sku="SKU-TAKEN").exists()
    assert list(a.product.variants.all()) == [a.variant]


def test_staff_cannot_receive_a_batch_of_another_cooperatives_variant(client, a, b, staff_a):
    data = {
        "variant": b.variant.pk,
        "lot_code": "SMUGGLED1",
        "harvest_date": "2025-05-01",
        "packing_date": "2025-05-02",
        "best_before": "2026-05-02",
        "village": b.batch.village.pk,
        "quantity_received": 50,
    }

    response = client.post(url("batch", "add"), data)

    assert response.status_code == 200
    assert "variant" in response.context["adminform"].form.errors
    assert not Batch.objects.filter(lot_code="SMUGGLED1").exists()


def test_staff_cannot_move_their_batch_to_another_cooperatives_variant(client, a, b, staff_a):
    data = change_form_data(client.get(url("batch", "change", a.batch.pk)))
    data["variant"] = b.variant.pk

    client.post(url("batch", "change", a.batch.pk), data)

    a.batch.refresh_from_db()
    assert a.batch.variant == a.variant


def test_staff_cannot_add_a_movement_to_another_cooperatives_batch(client, a, b, staff_a):
    data = {"batch": b.batch.pk, "kind": "damaged", "quantity": -4, "reason": "Broken jars"}

    response = client.post(url("stockmovement", "add"), data)

    assert response.status_code == 200
    assert "batch" in response.context["adminform"].form.errors
    assert StockMovement.objects.filter(batch=b.batch).count() == 1
    b.batch.refresh_from_db()
    assert b.batch.on_hand == 10


def test_staff_movement_form_offers_only_their_batches(client, a, b, staff_a):
    response = client.get(url("stockmovement", "add") + f"?batch={b.batch.pk}")

    field = response.context["adminform"].form.fields["batch"]
    assert list(field.queryset) == [a.batch]
    assert str(b.batch) not in response.content.decode()


def test_staff_see_only_their_own_cooperative(client, a, b, staff_a):
    response = client.get(reverse("admin:shop_cooperative_changelist"))

    assert [row.pk for row in response.context["cl"].result_list] == [a.cooperative.pk]
    assert b.cooperative.name not in response.content.decode()


def test_staff_cannot_open_another_cooperative(client, a, b, staff_a):
    response = client.get(
        reverse("admin:shop_cooperative_change", args=[b.cooperative.pk]), follow=True
    )

    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    assert b.cooperative.name not in response.content.decode()


def test_staff_edit_their_cooperatives_story_but_not_who_it_is(client, a, b, staff_a):
    change = reverse("admin:shop_cooperative_change", args=[a.cooperative.pk])
    data = change_form_data(client.get(change))
    data.update(story_vi="Sáu thế hệ làm gốm.", name="Renamed", slug="renamed")

    response = client.post(change, data)

    assert response.status_code == 302
    a.cooperative.refresh_from_db()
    assert a.cooperative.story_vi == "Sáu thế hệ làm gốm."
    assert (a.cooperative.name, a.cooperative.slug) != ("Renamed", "renamed")


@pytest.mark.parametrize("view", ["add", "delete"])
def test_staff_can_neither_add_nor_delete_cooperatives(client, a, b, staff_a, view):
    args = [] if view == "add" else [a.cooperative.pk]

    response = client.post(reverse(f"admin:shop_cooperative_{view}", args=args), {"post": "yes"})

    assert response.status_code == 403
    assert Cooperative.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("admin:shop_user_changelist", []),
        ("admin:shop_user_add", []),
        ("admin:shop_user_change", ["self"]),
        ("admin:auth_user_password_change", ["self"]),
    ],
)
def test_staff_cannot_reach_the_user_admin(client, a, staff_a, name, args):
    args = [staff_a.pk if arg == "self" else arg for arg in args]

    response = client.get(reverse(name, args=args))

    assert response.status_code == 403


def test_staff_index_lists_only_what_they_may_use(client, a, staff_a):
    response = client.get(reverse("admin:index"))

    models = {
        (app["app_label"], model["object_name"])
        for app in response.context["app_list"]
        for model in app["models"]
    }
    assert models == {
        ("shop", "Cooperative"),
        ("shop", "CooperativeVisit"),
        ("shop", "Product"),
        ("shop", "Variant"),
        ("shop", "Batch"),
        ("shop", "StockMovement"),
        ("shop", "Order"),
        ("shop", "Shipment"),
        ("traceability", "Province"),
        ("traceability", "Village"),
        ("traceability", "TraceEvent"),
        ("traceability", "ScanCount"),
        ("traceability", "SuspiciousProductReport"),
        ("traceability", "Recall"),
    }
