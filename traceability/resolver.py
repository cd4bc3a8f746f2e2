"""GS1 Digital Link resolving rules: parse a URI path, decide what to answer.

Pure functions, no database: the view looks the batch up and renders. The rules, with the
GS1 standard each comes from (GS1 Digital Link URI syntax 1.2 = DL, GS1-Conformant
resolver 1.1 = GCR):

- Syntax (DL §4, checked with biip's Digital Link parser and GS1's AI table): every
  primary key GS1 defines is accepted (/01/, /00/, /414/[254/], /8004/, ...) with its key
  qualifiers in GS1's order (for a GTIN: 22, 10, 21, or 235 alone). A bad check digit, a
  value of the wrong format, a qualifier out of order or repeated is a syntax error (400).
  A well-formed key we do not issue (anything but 01) is not found (404).
- Data attributes in the query (DL §4.9): a numeric key must be a GS1 AI, given once, with
  a value of that AI's format (dates real dates), else 400; other parameters (linkType,
  context, ...) pass. `?17=` (expiry) is read as a date and compared with the lot.
- Walk-up (GCR §5, "request for a more specific key"): a lot, serial, variant (22) or
  third-party serial (235) we have no record of is answered as for the GTIN.
- Media types (GCR §6): `application/linkset+json`, and plain `application/json`, get the
  linkset (RFC 9264, validated against GS1's linkset schema); `linkType=gs1:recallStatus`
  with `application/json` gets the recall status as JSON; `application/ld+json` gets the
  lot's EPCIS events; everyone else the default link: the trace page for a lot, the
  product page for a GTIN.
- The default link carries only `href` and `title` (GCR §5: it applies whatever the
  language, context or media type asked for, so it has none of its own).
"""

import datetime
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from biip import ParseError
from biip.gs1_application_identifiers import _GS1_APPLICATION_IDENTIFIERS
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString

from traceability.gs1 import InvalidLot, check_digit, validate_lot

# GS1 Digital Link 1.2, §4: the qualifiers of AI 01 and the one order they may appear in;
# 235 (third-party controlled serial extension) stands alone.
QUALIFIER_ORDER = ("22", "10", "21")
GTIN_QUALIFIERS = (*QUALIFIER_ORDER, "235")
QUALIFIER_NAMES = {"22": "consumer product variant", "10": "lot", "21": "serial number"}
# Primary keys of DL §4.2 (biip's table) and where each key's check digit is.
PRIMARY_KEYS = (
    *("01", "00", "253", "255", "401", "402", "414", "415", "417"),
    *("8003", "8004", "8006", "8010", "8013", "8017", "8018"),
    *("410", "411", "412", "413"),  # GLN roles GS1's resolver description schema lists
)
CHECK_DIGIT_SPAN = {
    **{"00": 18, "01": 14, "253": 13, "255": 13, "402": 17, "414": 13, "415": 13},
    **{"417": 13, "8003": 14, "8006": 14, "8017": 18, "8018": 18},
    **{"410": 13, "411": 13, "412": 13, "413": 13},
}
# DL §4.2: each primary key's qualifiers, in the order they follow it in a path.
QUALIFIERS_OF = {
    **{"01": GTIN_QUALIFIERS, "8006": QUALIFIER_ORDER, "414": ("254", "7040")},
    **{"8010": ("8011",), "8017": ("8019",), "8018": ("8019",), "8004": ("7040",)},
    **{"417": ("7040",), "415": ("8020",)},
}
GS1_VOC = "https://gs1.org/voc/"
_VOC_PREFIXES = ("gs1:", GS1_VOC, "https://ref.gs1.org/voc/", "http://gs1.org/voc/")
LINKSET_TYPE = "application/linkset+json"
JSONLD_TYPE = "application/ld+json"
JSON_TYPE = "application/json"
LINKSET_CONTEXT = "https://ref.gs1.org/standards/resolver/linkset-context"
_SYNTAX_ROOT = "https://resolver.invalid"


class BadLink(ValueError):
    """The URI is not a well-formed GS1 Digital Link (HTTP 400).

    `code` says which part is wrong, so the page can explain it in the reader's language:
    gtin, check_digit, lot, serial, order, expiry, attribute or syntax.
    """

    def __init__(self, message: str, code: str = "syntax"):
        super().__init__(message)
        self.code = code


