"""The EPCIS export judged by GS1's own EPCIS 2.0 JSON schema (a copy in standards/), with
its `uri` and `date-time` formats checked: every kind of event, a recall, certifications
as URIs, GLNs as read points and business locations, and every `ocop:` key defined."""

import datetime
import json
import re
from pathlib import Path

import jsonschema
import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.traceability.factories import gift_set_with_components
from traceability import corrections, epcis, events, namespace, recalls
from traceability.models import EventKind, TraceEvent

pytestmark = pytest.mark.django_db
SITE = "https://shop.example"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


STANDARDS = Path(__file__).parent / "standards"
SCHEMA = json.loads((STANDARDS / "EPCIS-JSON-Schema.json").read_text())
VILLAGE_GLN = "8934999000012"
COOPERATIVE_GLN = "8936011000000"
# RFC 3986: a scheme, a colon, then only unreserved, reserved or percent-encoded characters.
URI = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$"
)
# RFC 3339 date-time, as the schema's "date-time" format means it.
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

FORMATS = jsonschema.FormatChecker()
FORMATS.checks("uri")(lambda value: not isinstance(value, str) or bool(URI.match(value)))
FORMATS.checks("date-time")(
    lambda value: not isinstance(value, str) or bool(DATE_TIME.match(value))
)
VALIDATOR = jsonschema.Draft7Validator(SCHEMA, format_checker=FORMATS)


def schema_errors(document: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in VALIDATOR.iter_errors(document)
    ]


def chain_of(batch) -> list[TraceEvent]:
    return list(
        TraceEvent.objects.filter(batch=batch)
        .select_related("village__province")
        .prefetch_related("inputs__variant")
        .order_by("sequence")
    )


def every_kind_recalled():
    """A gift box lot with a GLN'd village and cooperative, assembled, then through every
    other kind of stage, corrected, and recalled."""
    box, _components = gift_set_with_components(2)
    box.village.gln = VILLAGE_GLN
    box.village.save(update_fields=["gln"])
    cooperative = box.variant.product.cooperative
    cooperative.gln = COOPERATIVE_GLN
    cooperative.save(update_fields=["gln"])
    box.refresh_from_db()
    start = timezone.now() - datetime.timedelta(hours=1)
    stages = [
        (EventKind.HARVEST, box.village, ""),
        (EventKind.PROCESSING, None, ""),
        (EventKind.PACKING, None, ""),
        (EventKind.INSPECTION, None, "VietGAP"),
        (EventKind.CERTIFICATION, None, "TCVN 5107:2018"),
        (EventKind.SHIPPING, None, ""),
        (EventKind.RECEIVING, None, ""),
    ]
    for minute, (kind, village, standard) in enumerate(stages):
        events.append_event(
            batch=box, kind=kind, occurred_at=start + datetime.timedelta(minutes=minute),
            place="Xưởng", actor="Hợp tác xã", village=village, standard=standard,
        )  # fmt: skip
    admin = UserFactory(is_superuser=True, is_staff=True)
    corrections.correct_batch(
        batch=box, field="packing_date", value=box.packing_date + datetime.timedelta(days=1),
        reason="Typo on the label", actor=admin,
    )  # fmt: skip
    recall = recalls.recall_batch(batch=box, reason="Seal found broken", actor=admin)
    box.refresh_from_db()
    return box, recall


def test_a_document_with_every_kind_of_event_and_a_recall_validates_against_gs1s_schema():
    # Given a lot whose record holds every kind of event, then a recall
    box, _recall = every_kind_recalled()

    # When it is exported
    document = epcis.document(batch=box, events=chain_of(box))

    # Then GS1's EPCIS 2.0 schema finds nothing wrong, formats included
    stages = [event["ocop:stage"] for event in document["epcisBody"]["eventList"]]
    assert set(stages) == set(EventKind.values)
    assert schema_errors(document) == []


def test_the_validator_does_check_formats():
    # The old export's one official-schema error: a standard's name as certificationInfo.
    document = {
        "@context": [epcis.EPCIS_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-06-01T08:00:00+07:00",
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "action": "OBSERVE",
                    "eventTime": "2025-06-01T08:00:00+07:00",
                    "eventTimeZoneOffset": "+07:00",
                    "quantityList": [{"epcClass": "https://id.gs1.org/01/08936011000014/10/A1"}],
                    "certificationInfo": "VietGAP",
                }
            ]
        },
    }

    assert schema_errors(document) == [
        "epcisBody/eventList/0/certificationInfo: 'VietGAP' is not valid under any of the "
        "given schemas"
    ]


