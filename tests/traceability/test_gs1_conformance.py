"""GS1 conformance of the resolver: one test per rule, each naming where the rule comes from.

DL = GS1 Digital Link URI syntax 1.2 (compression: DL 1.2, the compressed URI form);
GCR = GS1-Conformant resolver standard 1.1. Links are parsed with biip's GS1 Digital Link
parser, linksets validated with GS1's linkset schema (standards/gs1-linkset-schema.json, a
copy of the file GS1 publishes with the resolver standard).
"""

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from django.core import mail

from shop import orders
from tests.factories import BatchFactory, StaffFactory, VariantFactory
from tests.traceability.recall_data import buy, honey_batch
from traceability import corrections, dl_compression, qr, resolver
from traceability.gs1 import check_digit
from traceability.links import digital_link, digital_link_path

pytestmark = pytest.mark.django_db

LINKSET_SCHEMA = json.loads(
    (Path(__file__).parent / "standards" / "gs1-linkset-schema.json").read_text()
)
# GS1's own example GTIN and lot, used in the published compression vectors below.
GTIN = "05412345000013"
SITE = "http://127.0.0.1:8000"


@pytest.fixture
def batch():
    return BatchFactory(
        variant=VariantFactory(gtin=GTIN),
        lot_code="ABC123",
        best_before=datetime.date(2029, 3, 31),
    )


def gln(body: str) -> str:
    return body + str(check_digit(body))


# DL 1.2 compression: decompression of published vectors. Source: the test suite of
# Solidsoft-Reply/Gs1DigitalLinkLib (Tests/Features/CompressGs1DigitalLink.feature and
# AdditionalUriContent.feature), a port of GS1's GS1DigitalLinkCompressionPrototype whose
# vectors it reproduces.
@pytest.mark.parametrize(
    ("compressed", "elements", "others"),
    [
        ("AN2yxDhfaiaw", [("00", "998440410914660971")], []),
        ("AQnYUc1gmg", [("01", GTIN)], []),
        ("AQnYUc1gmiCNV4JG", [("01", GTIN), ("10", "ABC123")], []),
        (
            "AQnYUc1gmiCNV4JGQhcNT6K6c",
            [("01", GTIN), ("10", "ABC123"), ("21", "72292641703")],
            [],
        ),
        (
            "AQnYUc1gmiCNV4JGQhcNT6K6cibQCWN9Pee9tT-PQ",
            [("01", GTIN), ("10", "ABC123"), ("21", "72292641703"), ("22", "AJY3095721P49")],
            [],
        ),
        ("AQnYUc1gmkax7ipGrOHDPC5YNI8hMz", [("01", GTIN), ("235", "8TFV883a904GH&3")], []),
        ("AQnYUc1gmiCNV4JGLo3DY", [("01", GTIN), ("10", "ABC123"), ("17", "290331")], []),
        (
            "AQnYUc1gmiCNV4JGLo3Dfg2q72Etrue8K7RPRWwjc0D4",
            [("01", GTIN), ("10", "ABC123"), ("17", "290331")],
            [("arv", "true"), ("donor", "bmgf")],
        ),
        ("EEarwSMXRuGw", [("10", "ABC123"), ("17", "290331")], []),
        ("JUa0T-eifdtOO9UFEmlYwv3Q", [("254", "RP56J920471"), ("414", "5060917510004")], []),
        ("JVUqG5hJ5wA", [("255", "5678409730535")], []),
        ("QUSaVjC_dHBAVlCrg", [("414", "5060917510004"), ("7040", "5KFX")], []),
        ("gBe1ajAd9ATDmAGXPRfk", [("8017", "817019610850151481"), ("8019", "4003812")], []),
        (
            "gBCVYNWjFkzaNWbdk5YQWjFHHkM2cAI0xdvpGo",
            [("8010", "0541234537290A41#GH33"), ("8011", "6639047221")],
            [],
        ),
    ],
)
def test_dl_compression_published_vectors_decompress(compressed, elements, others):
    assert dl_compression.decompress(compressed) == (elements, others)