class UnsupportedKey(LookupError):
    """A well-formed Digital Link for a primary key we do not issue (HTTP 404)."""


@dataclass(frozen=True)
class DigitalLink:
    gtin: str
    lot: str | None = None
    serial: str | None = None
    expiry: datetime.date | None = None
    link_type: str | None = None  # "pip", "traceability", ... or "linkset"
    query: dict = field(default_factory=dict, compare=False)
    variant: str | None = None  # AI 22
    extension: str | None = None  # AI 235

    @property
    def record_lot(self) -> str | None:
        """The lot the shop could hold a record for: none under a variant or 235 (walk-up)."""
        return None if self.variant or self.extension else self.lot


def raw_segments(path: str) -> list[str]:
    """Split a path at '/', then percent-decode each segment (so %2F stays inside a lot)."""
    return [unquote(part) for part in path.strip("/").split("/")]


def decoded_segments(path: str) -> list[str]:
    """Segments of an already decoded path, where an encoded '/' can no longer be told from
    a separator: a value runs on over segments that are not one of the qualifier codes."""
    parts = path.strip("/").split("/")
    qualifiers = QUALIFIERS_OF.get(parts[0], ())
    merged: list[str] = []
    for part in parts:
        expecting_value = len(merged) % 2 == 1
        if merged and not expecting_value and part not in qualifiers:
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


def _check_path(segments: list[str]) -> None:
    """DL §4 path syntax through biip's parser, plus the rules biip leaves out."""
    if len(segments) < 2 or segments[0] not in PRIMARY_KEYS:
        raise BadLink("A Digital Link starts with a GS1 primary key and its value.")
    if len(segments) % 2:
        raise BadLink("Each qualifier in the path needs a value.")
    if segments[0] == "01":
        codes = segments[2::2]
        if any(code not in GTIN_QUALIFIERS for code in codes):
            raise BadLink("A GTIN's qualifiers are 22, 10 and 21 (or 235 alone).")
        order = [GTIN_QUALIFIERS.index(code) for code in codes]
        if order != sorted(set(order)) or ("235" in codes and len(codes) > 1):
            raise BadLink("Qualifiers must come in the order 22, 10, 21, each once.", "order")
    path = "/".join(quote(segment, safe="") for segment in segments)
    try:
        if segments[0] in ("410", "411", "412", "413"):  # keys biip's URI parser lacks
            if len(segments) != 2:
                raise ParseError(f"AI ({segments[0]}) takes no qualifier.")
            GS1ElementString.parse("".join(segments))
        else:
            GS1DigitalLinkURI.parse(f"{_SYNTAX_ROOT}/{path}")
    except ParseError as exc:
        codes = {"01": "gtin", "10": "lot", "21": "serial"} if segments[0] == "01" else {}
        raise BadLink(str(exc), codes.get(_failing_code(segments), "syntax")) from None
    key, value = segments[0], segments[1]
    if key == "01":
        value = value.zfill(14) if len(value) in (8, 12, 13) else value
    span = CHECK_DIGIT_SPAN.get(key)
    if span and (len(value) < span or check_digit(value[: span - 1]) != int(value[span - 1])):
        code = "gtin" if key == "01" else "check_digit"
        raise BadLink(f"The check digit of {segments[1]} is wrong.", code)


def _failing_code(segments: list[str]) -> str:
    for code, value in zip(segments[2::2], segments[3::2], strict=True):
        try:
            GS1ElementString.parse(code + value)
        except ParseError:
            return code
    return segments[0]