def test_the_recall_carries_the_cbv_recalled_disposition_and_only_it():
    box, recall = every_kind_recalled()

    document = epcis.document(batch=box, events=chain_of(box))

    recalled = [
        (event["ocop:stage"], event["bizStep"], event["eventTime"])
        for event in document["epcisBody"]["eventList"]
        if event.get("disposition") == "recalled"
    ]
    assert recalled == [("inspection", "inspecting", epcis._local_time(recall.created_at)[0])]


def test_an_inspection_of_a_lot_not_recalled_has_no_disposition():
    box, _recall = every_kind_recalled()
    events_ = chain_of(box)
    inspection = next(e for e in events_ if e.kind == EventKind.INSPECTION)

    assert "disposition" not in epcis.event_json(inspection, batch=box, recall=None)


def test_a_certification_names_its_standard_by_a_uri_the_shop_answers(client):
    box, _recall = every_kind_recalled()

    document = epcis.document(batch=box, events=chain_of(box))

    certification = next(
        e for e in document["epcisBody"]["eventList"] if e["ocop:stage"] == "certification"
    )
    uri = certification["certificationInfo"]
    assert uri == f"{SITE}/ns/trace/standards/TCVN%205107:2018"
    assert certification["ocop:standard"] == "TCVN 5107:2018"
    response = client.get(uri.removeprefix(SITE))
    assert response.status_code == 200
    assert '<h1 id="standard-title">TCVN 5107:2018</h1>' in response.content.decode()


def test_read_points_and_business_locations_are_glns_in_digital_link_form():
    box, _recall = every_kind_recalled()

    document = epcis.document(batch=box, events=chain_of(box))

    where = {
        event["ocop:stage"]: (event.get("readPoint"), event.get("bizLocation"))
        for event in document["epcisBody"]["eventList"]
    }
    village = {"id": f"https://id.gs1.org/414/{VILLAGE_GLN}"}
    premises = {"id": f"https://id.gs1.org/414/{COOPERATIVE_GLN}"}
    assert where["harvest"] == (village, village)
    assert where["processing"] == (premises, premises)
    assert where["certification"] == (premises, premises)
    # Goods on the road are at no business location (CBV: in_transit).
    assert where["shipping"] == (premises, None)


def test_an_event_recorded_before_glns_falls_back_to_the_village_then_the_cooperative():
    box, _recall = every_kind_recalled()
    TraceEvent.objects.filter(batch=box).update(location_gln="")
    chain = chain_of(box)

    document = epcis.document(batch=box, events=chain)

    harvest, processing = document["epcisBody"]["eventList"][1:3]
    assert harvest["readPoint"] == {"id": f"https://id.gs1.org/414/{VILLAGE_GLN}"}
    assert processing["readPoint"] == {"id": f"https://id.gs1.org/414/{COOPERATIVE_GLN}"}


def test_every_ocop_key_the_export_uses_is_defined_in_the_namespace_document():
    box, _recall = every_kind_recalled()

    document = epcis.document(batch=box, events=chain_of(box))

    used = {
        key.removeprefix("ocop:")
        for event in document["epcisBody"]["eventList"]
        for key in event
        if key.startswith("ocop:")
    }
    defined = {term.name for term in namespace.TERMS}
    assert used - defined == set()
    assert document["@context"][1]["ocop"] == f"{SITE}/ns/trace#"


def test_a_business_step_outside_cbv_is_exported_as_the_kinds_own():
    box, _recall = every_kind_recalled()
    TraceEvent.objects.filter(batch=box, kind=EventKind.PACKING).update(
        biz_step="urn:epcglobal:cbv:bizstep:packing"
    )

    document = epcis.document(batch=box, events=chain_of(box))

    packing = next(e for e in document["epcisBody"]["eventList"] if e["ocop:stage"] == "packing")
    assert packing["bizStep"] == "packing"
    assert schema_errors(document) == []
