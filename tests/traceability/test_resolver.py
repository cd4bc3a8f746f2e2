"""The GS1 Digital Link rules: each one through the real URL, as a phone would send it."""

import datetime
import json

import pytest

from shop.models import BatchStatus
from tests.factories import BatchFactory, VariantFactory
from tests.traceability.factories import add_events
from traceability import resolver
from traceability.gs1 import check_digit
from traceability.links import digital_link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch():
    return BatchFactory(lot_code="L2025-07")


def path_of(batch) -> str:
    return digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)


def assert_cors(response):
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


# Parsing, without the database


def test_parse_pads_a_gtin_13_and_reads_lot_serial_and_expiry():
    link = resolver.parse(
        resolver.raw_segments("/01/8934567890120/10/AB%2F12/21/S1"), {"17": "270131"}
    )

    assert link.gtin == "08934567890120"
    assert link.lot == "AB/12"
    assert link.serial == "S1"
    assert link.expiry == datetime.date(2027, 1, 31)


def test_parse_reads_day_00_as_the_last_day_of_the_month():
    link = resolver.parse(["01", "96385074", "10", "L1"], {"17": "280200"})

    assert link.gtin == "00000096385074"
    assert link.expiry == datetime.date(2028, 2, 29)


@pytest.mark.parametrize(
    ("segments", "query", "code"),
    [
        (["01", "8934567890121", "10", "L1"], {}, "gtin"),  # check digit should be 0
        (["01", "893456789012", "10", "L1"], {}, "gtin"),  # 12 digits, wrong check digit
        (["01", "89345X7890120", "10", "L1"], {}, "gtin"),
        (["01", "8934567890120", "10", "A" * 21], {}, "lot"),
        (["01", "8934567890120", "10", "Lô1"], {}, "lot"),
        (["01", "8934567890120", "10", ""], {}, "lot"),
        (["01", "8934567890120", "21", "S1", "10", "L1"], {}, "order"),
        (["01", "8934567890120", "10", "L1", "10", "L2"], {}, "order"),
        (["01", "8934567890120", "10"], {}, "syntax"),
        (["01", "8934567890120", "99", "x"], {}, "syntax"),
        (["01", "8934567890120", "10", "L1"], {"17": "271332"}, "expiry"),
        (["01", "8934567890120", "10", "L1"], {"17": "2701"}, "expiry"),
    ],
)
def test_parse_refuses_bad_syntax_with_the_reason(segments, query, code):
    with pytest.raises(resolver.BadLink) as caught:
        resolver.parse(segments, query)

    assert caught.value.code == code


def test_decoded_path_keeps_an_unencoded_slash_inside_the_lot():
    assert resolver.decoded_segments("/01/8934567890120/10/AB/12/21/S1") == [
        "01", "8934567890120", "10", "AB/12", "21", "S1",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("link_type", "expected"),
    [
        ("gs1:pip", "pip"),
        ("https://gs1.org/voc/recallStatus", "recallStatus"),
        ("https://ref.gs1.org/voc/traceability", "traceability"),
        ("linkset", "linkset"),
        ("all", "linkset"),
    ],
)
def test_link_types_are_read_in_every_gs1_spelling(link_type, expected):
    assert resolver.normalise_link_type(link_type) == expected


# Through the URL


def test_a_lot_link_without_link_type_shows_the_trace_page(client, batch):
    response = client.get(path_of(batch))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert batch.lot_code in response.content.decode()
    assert_cors(response)
    assert response["Link"] == (
        f'<http://127.0.0.1:8000{path_of(batch)}?linkType=linkset>; rel="linkset"; '
        'type="application/linkset+json"'
    )


def test_gtin_8_12_and_13_reach_the_same_batch_as_gtin_14(client):
    body = "9638507"
    gtin8 = body + str(check_digit(body))
    batch = BatchFactory(variant=VariantFactory(gtin=gtin8.zfill(14)), lot_code="L1")

    response = client.get(f"/01/{gtin8}/10/L1")

    assert response.status_code == 200
    assert f"(01){gtin8.zfill(14)}(10)L1" in response.content.decode()
    assert batch.variant.gtin == "00000096385074"


def test_bad_check_digit_is_a_friendly_400(client, batch):
    wrong = batch.variant.gtin[:-1] + str((int(batch.variant.gtin[-1]) + 1) % 10)

    response = client.get(f"/01/{wrong}/10/{batch.lot_code}")

    assert response.status_code == 400
    assert "This code could not be read" in response.content.decode()
    assert "check digit" in response.content.decode()
    assert_cors(response)


def test_overlong_lot_is_a_friendly_400(client, batch):
    response = client.get(f"/01/{batch.variant.gtin}/10/{'L' * 21}")

    assert response.status_code == 400
    assert "The lot number in this link is not valid" in response.content.decode()