# DL 1.2 compression: a segment that is not compressed GS1 data is refused, not guessed.
@pytest.mark.parametrize("segment", ["preferences", "AQnYUc1g", "FFFFFFFFFFFF", "AQ*Y"])
def test_dl_compression_refuses_what_does_not_decode(segment):
    with pytest.raises(dl_compression.BadCompression):
        dl_compression.decompress(segment)


# DL 1.2 compression + GCR: a compressed link answers like its uncompressed form and names
# it with Link rel="owl:sameAs".
def test_compressed_link_answers_like_the_uncompressed_one_with_owl_same_as(client, batch):
    plain = client.get(f"/01/{GTIN}/10/ABC123?17=290331", HTTP_ACCEPT_LANGUAGE="en")
    compressed = client.get("/AQnYUc1gmiCNV4JGLo3DY", HTTP_ACCEPT_LANGUAGE="en")

    assert compressed.status_code == plain.status_code == 200
    assert compressed.content == plain.content
    assert f'<{SITE}/01/{GTIN}/10/ABC123?17=290331>; rel="owl:sameAs"' in compressed["Link"]
    assert f'<{SITE}/01/{GTIN}/10/ABC123?linkType=linkset>; rel="linkset"' in compressed["Link"]


# DL 1.2 compression: the primary key may stay uncompressed (/01/<gtin>/<compressed rest>).
def test_partially_compressed_link_answers_like_the_uncompressed_one(client, batch):
    response = client.get(f"/01/{GTIN}/EEarwSMXRuGw", {"linkType": "linkset"})

    assert response.status_code == 200
    assert response.json()["linkset"][0]["anchor"] == f"{SITE}/01/{GTIN}/10/ABC123"
    assert (
        f'<{SITE}/01/{GTIN}/10/ABC123?17=290331&linkType=linkset>; rel="owl:sameAs"'
        in (response["Link"])
    )


# DL 1.2 compression: non-GS1 key=value pairs inside the compressed data become query
# parameters of the uncompressed form (and pass, being no GS1 AI).
def test_compressed_non_gs1_pairs_become_query_parameters(client, batch):
    response = client.get("/AQnYUc1gmiCNV4JGLo3Dfg2q72Etrue8K7RPRWwjc0D4")

    assert response.status_code == 200
    assert f"<{SITE}/01/{GTIN}/10/ABC123?17=290331&arv=true&donor=bmgf>" in response["Link"]


# GCR: a root path that is no compressed link is not found; a shop page typed without its
# slash still gets Django's redirect to it.
def test_an_undecodable_root_path_is_404_and_pages_keep_their_slash_redirect(client):
    assert client.get("/NotALinkAtAll").status_code == 404
    redirected = client.get("/preferences")
    assert redirected.status_code == 301
    assert redirected["Location"] == "/preferences/"


