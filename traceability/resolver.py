"""GS1 Digital Link resolving rules: parse a URI path, decide what to answer.

Pure functions, no database: the view looks the batch up and renders. Supported:
`/01/<GTIN>[/10/<lot>[/21/<serial>]]` with expiry as `?17=YYMMDD`. GTIN-8/12/13 are
padded to 14 digits and the check digit verified; lot and serial are 1–20 characters of GS1
character set 82 after percent-decoding. Key qualifiers must come in the order GS1 fixes
(22, 10, 21); anything else is a syntax error (400).
"""

import datetime
import enum
from dataclasses import dataclass, field
from urllib.parse import unquote

from traceability.gs1 import InvalidGTIN, InvalidLot, normalise_gtin, validate_lot

# GS1 Digital Link 1.2, §4: the qualifiers of AI 01 and the one order they may appear in.
QUALIFIER_ORDER = ("22", "10", "21")
QUALIFIER_NAMES = {"22": "consumer product variant", "10": "lot", "21": "serial number"}
SUPPORTED_QUALIFIERS = {"10", "21"}
GS1_VOC = "https://gs1.org/voc/"
_VOC_PREFIXES = ("gs1:", GS1_VOC, "https://ref.gs1.org/voc/", "http://gs1.org/voc/")
LINKSET_TYPE = "application/linkset+json"
JSONLD_TYPE = "application/ld+json"
LINKSET_CONTEXT = "https://ref.gs1.org/standards/resolver/linkset-context"