def test_qualifiers_out_of_order_are_a_friendly_400(client, batch):
    response = client.get(f"/01/{batch.variant.gtin}/21/S1/10/{batch.lot_code}")

    assert response.status_code == 400
    assert "in the wrong order" in response.content.decode()


def test_a_serial_after_the_lot_still_reaches_the_batch(client, batch):
    response = client.get(f"{path_of(batch)}/21/SN-0001?17=301231")

    assert response.status_code == 200


def test_an_encoded_slash_in_a_lot_resolves_when_the_server_keeps_the_raw_uri(client):
    batch = BatchFactory(lot_code="AB/12")

    response = client.get(path_of(batch), REQUEST_URI=path_of(batch), HTTP_ACCEPT_LANGUAGE="en")

    assert path_of(batch).endswith("/10/AB%2F12")
    assert response.status_code == 200
    assert "(10)AB/12" in response.content.decode()


def test_unknown_gtin_is_a_friendly_404_and_unknown_lot_walks_up(client, batch):
    other_gtin = VariantFactory.build().gtin

    unknown_lot = client.get(f"/01/{batch.variant.gtin}/10/NOPE")
    unknown_gtin = client.get(f"/01/{other_gtin}/10/{batch.lot_code}")

    assert unknown_lot.status_code == 200
    assert unknown_gtin.status_code == 404
    assert "We have no record of this lot" in unknown_lot.content.decode()
    assert "We do not know this code" in unknown_gtin.content.decode()
    assert_cors(unknown_lot)
    assert_cors(unknown_gtin)


def test_an_unpublished_product_is_not_resolved(client):
    batch = BatchFactory(variant__product__is_published=False)

    assert client.get(path_of(batch)).status_code == 404


def test_unknown_link_type_is_a_404(client, batch):
    response = client.get(path_of(batch), {"linkType": "gs1:nutritionalInfo"})

    assert response.status_code == 404
    assert "We have no such information for this product." in response.content.decode()


def test_pip_redirects_with_307_to_the_product_page_keeping_the_query(client, batch):
    response = client.get(path_of(batch) + "?linkType=gs1:pip&17=301231")

    assert response.status_code == 307
    assert response["Location"] == (
        f"/products/{batch.variant.product.slug}/?linkType=gs1:pip&17=301231"
    )
    assert_cors(response)


def test_gs1_traceability_shows_the_trace_page(client, batch):
    response = client.get(path_of(batch), {"linkType": "gs1:traceability"})

    assert response.status_code == 200
    assert "The journey, stage by stage" in response.content.decode()


def test_a_bare_gtin_redirects_to_the_product_page(client, batch):
    response = client.get(f"/01/{batch.variant.gtin}")

    assert response.status_code == 307
    assert response["Location"] == f"/products/{batch.variant.product.slug}/"


def test_recall_status_answers_json_for_json_clients(client, batch):
    fine = client.get(
        path_of(batch), {"linkType": "gs1:recallStatus"}, HTTP_ACCEPT="application/json"
    )
    batch.status = BatchStatus.RECALLED
    batch.save(update_fields=["status"])
    recalled = client.get(
        path_of(batch), {"linkType": "gs1:recallStatus"}, HTTP_ACCEPT="application/json"
    )

    assert fine.json()["recalled"] is False
    assert recalled.json() == {
        "anchor": f"http://127.0.0.1:8000{path_of(batch)}",
        "gtin": batch.variant.gtin,
        "lot": batch.lot_code,
        "recalled": True,
    }


