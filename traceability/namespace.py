"""The `ocop:` vocabulary: the extension terms of our EPCIS documents, and what each means.

The EPCIS export (traceability.epcis) maps the prefix `ocop` to `{SITE_URL}/ns/trace#`;
`/ns/trace` serves this list as a page for people (each term with its meaning in English
and Vietnamese) and as JSON-LD for machines. A term used by the export and missing here is
caught by tests/traceability/test_epcis_schema.py.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from traceability.models import TraceEvent

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"


@dataclass(frozen=True)
class Term:
    name: str
    kind: str  # "Property" or "Class"
    comment: Promise


TERMS = (
    Term(
        "stage",
        "Property",
        _(
            "The stage of the lot's life the event records: harvest, processing, packing, "
            "shipping, receiving, inspection, certification, transformation (a gift set put "
            "together from other lots) or correction."
        ),
    ),
    Term(
        "sequence",
        "Property",
        _("The event's position in its lot's chained record, counting from 1."),
    ),
    Term("place", "Property", _("Where the stage happened, in the words of who recorded it.")),
    Term(
        "actor",
        "Property",
        _("Who carried out the stage: a person, the cooperative, a laboratory or a carrier."),
    ),
    Term(
        "hash",
        "Property",
        _(
            "The SHA-256 digest, in hexadecimal, of the event's record, which includes the hash "
            "of the event before it: changing an earlier event breaks every later hash."
        ),
    ),
    Term(
        "previousHash",
        "Property",
        _("The hash of the event before this one in the lot's record; 64 zeros for the first."),
    ),
    Term(
        "record",
        "Property",
        _(
            "The event's content exactly as its hash covers it, so that anyone can recompute "
            "the hash and check it against the shop's signed checkpoints."
        ),
    ),
    Term(
        "photo",
        "Property",
        _("The photo recorded as evidence of the stage; its SHA-256 is part of the record."),
    ),
    Term("notesEn", "Property", _("Notes on the stage, in English.")),
    Term("notesVi", "Property", _("Notes on the stage, in Vietnamese.")),
    Term(
        "standard",
        "Property",
        _(
            "The standard the stage was carried out or checked under, by name (for example "
            "VietGAP or TCVN 5107:2018). A certification also names it by URI in "
            "certificationInfo."
        ),
    ),
    Term(
        "Standard",
        "Class",
        _(
            "A standard or certification scheme named in the shop's trace records; its URI "
            "is under /ns/trace/standards/."
        ),
    ),
)


def namespace_iri() -> str:
    return f"{settings.SITE_URL}/ns/trace#"


def in_languages(text: Promise) -> dict[str, str]:
    """The text in each of the shop's languages, as a JSON-LD language map."""
    found = {}
    for language in LANGUAGES:
        with override(language):
            found[language] = str(text)
    return found


TITLE = _("OCOP trace vocabulary")
DESCRIPTION = _(
    "Terms the OCOP Village Shop adds to GS1 EPCIS 2.0 in the trace records of its lots."
)


def rows() -> list[dict]:
    """Each term with its meaning in English and Vietnamese, for the page."""
    return [
        {"name": term.name, "kind": term.kind, "meaning": in_languages(term.comment)}
        for term in TERMS
    ]


def jsonld() -> dict:
    """The vocabulary as JSON-LD (RDF Schema terms, labels and comments by language)."""
    iri = namespace_iri()
    ontology = iri.rstrip("#")
    graph: list[dict] = [
        {
            "@id": ontology,
            "@type": "owl:Ontology",
            "label": in_languages(TITLE),
            "comment": in_languages(DESCRIPTION),
        }
    ]
    for term in TERMS:
        graph.append(
            {
                "@id": f"ocop:{term.name}",
                "@type": f"rdf:{term.kind}" if term.kind == "Property" else "rdfs:Class",
                "rdfs:label": term.name,
                "comment": in_languages(term.comment),
                "isDefinedBy": {"@id": ontology},
            }
        )
    return {
        "@context": {
            "rdf": RDF,
            "rdfs": RDFS,
            "owl": OWL,
            "ocop": iri,
            "label": {"@id": "rdfs:label", "@container": "@language"},
            "comment": {"@id": "rdfs:comment", "@container": "@language"},
            "isDefinedBy": {"@id": "rdfs:isDefinedBy", "@type": "@id"},
        },
        "@graph": graph,
    }


def standard_jsonld(*, name: str, uri: str) -> dict:
    """A standard named on trace events, as JSON-LD."""
    return {
        "@context": {"rdfs": RDFS, "ocop": namespace_iri()},
        "@id": uri,
        "@type": "ocop:Standard",
        "rdfs:label": name,
    }


def standard_is_named(*, name: str) -> bool:
    """Whether any trace event names this standard (one query)."""
    return bool(name) and TraceEvent.objects.filter(standard=name).exists()
