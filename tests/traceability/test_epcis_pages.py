"""The pages behind the EPCIS export: the `ocop:` namespace document (people and machines),
the standards it names, and the trace page's national minimum data (Circular 02/2024):
a location trace code for each stage and the brand."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import BatchFactory, UserFactory, VillageFactory
from tests.traceability.factories import add_events
from traceability import events, locations, namespace, recalls
from traceability.links import digital_link_path
from traceability.models import EventKind

pytestmark = pytest.mark.django_db
SITE = "https://shop.example"
COOPERATIVE_GLN = "8936011000000"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.GS1_COMPANY_PREFIX = "8934999"


def path_of(batch) -> str:
    return digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)


def test_the_namespace_page_lists_every_term_in_english_and_vietnamese(client):
    response = client.get("/ns/trace")

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert html.count('<tr id="') == len(namespace.TERMS)
    assert '<tr id="stage">' in html
    assert "The stage of the lot&#x27;s life the event records" in html
    assert '<td lang="vi">Công đoạn trong vòng đời của lô hàng mà sự kiện ghi lại' in html
    assert f"<code>{SITE}/ns/trace#</code>" in html


def test_the_namespace_answers_machines_with_json_ld(client):
    response = client.get("/ns/trace", HTTP_ACCEPT="application/ld+json")

    data = response.json()
    assert response["Content-Type"] == "application/ld+json"
    assert "Accept" in response["Vary"]
    assert data["@context"]["ocop"] == f"{SITE}/ns/trace#"
    terms = {node["@id"]: node for node in data["@graph"]}
    assert set(terms) == {f"{SITE}/ns/trace"} | {f"ocop:{t.name}" for t in namespace.TERMS}
    stage = terms["ocop:stage"]
    assert stage["@type"] == "rdf:Property"
    assert sorted(stage["comment"]) == ["de", "en", "fr", "ja", "ko", "vi", "zh-hans"]
    assert stage["comment"]["vi"].startswith("Công đoạn trong vòng đời")


def test_a_standard_nobody_named_is_404(client):
    assert client.get("/ns/trace/standards/Made-up").status_code == 404


def test_a_named_standard_answers_machines_too(client):
    batch = BatchFactory()
    add_events(batch, 3)  # the third, an inspection, under VietGAP

    response = client.get("/ns/trace/standards/VietGAP", HTTP_ACCEPT="application/json")

    assert response.json() == {
        "@context": {"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "ocop": f"{SITE}/ns/trace#"},
        "@id": f"{SITE}/ns/trace/standards/VietGAP",
        "@type": "ocop:Standard",
        "rdfs:label": "VietGAP",
    }


def lot_with_stages():
    """A lot from a numbered village, of a cooperative with its own GLN: a harvest in the
    village and a packing at the cooperative's premises."""
    batch = BatchFactory(
        variant__product__cooperative__gln=COOPERATIVE_GLN,
        variant__product__brand="Gốm Chu Đậu",
    )
    locations.assign_village_gln(village=batch.village)
    when = timezone.now() - datetime.timedelta(days=2)
    events.append_event(
        batch=batch, kind=EventKind.HARVEST, occurred_at=when, place="Đồi chè", actor="An",
        village=batch.village,
    )  # fmt: skip
    events.append_event(
        batch=batch, kind=EventKind.PACKING, occurred_at=when + datetime.timedelta(days=1),
        place="Xưởng đóng gói", actor="HTX",
    )  # fmt: skip
    return batch


def test_the_trace_page_shows_each_stages_location_code_and_the_brand(client):
    batch = lot_with_stages()
    village_gln = batch.village.gln

    html = client.get(path_of(batch)).content.decode()

    assert '<dd class="brand">Gốm Chu Đậu</dd>' in html
    assert html.count('<td><span class="gln">') == 2
    harvest_row = html.index('<th scope="row">Harvest</th>')
    packing_row = html.index('<th scope="row">Packing</th>')
    assert html.index(f'<span class="gln">{village_gln}</span>', harvest_row) < packing_row
    assert html.index(f'<span class="gln">{COOPERATIVE_GLN}</span>', packing_row) > packing_row


def test_without_a_brand_the_page_shows_the_producers_name_and_says_so(client):
    batch = BatchFactory(variant__product__brand="")
    cooperative = batch.variant.product.cooperative

    html = client.get(path_of(batch), HTTP_ACCEPT_LANGUAGE="vi").content.decode()

    assert (
        f'<dd class="brand">{cooperative.name} <span class="muted">'
        "(chưa đăng ký nhãn hiệu: hiển thị tên nhà sản xuất)</span></dd>"
    ) in html


def test_a_stage_without_any_gln_says_not_assigned(client):
    batch = BatchFactory()
    add_events(batch, 2)

    html = client.get(path_of(batch)).content.decode()

    assert html.count('<span class="muted">not assigned</span>') == 2


def test_the_location_codes_cost_no_query_per_stage(client):
    def queries(stages: int) -> int:
        batch = BatchFactory(variant__product__cooperative__gln=COOPERATIVE_GLN)
        for _ in range(stages):
            village = VillageFactory()
            locations.assign_village_gln(village=village)
            events.append_event(
                batch=batch, kind=EventKind.HARVEST, place="Đồi", actor="An", village=village,
                occurred_at=timezone.now() - datetime.timedelta(hours=1),
            )  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            html = client.get(path_of(batch)).content.decode()
        assert html.count('<td><span class="gln">') == stages
        return len(captured)

    assert queries(1) == queries(5)


def test_the_resolvers_epcis_answer_for_a_recalled_lot_marks_the_recall(client):
    # Given a lot with two stages, recalled by the shop
    batch = lot_with_stages()
    admin = UserFactory(is_superuser=True, is_staff=True)
    recalls.recall_batch(batch=batch, reason="Seal found broken", actor=admin)

    # When a machine asks its Digital Link for EPCIS
    response = client.get(path_of(batch), HTTP_ACCEPT="application/ld+json")

    # Then only the recall's event is `recalled`, and every stage has a GLN read point
    event_list = response.json()["epcisBody"]["eventList"]
    assert [e.get("disposition") for e in event_list] == ["active", "in_progress", "recalled"]
    assert [e["readPoint"]["id"] for e in event_list] == [
        f"https://id.gs1.org/414/{batch.village.gln}",
        f"https://id.gs1.org/414/{COOPERATIVE_GLN}",
        f"https://id.gs1.org/414/{COOPERATIVE_GLN}",
    ]