# GCR §5 walk-up: a lot the resolver has no record of is answered as for its GTIN, and the
# page says plainly that the shop has no record, with no seal and a way to report it.
def test_unknown_lot_of_a_known_gtin_walks_up_and_says_so(client, batch):
    response = client.get(f"/01/{GTIN}/10/NOPE1", HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert "We have no record of this lot" in html
    assert "seal-ok" not in html
    assert 'href="/trace/report/?gtin=05412345000013&amp;lot=NOPE1"' in html
    assert client.get("/trace/report/?gtin=05412345000013&lot=NOPE1").status_code == 200
    assert response["Link"] == (
        f'<{SITE}/01/{GTIN}?linkType=linkset>; rel="linkset"; type="application/linkset+json"'
    )


# GCR §5 walk-up: the linkset of an unknown lot is the GTIN's linkset.
def test_unknown_lot_linkset_is_the_gtins(client, batch):
    lot = client.get(f"/01/{GTIN}/10/NOPE1", {"linkType": "linkset"})
    gtin = client.get(f"/01/{GTIN}", {"linkType": "linkset"})

    assert lot.status_code == 200
    assert lot.content == gtin.content
    assert lot.json()["linkset"][0]["anchor"] == f"{SITE}/01/{GTIN}"


# GCR §5 walk-up: a lot-only link type (traceability) does not exist at the GTIN level.
def test_unknown_lot_has_no_lot_level_link_types(client, batch):
    response = client.get(f"/01/{GTIN}/10/NOPE1", {"linkType": "gs1:traceability"})

    assert response.status_code == 404


# DL §4.2: every key qualifier path is syntax; cpv (22) and 235 walk up, being no record of ours.
@pytest.mark.parametrize(
    "path",
    [
        f"/01/{GTIN}/22/V1/10/ABC123",
        f"/01/{GTIN}/22/V1/10/ABC123/21/S1",
        f"/01/{GTIN}/235/TPX-1",
        f"/01/{GTIN}/21/S1",
    ],
)
def test_every_gtin_qualifier_path_is_accepted_and_walks_up(client, batch, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "We have no record of this lot" in response.content.decode()


# DL §4.2: a serial under a known lot is answered as the lot (walk-up from 21 to 10).
def test_a_serial_under_a_known_lot_walks_up_to_the_lot(client, batch):
    response = client.get(f"/01/{GTIN}/10/ABC123/21/S1", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "The journey, stage by stage" in response.content.decode()


# DL §4.1, GCR §3: well-formed primary keys the shop does not issue are 404, not 400.
@pytest.mark.parametrize(
    "path",
    [
        f"/414/{gln('506091751000')}",
        f"/414/{gln('506091751000')}/254/RP56J920471",
        "/00/998440410914660971",
        "/8004/0541234537290A41",
        "/253/3060077601309",
    ],
)
def test_other_primary_keys_are_not_found_not_bad_requests(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"


# DL §4.1: the GLN roles GS1's resolver description lists (410-413) are keys too: 404;
# and a partially compressed link of a key we do not issue is 404, not a syntax error.
@pytest.mark.parametrize("path", [f"/410/{gln('506091751000')}", "/414/5060917510004/cEBWUKu"])
def test_gln_role_keys_and_partly_compressed_other_keys_are_not_found(client, path):
    assert client.get(path).status_code == 404


# GCR §5 walk-up comes after the resolver's own redirects: a lot code changed by a
# correction is still sent on (307) to the current code, not walked up to the GTIN.
def test_a_corrected_lot_code_redirects_before_any_walk_up(client, batch):
    staff = StaffFactory(cooperative=batch.variant.product.cooperative)
    corrections.correct_batch(
        batch=batch, field="lot_code", value="ABC124", reason="x", actor=staff
    )

    response = client.get(f"/01/{GTIN}/10/ABC123")

    assert response.status_code == 307
    assert response["Location"] == f"/01/{GTIN}/10/ABC124"


# GCR §4: a compressed link answers OPTIONS and HEAD like any other link.
def test_compressed_link_answers_options_and_head(client, batch):
    options = client.options("/AQnYUc1gmiCNV4JG")
    head = client.head("/AQnYUc1gmiCNV4JG")

    assert options.status_code == 204
    assert options["Allow"] == "GET, HEAD, OPTIONS"
    assert head.status_code == 200
    assert head.content == b""
    assert f'<{SITE}/01/{GTIN}/10/ABC123>; rel="owl:sameAs"' in head["Link"]


# DL §4 syntax: a bad check digit, bad characters or qualifiers out of GS1's order are 400.
@pytest.mark.parametrize(
    "path",
    [
        "/414/5060917510005",  # check digit should be 4
        "/00/998440410914660972",  # check digit should be 1
        "/8004/AB%20CD",  # a space is not in GS1 character set 82
        f"/01/{GTIN}/10/ABC123/22/V1",  # 22 comes before 10
        f"/01/{GTIN}/235/X/10/ABC123",  # 235 stands alone
        "/414/5060917510004/21/S1",  # 21 is no qualifier of a GLN
    ],
)
def test_real_syntax_errors_are_400(client, path):
    assert client.get(path).status_code == 400


# DL §4.9: data attributes in the query are checked against their AI's format.
@pytest.mark.parametrize(
    "query",
    [
        "11=251399",  # month 13
        "3103=25",  # net weight has six digits
        "17=290331&17=290331",  # an AI given twice
        "17=",  # empty
        "99999=1",  # no such AI
    ],
)
def test_bad_query_data_attributes_are_400(client, batch, query):
    response = client.get(f"/01/{GTIN}/10/ABC123?{query}")

    assert response.status_code == 400


# DL §4.9: valid AIs and non-GS1 parameters in the query pass.
def test_valid_attributes_and_other_parameters_pass(client, batch):
    response = client.get(f"/01/{GTIN}/10/ABC123?3103=000025&11=251231&context=vn&foo=bar")

    assert response.status_code == 200


# DL §4.9 (AI 17): the expiry in the link is compared with the lot's best-before and a
# mismatch is shown plainly, on the page and in the JSON recall status.
def test_expiry_mismatch_is_shown_on_the_page_and_in_json(client, batch):
    wrong = client.get(f"/01/{GTIN}/10/ABC123?17=300101", HTTP_ACCEPT_LANGUAGE="en")
    right = client.get(f"/01/{GTIN}/10/ABC123?17=290331", HTTP_ACCEPT_LANGUAGE="en")
    status = client.get(
        f"/01/{GTIN}/10/ABC123?17=300101&linkType=gs1:recallStatus",
        HTTP_ACCEPT="application/json",
    )

    assert "The date in this code does not match this lot" in wrong.content.decode()
    assert "The date in this code does not match this lot" not in right.content.decode()
    assert status.json()["expiryCheck"] == {
        "requested": "2030-01-01",
        "bestBefore": "2029-03-31",
        "matches": False,
    }


# GCR §6 / RFC 9264: the linkset validates against GS1's linkset schema, for a lot, a GTIN
# and a walked-up lot.
@pytest.mark.parametrize("suffix", ["/10/ABC123", "", "/10/NOPE1"])
def test_linkset_validates_against_gs1_schema(client, batch, suffix):
    response = client.get(f"/01/{GTIN}{suffix}", {"linkType": "linkset"})

    jsonschema.validate(response.json(), LINKSET_SCHEMA)
    assert response.json()["linkset"][0]["itemDescription"] == batch.variant.product.name


# GCR §5: the default link carries only href and title.
def test_default_link_has_only_href_and_title(client, batch):
    item = client.get(f"/01/{GTIN}/10/ABC123", {"linkType": "linkset"}).json()["linkset"][0]

    assert item["https://gs1.org/voc/defaultLink"] == [
        {
            "href": f"{SITE}/01/{GTIN}/10/ABC123?linkType=gs1:traceability",
            "title": item["itemDescription"],
        }
    ]


# GCR §6: the JSON-LD context Link header survives next to the linkset one.
def test_linkset_answer_keeps_the_json_ld_context_link(client, batch):
    response = client.get(f"/01/{GTIN}/10/ABC123", HTTP_ACCEPT="application/linkset+json")

    links = response["Link"].split(", ")
    assert links == [
        "<https://ref.gs1.org/standards/resolver/linkset-context>; "
        'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"',
        f'<{SITE}/01/{GTIN}/10/ABC123?linkType=linkset>; rel="linkset"; '
        'type="application/linkset+json"',
    ]


# GCR §6: Accept: application/json gets the linkset as JSON; with linkType=recallStatus it
# gets the recall status.
def test_accept_json_gets_the_linkset_or_the_recall_status(client, batch):
    plain = client.get(f"/01/{GTIN}/10/ABC123", HTTP_ACCEPT="application/json")
    recall = client.get(
        f"/01/{GTIN}/10/ABC123", {"linkType": "gs1:recallStatus"}, HTTP_ACCEPT="application/json"
    )

    assert plain["Content-Type"] == "application/json"
    jsonschema.validate(plain.json(), LINKSET_SCHEMA)
    assert recall.json()["recalled"] is False


# GCR §3: /.well-known/gs1resolver names a lower-case resolver root.
def test_resolver_description_root_is_lower_case(client, settings):
    settings.SITE_URL = "HTTPS://Shop.Example"

    response = client.get("/.well-known/gs1resolver")

    assert response.json()["resolverRoot"] == "https://shop.example"


# DL §4 / RFC 3986: QR payloads use a lower-case scheme and host, whatever SITE_URL says.
def test_qr_payload_has_a_lower_case_scheme_and_host(settings):
    settings.SITE_URL = "HTTPS://OCOP.Example/"

    assert qr.qr_text(gtin=GTIN, lot="ABC123") == f"https://ocop.example/01/{GTIN}/10/ABC123"


# DL §4: every link the shop emits parses with a GS1 Digital Link parser (biip) to the
# same GTIN and lot: QR payloads (and labels, which print them), email trace links, the
# trace page's link, and every Digital Link href in the linkset.
def test_every_emitted_link_parses_with_biip(client, batch, settings):
    settings.SITE_URL = "HTTPS://OCOP.Example"
    item = client.get(f"/01/{GTIN}/10/ABC123", {"linkType": "linkset"}).json()["linkset"][0]
    emitted = [
        qr.qr_text(gtin=GTIN, lot="ABC/1-2"),
        digital_link(gtin=GTIN, lot="ABC123"),
        "https://ocop.example" + digital_link_path(gtin=GTIN, lot="ABC123"),
        item["anchor"],
        *(link["href"] for key, links in item.items() if key.startswith("https://gs1.org/voc/")
          for link in links if "/01/" in link["href"]),
    ]  # fmt: skip

    for uri in emitted:
        parsed = GS1DigitalLinkURI.parse(uri)
        assert uri.startswith("https://ocop.example/01/")
        assert parsed.element_strings.get(ai="01").value == GTIN
    assert GS1DigitalLinkURI.parse(emitted[0]).element_strings.get(ai="10").value == "ABC/1-2"


# DL §4: GTIN-8/12/13 in the path are padded to 14 digits; a 9-digit GTIN is a syntax error.
def test_short_gtins_pad_and_odd_lengths_are_refused():
    assert resolver.parse(["01", "5412345000013"], {}).gtin == GTIN
    with pytest.raises(resolver.BadLink):
        resolver.parse(["01", "541234500"], {})


# DL §4: the trace links in order emails parse with biip too, lower-case whatever SITE_URL.
def test_order_email_trace_links_parse_with_biip(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "HTTPS://OCOP.Example"
    honey = honey_batch()
    order = buy((honey.variant, 1), email="anna@example.de", paid=False)

    with django_capture_on_commit_callbacks(execute=True):
        orders.mark_paid(order_id=order.pk)

    [message] = mail.outbox
    links = [
        line.split(": ", 1)[1] for line in message.body.splitlines() if "Trace this batch: " in line
    ]
    assert links == [f"https://ocop.example/01/{honey.variant.gtin}/10/{honey.lot_code}"]
    parsed = GS1DigitalLinkURI.parse(links[0])
    assert parsed.element_strings.get(ai="10").value == honey.lot_code


# GCR §4: HEAD answers like GET without a body, for the walked-up and the not-found answers.
@pytest.mark.parametrize("path", [f"/01/{GTIN}/10/NOPE1", "/01/08930000000019/10/L1"])
def test_head_keeps_the_length_of_the_get(client, batch, path):
    get = client.get(path)
    head = client.head(path)

    assert head.status_code == get.status_code
    assert head.content == b""
    assert head["Content-Length"] == str(len(get.content))