class BadLink(ValueError):
    """The URI is not a well-formed GS1 Digital Link we can answer (HTTP 400).

    `code` says which part is wrong, so the page can explain it in the reader's language:
    gtin, lot, serial, order, expiry, unsupported or syntax.
    """

    def __init__(self, message: str, code: str = "syntax"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class DigitalLink:
    gtin: str
    lot: str | None = None
    serial: str | None = None
    expiry: datetime.date | None = None
    link_type: str | None = None  # "pip", "traceability", ... or "linkset"
    query: dict = field(default_factory=dict, compare=False)


def raw_segments(path: str) -> list[str]:
    """Split a path at '/', then percent-decode each segment (so %2F stays inside a lot)."""
    return [unquote(part) for part in path.strip("/").split("/")]


def decoded_segments(path: str) -> list[str]:
    """Segments of an already decoded path, where an encoded '/' can no longer be told from
    a separator: a value runs on over segments that are not one of the qualifier codes."""
    parts = path.strip("/").split("/")
    merged: list[str] = []
    for part in parts:
        expecting_value = len(merged) % 2 == 1
        if merged and not expecting_value and part not in QUALIFIER_ORDER:
            merged[-1] += "/" + part
        else:
            merged.append(part)
    return merged


def parse_expiry(text: str) -> datetime.date:
    """AI 17 as YYMMDD; day 00 means the last day of the month (GS1 General Spec. 7.12)."""
    if len(text) != 6 or not text.isascii() or not text.isdigit():
        raise BadLink("The expiry date (17) has six digits, YYMMDD.", "expiry")
    year, month, day = 2000 + int(text[:2]), int(text[2:4]), int(text[4:])
    # GS1's sliding century: a year more than 49 years ahead belongs to the last century.
    if year - datetime.date.today().year > 49:
        year -= 100
    try:
        if day == 0:
            following = datetime.date(year + month // 12, month % 12 + 1, 1)
            return following - datetime.timedelta(days=1)
        return datetime.date(year, month, day)
    except ValueError:
        raise BadLink("The expiry date (17) is not a real date.", "expiry") from None


def normalise_link_type(value: str) -> str:
    """'gs1:pip', 'https://gs1.org/voc/pip' -> 'pip'; 'linkset' and 'all' -> 'linkset'."""
    value = value.strip()
    if value in ("linkset", "all"):
        return "linkset"
    for prefix in _VOC_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def parse(segments: list[str], query: dict[str, str]) -> DigitalLink:
    """Parse the segments after the site root (starting with '01') and the query string."""
    if len(segments) < 2 or segments[0] != "01":
        raise BadLink("A product link starts with /01/ and the GTIN.")
    try:
        gtin = normalise_gtin(segments[1])
    except InvalidGTIN as exc:
        raise BadLink(str(exc), "gtin") from None
    rest = segments[2:]
    if len(rest) % 2:
        raise BadLink("Each qualifier in the path needs a value.")
    values: dict[str, str] = {}
    last_position = -1
    for code, value in zip(rest[::2], rest[1::2], strict=True):
        if code not in QUALIFIER_ORDER:
            raise BadLink(f"{code!r} is not a qualifier of a GTIN (22, 10 or 21).")
        position = QUALIFIER_ORDER.index(code)
        if position <= last_position:
            raise BadLink("Qualifiers must come in the order 22, 10, 21, each once.", "order")
        if code not in SUPPORTED_QUALIFIERS:
            raise BadLink(f"We do not use {QUALIFIER_NAMES[code]}s (AI {code}).", "unsupported")
        try:
            values[code] = validate_lot(value)
        except InvalidLot as exc:
            raise BadLink(
                f"The {QUALIFIER_NAMES[code]}: {exc}", "lot" if code == "10" else "serial"
            ) from None
        last_position = position
    expiry = parse_expiry(query["17"]) if "17" in query else None
    link_type = normalise_link_type(query["linkType"]) if query.get("linkType") else None
    return DigitalLink(
        gtin=gtin,
        lot=values.get("10"),
        serial=values.get("21"),
        expiry=expiry,
        link_type=link_type,
        query=query,
    )


class Answer(enum.Enum):
    TRACE_PAGE = "trace"
    PRODUCT_PAGE = "pip"
    RECALL_STATUS = "recall"
    LINKSET = "linkset"
    EPCIS = "epcis"
    NOT_FOUND = "not_found"


# Link types a batch-level link answers, and what each answers with.
BATCH_LINK_TYPES = {
    "pip": Answer.PRODUCT_PAGE,
    "traceability": Answer.TRACE_PAGE,
    "defaultLink": Answer.TRACE_PAGE,
    "recallStatus": Answer.RECALL_STATUS,
    "epcis": Answer.EPCIS,
    "linkset": Answer.LINKSET,
}
PRODUCT_LINK_TYPES = {
    "pip": Answer.PRODUCT_PAGE,
    "defaultLink": Answer.PRODUCT_PAGE,
    "linkset": Answer.LINKSET,
}


def choose(link: DigitalLink, *, preferred_type: str | None) -> Answer:
    """What to answer for a link, given the media type the client prefers (from Accept).

    With a linkType the link type decides (an unknown one is a 404); without one, a client
    that asks for a linkset or for JSON-LD gets it, and everyone else gets the default link:
    the trace page for a lot, the product page for a bare GTIN.
    """
    table = BATCH_LINK_TYPES if link.lot else PRODUCT_LINK_TYPES
    if link.link_type:
        answer = table.get(link.link_type, Answer.NOT_FOUND)
        if answer is Answer.TRACE_PAGE and preferred_type == JSONLD_TYPE:
            return Answer.EPCIS
        return answer
    if preferred_type == LINKSET_TYPE:
        return Answer.LINKSET
    if preferred_type == JSONLD_TYPE and link.lot:
        return Answer.EPCIS
    return table["defaultLink"]


def linkset(
    *,
    anchor: str,
    product_url: str,
    product_title: str,
    trace_url: str | None,
    languages: list[str],
) -> dict:
    """The RFC 9264 linkset for a GTIN or a lot, with GS1 link types as relations."""

    def link(href, title, media_type="text/html"):
        entry = {"href": href, "title": title, "type": media_type}
        if media_type == "text/html":
            entry["hreflang"] = languages
        return entry

    item = {"anchor": anchor, GS1_VOC + "pip": [link(product_url, product_title)]}
    if trace_url:
        item[GS1_VOC + "traceability"] = [link(trace_url, product_title)]
        item[GS1_VOC + "defaultLink"] = [link(trace_url, product_title)]
        item[GS1_VOC + "recallStatus"] = [
            link(f"{anchor}?linkType=gs1:recallStatus", product_title, "application/json")
        ]
        item[GS1_VOC + "epcis"] = [link(f"{anchor}?linkType=gs1:epcis", product_title, JSONLD_TYPE)]
    else:
        item[GS1_VOC + "defaultLink"] = [link(product_url, product_title)]
    return {"linkset": [item]}


def resolver_description(*, root: str, name: str) -> dict:
    """The /.well-known/gs1resolver document (GS1-Conformant Resolver standard, §3)."""
    return {
        "name": name,
        "resolverRoot": root,
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": GS1_VOC, "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": False,
        "jsonLdContextLocation": LINKSET_CONTEXT,
        "contact": {"fn": name},
    }
