"""The trace page's "Visit the village" (issue 16, part 4): read with the lot in the same
query, shown only when published, in the reader's language, and refreshed when edited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.models.gifts import CooperativeVisit
from shop.workspace import visit_edits
from tests.factories import BatchFactory
from tests.traceability.factories import add_events
from traceability.links import digital_link_path

pytestmark = pytest.mark.django_db


def page(client, batch, language="en") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code),
            HTTP_ACCEPT_LANGUAGE=language,
        )
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def a_visit(cooperative, **fields) -> CooperativeVisit:
    values = {
        "published": True,
        "activities_en": "Watch the anchovies ferment in wooden barrels.",
        "activities_vi": "Xem cá cơm ủ chượp trong thùng gỗ.",
        "nearest_city_en": "Phu Quoc town",
        "nearest_city_vi": "Thị trấn Dương Đông",
        "best_months": [12, 1, 2],
        "travel_minutes": 90,
        "contact_phone": "+84 297 384 6000",
        "contact_email": "visit@duongdong.example",
        **fields,
    }
    return CooperativeVisit.objects.create(cooperative=cooperative, **values)


def test_a_published_visit_shows_in_the_readers_language_at_no_extra_query(client):
    plain, visited = BatchFactory(), BatchFactory()
    add_events(plain, 2)
    add_events(visited, 2)
    a_visit(visited.variant.product.cooperative)

    plain_html, plain_queries = page(client, plain)
    html, queries = page(client, visited)
    vi_html, _ = page(client, visited, "vi")

    assert queries == plain_queries == 4
    assert "Visit the village" not in plain_html
    assert "Visit the village" in html
    assert "Watch the anchovies ferment in wooden barrels." in html
    assert "December, January, February" in html
    assert "From Phu Quoc town: about 1 hour 30 min." in html
    assert 'href="tel:+842973846000"' in html
    assert 'href="mailto:visit@duongdong.example"' in html
    assert "<circle " in html
    assert "Xem cá cơm ủ chượp trong thùng gỗ." in vi_html
    assert "tháng 12" in vi_html.lower()


def test_an_unpublished_visit_is_not_shown(client):
    batch = BatchFactory()
    a_visit(batch.variant.product.cooperative, published=False)

    html, _ = page(client, batch)

    assert "Visit the village" not in html
    assert "anchovies" not in html


def test_publishing_in_the_workspace_refreshes_the_cached_page(
    client, django_capture_on_commit_callbacks
):
    batch = BatchFactory()
    cooperative = batch.variant.product.cooperative
    assert "Visit the village" not in page(client, batch)[0]  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        visit_edits.save_visit(
            cooperative_id=cooperative.pk,
            values={"published": True, "activities_en": "Homestays with the families."},
        )

    assert "Homestays with the families." in page(client, batch)[0]
