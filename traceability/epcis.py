"""EPCIS 2.0 shapes of our trace events, and a batch's events as an EPCIS JSON-LD document.

Each kind of event maps to an EPCIS event type, action and CBV 2.0 business step. CBV has no
word for processing (fermenting fish sauce, drying tea), so it is `other`, and every event
also carries its own kind as the extension `ocop:stage`.
"""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from traceability.links import digital_link_path
from traceability.models import EventKind

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
GS1_ID_ROOT = "https://id.gs1.org"


@dataclass(frozen=True)
class Shape:
    event_type: str
    action: str | None
    biz_step: str
    disposition: str | None


SHAPES = {
    EventKind.HARVEST: Shape("ObjectEvent", "ADD", "commissioning", "active"),
    EventKind.PROCESSING: Shape("ObjectEvent", "OBSERVE", "other", "in_progress"),
    EventKind.PACKING: Shape("ObjectEvent", "OBSERVE", "packing", "in_progress"),
    EventKind.SHIPPING: Shape("ObjectEvent", "OBSERVE", "shipping", "in_transit"),
    EventKind.RECEIVING: Shape("ObjectEvent", "OBSERVE", "receiving", "in_progress"),
    EventKind.INSPECTION: Shape("ObjectEvent", "OBSERVE", "inspecting", None),
    EventKind.CERTIFICATION: Shape("ObjectEvent", "OBSERVE", "inspecting", None),
    EventKind.TRANSFORMATION: Shape("TransformationEvent", None, "assembling", "active"),
    # CBV has no step for "a fact recorded at receipt was wrong"; the stage says it.
    EventKind.CORRECTION: Shape("ObjectEvent", "OBSERVE", "other", None),
}


def default_biz_step(kind: str) -> str:
    return SHAPES[EventKind(kind)].biz_step


def lgtin(*, gtin: str, lot: str) -> str:
    """A lot of a trade item as a canonical GS1 Digital Link URI (EPCIS class-level id)."""
    return GS1_ID_ROOT + digital_link_path(gtin=gtin, lot=lot)


def _local_time(moment) -> tuple[str, str]:
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    offset = local.strftime("%z")
    return local.isoformat(), f"{offset[:3]}:{offset[3:]}"


def event_json(event, *, batch) -> dict:
    """One event as EPCIS 2.0 JSON-LD. `event.inputs` should be prefetched with variants."""
    shape = SHAPES[EventKind(event.kind)]
    event_time, offset = _local_time(event.occurred_at)
    output = {"epcClass": lgtin(gtin=batch.variant.gtin, lot=batch.lot_code)}
    data: dict = {"type": shape.event_type, "eventTime": event_time, "eventTimeZoneOffset": offset}
    if shape.event_type == "TransformationEvent":
        data["inputQuantityList"] = [
            {"epcClass": lgtin(gtin=item.variant.gtin, lot=item.lot_code)}
            for item in event.inputs.all()
        ]
        data["outputQuantityList"] = [output]
    else:
        data["action"] = shape.action
        data["quantityList"] = [output]
    data["bizStep"] = event.biz_step
    if shape.disposition:
        data["disposition"] = shape.disposition
    if event.village_id:
        village = event.village
        data["readPoint"] = {"id": f"geo:{village.latitude},{village.longitude}"}
    if event.kind == EventKind.CERTIFICATION and event.standard:
        data["certificationInfo"] = event.standard
    data.update(
        {
            "ocop:stage": event.kind,
            "ocop:sequence": event.sequence,
            "ocop:place": event.place,
            "ocop:actor": event.actor,
            "ocop:hash": event.hash,
            "ocop:previousHash": event.previous_hash,
        }
    )
    for field, key in (("notes_en", "ocop:notesEn"), ("notes_vi", "ocop:notesVi")):
        if getattr(event, field):
            data[key] = getattr(event, field)
    if event.standard and event.kind != EventKind.CERTIFICATION:
        data["ocop:standard"] = event.standard
    return data


def document(*, batch, events) -> dict:
    """The EPCISDocument for a batch: its events in chain order."""
    return {
        "@context": [EPCIS_CONTEXT, {"ocop": f"{settings.SITE_URL}/ns/trace#"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(),
        "epcisBody": {"eventList": [event_json(event, batch=batch) for event in events]},
    }
