"""Writers that change what a trace page shows refresh its cached copy after their commit:
the shop admin's saves of a product, variant, cooperative, batch or village (events and
recalls are covered with their services)."""

import pytest
from django.urls import reverse

from tests.factories import BatchFactory, UserFactory
from tests.shop.admin_forms import change_form_data
from traceability.links import digital_link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch():
    return BatchFactory(lot_code="CACHE1")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def trace_html(client, batch) -> str:
    response = client.get(digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code))
    assert response.status_code == 200
    return response.content.decode()


def save_in_admin(client, admin_name: str, pk: int, callbacks, **changes) -> None:
    url = reverse(f"admin:{admin_name}_change", args=[pk])
    data = change_form_data(client.get(url))
    data.update(changes)
    with callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


@pytest.mark.parametrize(
    ("admin_name", "target", "changes", "shown"),
    [
        ("shop_product", "product", {"name_en": "Renamed sauce"}, "Renamed sauce"),
        ("shop_variant", "variant", {"name_en": "1 litre can"}, "1 litre can"),
        ("shop_cooperative", "cooperative", {"story_en": "A new story."}, "A new story."),
        # A batch's dates change only through a correction (tests/traceability/test_corrections).
        ("traceability_village", "village", {"name": "Làng Mới"}, "Làng Mới"),
        ("traceability_province", "province", {"name": "Tỉnh Mới"}, "Tỉnh Mới"),
    ],
)
def test_an_admin_save_refreshes_the_cached_trace_page(
    admin_client, batch, django_capture_on_commit_callbacks, admin_name, target, changes, shown
):
    # Given a trace page already cached
    rows = {
        "product": batch.variant.product,
        "variant": batch.variant,
        "cooperative": batch.variant.product.cooperative,
        "batch": batch,
        "village": batch.village,
        "province": batch.village.province,
    }
    assert shown not in trace_html(admin_client, batch)

    # When the row it shows is changed in the admin
    save_in_admin(
        admin_client, admin_name, rows[target].pk, django_capture_on_commit_callbacks, **changes
    )

    # Then the page shows the change at once
    assert shown in trace_html(admin_client, batch)


def test_a_batch_can_no_longer_be_recalled_by_a_status_edit_in_the_admin(admin_client, batch):
    form = (
        admin_client.get(reverse("admin:shop_batch_change", args=[batch.pk]))
        .context["adminform"]
        .form
    )

    assert [value for value, _label in form.fields["status"].choices] == [
        "on_sale",
        "sold_out",
        "expired",
    ]