def test_recall_status_is_a_small_page_for_browsers(client, batch):
    response = client.get(path_of(batch), {"linkType": "gs1:recallStatus"}, HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert "This batch has not been recalled." in response.content.decode()


def test_linkset_by_link_type_and_by_accept_header(client, batch):
    by_query = client.get(path_of(batch), {"linkType": "linkset"})
    by_accept = client.get(path_of(batch), HTTP_ACCEPT="application/linkset+json")

    assert by_query["Content-Type"] == "application/linkset+json"
    assert by_accept["Content-Type"] == "application/linkset+json"
    assert by_query.content == by_accept.content
    item = json.loads(by_query.content)["linkset"][0]
    anchor = f"http://127.0.0.1:8000{path_of(batch)}"
    assert item["anchor"] == anchor
    assert item["https://gs1.org/voc/pip"][0]["href"] == (
        f"http://127.0.0.1:8000/products/{batch.variant.product.slug}/"
    )
    assert item["https://gs1.org/voc/traceability"][0]["href"] == (
        f"{anchor}?linkType=gs1:traceability"
    )
    assert item["https://gs1.org/voc/recallStatus"][0]["type"] == "application/json"
    assert item["https://gs1.org/voc/pip"][0]["hreflang"] == [
        "en",
        "vi",
        "de",
        "fr",
        "ja",
        "ko",
        "zh",
    ]


def test_ld_json_returns_the_batch_events_as_epcis(client, batch):
    add_events(batch, 3)

    response = client.get(path_of(batch), HTTP_ACCEPT="application/ld+json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    document = response.json()
    assert document["type"] == "EPCISDocument"
    assert [e["bizStep"] for e in document["epcisBody"]["eventList"]] == [
        "commissioning", "other", "inspecting",
    ]  # fmt: skip


def test_head_answers_like_get_without_a_body(client, batch):
    get = client.get(path_of(batch))
    head = client.head(path_of(batch))

    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == get["Content-Length"]
    assert head["Link"] == get["Link"]
    assert_cors(head)


def test_options_answers_204_with_cors(client, batch):
    response = client.options(path_of(batch))

    assert response.status_code == 204
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert_cors(response)


def test_post_is_refused_with_405(client, batch):
    assert client.post(path_of(batch)).status_code == 405


@pytest.mark.parametrize(
    ("accept_language", "lang", "title"),
    [
        ("vi-VN,vi;q=0.9,en;q=0.5", "vi", "Hành trình qua từng công đoạn"),
        ("en-US,en;q=0.9", "en", "The journey, stage by stage"),
        ("de-DE,de;q=0.9,en;q=0.5", "de", "Der Weg, Schritt für Schritt"),
        ("es-ES,es;q=0.9,pt;q=0.8", "en", "The journey, stage by stage"),
    ],
)
def test_language_comes_from_accept_language_and_falls_back_to_english(
    client, batch, accept_language, lang, title
):
    response = client.get(path_of(batch), HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response["Content-Language"] == lang
    assert f'<html lang="{lang}">' in response.content.decode()
    assert title in response.content.decode()


def test_the_language_switcher_points_back_to_the_canonical_link(client, batch):
    response = client.get(path_of(batch) + "?linkType=gs1:traceability&17=301231")

    html = response.content.decode()
    assert f'href="/preferences/?language=vi&amp;next={path_of(batch)}"' in html


def test_the_resolver_description_is_published(client):
    response = client.get("/.well-known/gs1resolver")

    assert response.status_code == 200
    assert response.json() == {
        "name": "OCOP Village Shop",
        "resolverRoot": "http://127.0.0.1:8000",
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": "https://gs1.org/voc/", "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": False,
        "jsonLdContextLocation": "https://ref.gs1.org/standards/resolver/linkset-context",
        "contact": {"fn": "OCOP Village Shop"},
    }
    assert_cors(response)


@pytest.mark.parametrize(
    "url",
    [
        "/01/",
        "/01//10/L1",
        "/01/%ZZ/10/L1",
        "/01/08930000000019/10/",
        "/01/08930000000019/10/%F0%9F%90%9F",
        "/01/08930000000019/10/L1?17=",
        "/01/08930000000019/10/L1?17=999999",
        "/01/08930000000019/10/L1?linkType=",
        "/01/08930000000019/10/L1?linkType=gs1:pip%00",
        "/01/" + "9" * 400,
        "/01/08930000000019/10/L1/21/" + "S" * 300,
        "/01/08930000000019/10/L1/21/S/99/x",
        "/01/08930000000019?linkType=gs1:recallStatus",
        "/01/08930000000019?linkType=linkset",
    ],
)
def test_odd_links_get_a_4xx_never_a_500(client, url):
    response = client.get(url, HTTP_ACCEPT="application/ld+json;q=0.5, text/html")

    assert response.status_code in (400, 404)
    assert_cors(response)


def test_a_bare_gtin_has_a_product_linkset(client, batch):
    response = client.get(f"/01/{batch.variant.gtin}", {"linkType": "linkset"})

    item = response.json()["linkset"][0]
    assert item["anchor"] == f"http://127.0.0.1:8000/01/{batch.variant.gtin}"
    assert set(item) == {
        "anchor",
        "itemDescription",
        "https://gs1.org/voc/pip",
        "https://gs1.org/voc/defaultLink",
    }


def test_walk_up_expiry_and_other_key_pages_speak_vietnamese(client, batch):
    unknown = client.get(f"/01/{batch.variant.gtin}/10/NOPE", HTTP_ACCEPT_LANGUAGE="vi")
    other_key = client.get("/414/5060917510004", HTTP_ACCEPT_LANGUAGE="vi")

    assert "Chúng tôi không có hồ sơ về lô hàng này" in unknown.content.decode()
    assert "Báo cáo sản phẩm này" in unknown.content.decode()
    assert "Đây là một mã GS1 hợp lệ" in other_key.content.decode()
