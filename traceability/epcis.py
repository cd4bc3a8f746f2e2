"""EPCIS 2.0 shapes of our trace events, and a batch's events as an EPCIS JSON-LD document.

Every document validates against GS1's EPCIS 2.0 JSON schema (tests/traceability/
test_epcis_schema.py runs it on every kind of event). Each kind of event maps to an EPCIS
event type, action and CBV 2.0 business step. CBV has no word for processing (fermenting
fish sauce, drying tea), so it is `other`, and every event also carries its own kind as the
extension `ocop:stage`. Extensions are compact IRIs in the `ocop:` namespace, which the
shop serves as a document at `/ns/trace` (traceability.namespace).

Where: the stage's GLN (traceability.locations) in GS1 Digital Link form, as the read point
and, unless the goods are on the road, the business location. Certifications name their
standard by a URI the shop answers for (`/ns/trace/standards/<name>`), as the schema
requires of `certificationInfo`. A recall is logged as an inspection at the moment of the
recall (traceability.recalls); its event carries the CBV disposition `recalled`.
"""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone

from shop import sites
from shop.models import BatchStatus
from traceability import locations, records
from traceability.links import digital_link_path
from traceability.models import EventKind

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
GS1_ID_ROOT = "https://id.gs1.org"
NAMESPACE_PREFIX = "ocop"
# CBV 2.0 business steps (the bare words EPCIS 2.0 JSON accepts; anything else must be a URI).
CBV_BIZ_STEPS = frozenset(
    "accepting arriving assembling collecting commissioning consigning creating_class_instance "
    "cycle_counting decommissioning departing destroying disassembling dispensing encoding "
    "entering_exiting holding inspecting installing killing loading other packing picking "
    "receiving removing repackaging repairing replacing reserving retail_selling shipping "
    "staging_outbound stock_taking stocking storing transporting unloading unpacking "
    "void_shipping sensor_reporting sampling".split()
)


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
RECALLED = "recalled"


def default_biz_step(kind: str) -> str:
    return SHAPES[EventKind(kind)].biz_step


def lgtin(*, gtin: str, lot: str) -> str:
    """A lot of a trade item as a canonical GS1 Digital Link URI (EPCIS class-level id)."""
    return GS1_ID_ROOT + digital_link_path(gtin=gtin, lot=lot)


def standard_uri(standard: str) -> str:
    """The URI of a standard named on an event (VietGAP, TCVN 5107:2018), which the shop
    answers at /ns/trace/standards/<name>."""
    return settings.SITE_URL + reverse("traceability:standard", kwargs={"name": standard})


def is_recall_event(event, *, recall) -> bool:
    """The inspection traceability.recalls logs when it recalls the lot: the one at the very
    moment of the recall (it is appended with `occurred_at=recall.created_at`)."""
    return (
        recall is not None
        and event.kind == EventKind.INSPECTION
        and event.occurred_at == recall.created_at
    )


def _local_time(moment) -> tuple[str, str]:
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    offset = local.strftime("%z")
    return local.isoformat(), f"{offset[:3]}:{offset[3:]}"


def _biz_step(event, shape: Shape) -> str:
    # Only the kinds' own steps are stored today; a stray word (or a CBV step spelt as a URI,
    # which the schema refuses) would make the whole export invalid.
    return event.biz_step if event.biz_step in CBV_BIZ_STEPS else shape.biz_step


def _where(event, *, batch, shape: Shape) -> dict:
    """readPoint and bizLocation: the stage's GLN; goods on the road have no bizLocation."""
    gln = locations.event_gln(event, cooperative=batch.variant.product.cooperative)
    if gln:
        place = {"id": locations.location_uri(gln)}
        if shape.disposition == "in_transit":
            return {"readPoint": place}
        return {"readPoint": place, "bizLocation": place}
    if event.village_id:
        village = event.village
        return {"readPoint": {"id": f"geo:{village.latitude},{village.longitude}"}}
    return {}


def event_json(event, *, batch, recall=None) -> dict:
    """One event as EPCIS 2.0 JSON-LD. `event.inputs` should be prefetched with variants,
    `event.village` selected, and `batch` loaded with its product's cooperative. `recall`
    is the batch's Recall, if it has one."""
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
    data["bizStep"] = _biz_step(event, shape)
    disposition = RECALLED if is_recall_event(event, recall=recall) else shape.disposition
    if disposition:
        data["disposition"] = disposition
    data.update(_where(event, batch=batch, shape=shape))
    if event.kind == EventKind.CERTIFICATION and event.standard:
        data["certificationInfo"] = standard_uri(event.standard)
    data.update(
        {
            "ocop:stage": event.kind,
            "ocop:sequence": event.sequence,
            "ocop:place": event.place,
            "ocop:actor": event.actor,
            "ocop:hash": event.hash,
            "ocop:previousHash": event.previous_hash,
            # Exactly what ocop:hash covers, so anyone can recompute it (trace-verification.md).
            "ocop:record": records.content(event, [item.pk for item in event.inputs.all()]),
        }
    )
    if event.photo:
        data["ocop:photo"] = sites.site_url() + event.photo.url
    for field, key in (("notes_en", "ocop:notesEn"), ("notes_vi", "ocop:notesVi")):
        if getattr(event, field):
            data[key] = getattr(event, field)
    if event.standard:
        data["ocop:standard"] = event.standard
    return data


def recall_of(batch):
    """The batch's Recall, read only for a recalled batch (trace_page selects it)."""
    if batch.status != BatchStatus.RECALLED:
        return None
    try:
        return batch.recall
    except ObjectDoesNotExist:
        return None


def document(*, batch, events) -> dict:
    """The EPCISDocument for a batch: its events in chain order."""
    recall = recall_of(batch)
    return {
        "@context": [
            EPCIS_CONTEXT,
            {
                NAMESPACE_PREFIX: f"{settings.SITE_URL}/ns/trace#",
                # The record is the very JSON its hash covers: kept as JSON, not read as RDF.
                "ocop:record": {"@type": "@json"},
                "ocop:photo": {"@type": "@id"},
            },
        ],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(),
        # The batch's facts as its row holds them (the chain's facts must fold to these) and
        # where its signed checkpoints are published.
        "ocop:batch": batch.pk,
        "ocop:facts": records.batch_facts(batch),
        "ocop:checkpoints": sites.site_url()
        + f"{reverse('traceability:checkpoints')}?batch={batch.pk}",
        "epcisBody": {
            "eventList": [event_json(event, batch=batch, recall=recall) for event in events]
        },
    }
