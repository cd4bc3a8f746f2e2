"""Each input of issue 12 that answered 500 now gets a 4xx (or a redirect) and no traceback."""

import json
import logging

import pytest

from shop.graphql import tokens
from shop.identifiers import parse_count, parse_id
from tests.factories import BatchFactory, ProductFactory, StaffFactory, VariantFactory
from traceability.models import SuspiciousProductReport

pytestmark = pytest.mark.django_db

ODD_DIGITS = ["²", "①", "١٢", "１２", "٣", "𝟗"]


@pytest.mark.parametrize(
    "text", [*ODD_DIGITS, "", " 1", "1 ", "+1", "-1", "0", "1.0", "1e3", "1" * 19, "\x001"]
)
def test_parse_id_refuses_everything_but_ascii_digits(text):
    assert parse_id(text) is None


@pytest.mark.parametrize("value", [True, None, 1.0, -3, b"12", [1]])
def test_parse_id_refuses_values_that_are_not_text_or_positive_ints(value):
    assert parse_id(value) is None


def test_parse_id_reads_ascii_ids_up_to_18_digits():
    assert (parse_id("42"), parse_id(42), parse_id("9" * 18)) == (42, 42, int("9" * 18))


def test_parse_count_bounds_the_number():
    assert (parse_count("0", maximum=5), parse_count("6", maximum=5)) == (0, None)
    assert parse_count("²", maximum=5) is None


@pytest.mark.parametrize("nxt", ["products", "cart/", "../admin/", "//evil.example/", "/\\x"])
def test_preferences_with_a_next_that_is_no_site_path_go_home(client, nxt):
    response = client.get("/preferences/", {"currency": "EUR", "next": nxt})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["currency"].value == "EUR"


def test_preferences_keep_a_next_that_is_a_site_path(client):
    response = client.get("/preferences/", {"language": "vi", "next": "/products/?q=tea"})

    assert (response.status_code, response["Location"]) == (302, "/products/?q=tea")


def test_sign_up_with_a_bare_word_next_goes_to_the_cart(client):
    password = "a-long-Passphrase-42"
    response = client.post(
        "/account/signup/?next=products",
        {"email": "new@example.com", "password1": password, "password2": password},
    )

    assert response.status_code == 302
    assert "products" not in response["Location"]


@pytest.mark.parametrize(
    ("lot", "status"), [("\x00", 400), ("A\x00B", 400), ("x" * 500, 400), ("①", 400), ("L 1", 400)]
)
def test_report_form_with_an_odd_lot_is_refused(client, lot, status):
    batch = BatchFactory(lot_code="L1")

    response = client.get("/trace/report/", {"gtin": batch.variant.gtin, "lot": lot})

    assert response.status_code == status


def test_report_form_refuses_a_nul_byte_in_a_field(client):
    batch = BatchFactory(lot_code="L1")
    url = f"/trace/report/?gtin={batch.variant.gtin}&lot=L1"

    fields = {"reason": "other", "details": "the seal is broken", "place_of_purchase": "shop"}

    for name in ("details", "place_of_purchase", "email"):
        response = client.post(url, {**fields, name: "a@b.co\x00 and more"})
        assert response.status_code == 400, name
    assert SuspiciousProductReport.objects.count() == 0


@pytest.mark.parametrize("digits", ODD_DIGITS)
def test_workspace_pages_ignore_unicode_digits_in_ids(client, digits):
    staff = StaffFactory()
    client.force_login(staff)

    for url in ("/coop/insight/", "/coop/labels/", "/coop/batches/receive/"):
        response = client.get(url, {"batch": digits, "variant": digits})
        assert response.status_code == 200, url


def _gql_raw(client, body: str):
    response = client.post("/graphql/", body, content_type="application/json")
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "body",
    [
        {"query": 12},
        {"query": ["{ __typename }"]},
        {"query": "{ __typename }", "variables": [1, 2]},
        {"query": "{ __typename }", "variables": "x"},
        {"query": "{ __typename }", "variables": 3},
        {"query": "{ __typename }", "operationName": 5},
        {"query": "{ __typename }", "operationName": ["a"]},
        [1, 2],
        "a string",
        12,
        None,
    ],
)
def test_graphql_bodies_of_the_wrong_shape_are_invalid(client, caplog, body):
    with caplog.at_level(logging.ERROR):
        status, answer = _gql_raw(client, json.dumps(body))

    assert status == 400
    assert answer["errors"][0]["extensions"]["code"] == "INVALID"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_graphql_get_with_variables_that_are_not_an_object_is_invalid(client):
    response = client.get("/graphql/", {"query": "{ __typename }", "variables": "[1]"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID"


@pytest.mark.parametrize("digits", ODD_DIGITS)
def test_graphql_ids_with_unicode_digits_find_nothing(client, caplog, digits):
    from graphql_relay import to_global_id

    staff = StaffFactory()
    key = tokens.issue_token(user=staff, name="t")[1]
    VariantFactory(product=ProductFactory(cooperative=staff.cooperative))
    token = client.post(
        "/graphql/",
        {"query": "mutation { checkoutCreate(currency: VND) { checkout { token } } }"},
        content_type="application/json",
    ).json()["data"]["checkoutCreate"]["checkout"]["token"]
    documents = [
        (
            "mutation($t: ID!, $v: ID!) { checkoutLinesAdd(token: $t, lines: [{variantId: $v,"
            " quantity: 1}]) { errors { code } } }",
            {"t": token, "v": digits},
            None,
        ),
        ("query($v: ID!) { node(id: $v) { id } }", {"v": to_global_id("Product", digits)}, None),
        ("query($v: ID!) { cooperative { batch(id: $v) { id } } }", {"v": digits}, key),
    ]
    with caplog.at_level(logging.ERROR):
        for document, variables, bearer in documents:
            headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"} if bearer else {}
            response = client.post(
                "/graphql/",
                {"query": document, "variables": variables},
                content_type="application/json",
                **headers,
            )
            text = response.content.decode()
            assert response.status_code < 500 and "INTERNAL_ERROR" not in text, text
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize(
    "url", ["/coop/orders/%00/", "/coop/orders/A%00/slip/", "/pay/dummy/%00/", "/orders/%00/"]
)
def test_a_nul_byte_in_a_path_parameter_is_a_bad_request(client, url):
    client.force_login(StaffFactory())

    response = client.get(url)

    assert response.status_code == 400
    assert b"<!doctype html>" in response.content.lower()


def test_the_resolver_answers_a_nul_byte_itself_with_cors(client):
    response = client.get("/01/08930000000019/10/%00")

    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_nul_byte_in_a_filter_gets_the_form_message(client):
    response = client.get("/products/", {"q": "nuoc\x00mam"})

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