def check_attributes(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """DL §4.9: the query's GS1 data attributes, each a known AI given once in its format.

    Returns the query as a dict (the last value of a repeated non-AI parameter wins).
    """
    query: dict[str, str] = {}
    seen: set[str] = set()
    for key, value in pairs:
        if key.isascii() and key.isdigit():
            if key not in _GS1_APPLICATION_IDENTIFIERS:
                raise BadLink(f"{key} is not a GS1 Application Identifier.", "attribute")
            if key in seen:
                raise BadLink(f"AI ({key}) is given more than once.", "attribute")
            seen.add(key)
            try:
                GS1ElementString.parse(key + value)
            except ParseError as exc:
                raise BadLink(str(exc), "expiry" if key == "17" else "attribute") from None
        query[key] = value
    return query


def parse(segments: list[str], query: Mapping[str, str] | Iterable[tuple[str, str]]) -> DigitalLink:
    """Parse the segments after the site root (starting with a primary key) and the query.

    Raises BadLink for a syntax error and UnsupportedKey for a well-formed key other than 01.
    """
    _check_path(segments)
    pairs = query.items() if isinstance(query, Mapping) else query
    attributes = check_attributes(pairs)
    if segments[0] != "01":
        raise UnsupportedKey(segments[0])
    values = dict(zip(segments[2::2], segments[3::2], strict=True))
    for code in ("10", "21"):
        if code in values:
            try:
                validate_lot(values[code])
            except InvalidLot as exc:
                name = QUALIFIER_NAMES[code]
                raise BadLink(f"The {name}: {exc}", "lot" if code == "10" else "serial") from None
    expiry = parse_expiry(attributes["17"]) if "17" in attributes else None
    link_type = attributes.get("linkType")
    return DigitalLink(
        gtin=segments[1].zfill(14),
        lot=values.get("10"),
        serial=values.get("21"),
        variant=values.get("22"),
        extension=values.get("235"),
        expiry=expiry,
        link_type=normalise_link_type(link_type) if link_type else None,
        query=attributes,
    )


def element_path(elements: list[tuple[str, str]]) -> tuple[list[str], list[tuple[str, str]]]:
    """The path segments and query pairs of the uncompressed form of decompressed elements:
    the primary key, its qualifiers in GS1's order, then the other AIs in the query."""
    found = dict(elements)
    keys = [key for key in PRIMARY_KEYS if key in found]
    if len(keys) != 1:
        raise BadLink("A Digital Link has exactly one primary key.")
    key = keys[0]
    qualifiers = QUALIFIERS_OF.get(key, ())
    segments = [key, found.pop(key)]
    for code in qualifiers:
        if code in found:
            segments += [code, found.pop(code)]
    return segments, sorted(found.items())


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


def choose(link: DigitalLink, *, preferred_type: str | None, lot_known: bool = True) -> Answer:
    """What to answer for a link, given the media type the client prefers (from Accept).

    With a linkType the link type decides (an unknown one is a 404); without one, a client
    that asks for a linkset (or plain JSON) or for JSON-LD gets it, and everyone else gets
    the default link: the trace page for a lot, the product page for a bare GTIN. A lot we
    have no record of (`lot_known=False`) is answered from the GTIN's link types.
    """
    at_lot = bool(link.record_lot) and lot_known
    table = BATCH_LINK_TYPES if at_lot else PRODUCT_LINK_TYPES
    if link.link_type:
        answer = table.get(link.link_type, Answer.NOT_FOUND)
        if answer is Answer.TRACE_PAGE and preferred_type == JSONLD_TYPE:
            return Answer.EPCIS
        return answer
    if preferred_type in (LINKSET_TYPE, JSON_TYPE):
        return Answer.LINKSET
    if preferred_type == JSONLD_TYPE and at_lot:
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
    """The RFC 9264 linkset for a GTIN or a lot, with GS1 link types as relations; valid
    against GS1's linkset schema (itemDescription, href and title on every link)."""

    # GS1's schema takes "ll" or "ll-CC" only: simplified Chinese ("zh-hans") is written "zh",
    # which is the page a Chinese reader gets.
    hreflang = [code.split("-")[0] if code.startswith("zh") else code for code in languages]

    def link(href, media_type="text/html"):
        entry = {"href": href, "title": product_title, "type": media_type}
        if media_type == "text/html":
            entry["hreflang"] = hreflang
        return entry

    item = {
        "anchor": anchor,
        "itemDescription": product_title,
        GS1_VOC + "pip": [link(product_url)],
    }
    default = trace_url or product_url
    if trace_url:
        item[GS1_VOC + "traceability"] = [link(trace_url)]
        item[GS1_VOC + "recallStatus"] = [link(f"{anchor}?linkType=gs1:recallStatus", JSON_TYPE)]
        item[GS1_VOC + "epcis"] = [link(f"{anchor}?linkType=gs1:epcis", JSONLD_TYPE)]
    item[GS1_VOC + "defaultLink"] = [{"href": default, "title": product_title}]
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
