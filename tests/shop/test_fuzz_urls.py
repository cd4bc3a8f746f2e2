"""Hypothesis sends junk to the public URL space and to the workspace: resolver paths,
catalogue filters, preferences, the report form, GraphQL request bodies and the
cooperative's pages with odd ids. Whatever arrives, the answer is never a 500.

The test client re-raises a view's exception, so a crash fails the example with its
traceback. Derandomized and bounded, so the whole file runs in a few seconds.
"""

import json
from urllib.parse import quote

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shop.forms import CatalogueFilterForm
from tests.factories import BatchFactory, ProductFactory, StaffFactory, VariantFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ODD = [
    "",
    " ",
    "\x00",
    "%00",
    "²",
    "①",
    "１２",
    "٣",
    "-1",
    "0",
    "9" * 30,
    "1e9999",
    "NaN",
    "../",
    "//evil.example",
    "products",
    "'\"<>",
    "🙂",
    "x" * 3000,
]
junk = st.one_of(st.sampled_from(ODD), st.text(max_size=30), st.integers().map(str))


def _ok(response) -> None:
    assert response.status_code < 500, response.content[:500]


@pytest.fixture
def lot(db):
    batch = BatchFactory(lot_code="FUZZ-1", quantity_received=5)
    return batch.variant.gtin, batch.lot_code


@FUZZ
@given(gtin=st.one_of(st.just("VALID"), junk), lot_code=junk, tail=junk, query=junk)
def test_resolver_paths_never_fail(client, lot, gtin, lot_code, tail, query):
    gtin = lot[0] if gtin == "VALID" else gtin
    path = f"/01/{quote(gtin, safe='')}/10/{quote(lot_code, safe='')}"
    for url in (path, f"{path}/{quote(tail, safe='/')}", f"/01/{quote(tail, safe='/')}"):
        for params in ({"linkType": query}, {"17": query}, {query: query}):
            _ok(client.get(url, params))
    _ok(client.get(path, HTTP_ACCEPT=query[:200]))


@FUZZ
@given(
    values=st.dictionaries(
        st.sampled_from(sorted(CatalogueFilterForm.base_fields) + ["page"]), junk
    )
)
def test_catalogue_filters_never_fail(client, lot, values):
    _ok(client.get("/products/", values))


@FUZZ
@given(nxt=junk, language=junk, currency=junk)
def test_preferences_never_fail(client, nxt, language, currency):
    for params in ({"next": nxt}, {"next": nxt, "language": language, "currency": currency}):
        _ok(client.get("/preferences/", params))


@FUZZ
@given(
    gtin=st.one_of(st.just("VALID"), junk),
    lot_code=st.one_of(st.just("VALID"), junk),
    fields=st.dictionaries(
        st.sampled_from(["reason", "details", "place_of_purchase", "email"]), junk
    ),
)
def test_report_form_never_fails(client, lot, gtin, lot_code, fields):
    params = {
        "gtin": lot[0] if gtin == "VALID" else gtin,
        "lot": lot[1] if lot_code == "VALID" else lot_code,
    }
    _ok(client.get("/trace/report/", params))
    _ok(client.get("/trace/report/sent/", params))
    with transaction.atomic():
        _ok(
            client.post(
                "/trace/report/?" + "&".join(f"{k}={quote(v)}" for k, v in params.items()), fields
            )
        )
        transaction.set_rollback(True)


json_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)


@FUZZ
@given(
    query=st.one_of(st.sampled_from(["{ __typename }", "query Q { __typename }"]), json_values),
    variables=json_values,
    operation=json_values,
    whole=json_values,
)
def test_graphql_bodies_never_fail(client, query, variables, operation, whole):
    bodies = [
        {"query": query, "variables": variables, "operationName": operation},
        {"query": query, "variables": variables},
        whole,
    ]
    for body in bodies:
        response = client.post("/graphql/", json.dumps(body), content_type="application/json")
        _ok(response)
        assert "INTERNAL_ERROR" not in response.content.decode(), body


WORKSPACE_PAGES = [
    "/coop/",
    "/coop/batches/",
    "/coop/batches/receive/",
    "/coop/batches/{id}/",
    "/coop/batches/{id}/adjust/",
    "/coop/batches/{id}/events/add/",
    "/coop/batches/{id}/recall/",
    "/coop/batches/{id}/correct/",
    "/coop/import/",
    "/coop/import/template.{text}",
    "/coop/orders/",
    "/coop/orders/{text}/",
    "/coop/orders/{text}/slip/",
    "/coop/boxes/",
    "/coop/boxes/{id}/",
    "/coop/labels/",
    "/coop/labels/jobs/{text}/",
    "/coop/labels/jobs/{text}/sheet.pdf",
    "/coop/insight/",
]


@pytest.fixture
def staff_client(client, db):
    staff = StaffFactory()
    variant = VariantFactory(product=ProductFactory(cooperative=staff.cooperative))
    BatchFactory(variant=variant, lot_code="OWN-1", quantity_received=5)
    client.force_login(staff)
    return client


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    page=st.sampled_from(WORKSPACE_PAGES),
    number=st.one_of(st.integers(0, 10**20).map(str), st.sampled_from(["²", "①", "１"])),
    text=junk,
    params=st.dictionaries(
        st.sampled_from(["batch", "variant", "page", "status", "q", "sort"]), junk, max_size=3
    ),
)
def test_workspace_pages_never_fail(staff_client, page, number, text, params):
    url = page.format(id=quote(number, safe=""), text=quote(text, safe="") or "x")
    _ok(staff_client.get(url, params))


@FUZZ
@given(
    action=st.sampled_from(["/cart/add/", "/cart/update/", "/cart/remove/", "/checkout/"]),
    fields=st.dictionaries(
        st.sampled_from(["variant", "quantity", "email", "buyer_name", "country", "next"]),
        st.one_of(junk, st.just("1")),
        max_size=4,
    ),
)
def test_cart_and_checkout_forms_never_fail(client, lot, action, fields):
    with transaction.atomic():
        _ok(client.post(action, fields))
        transaction.set_rollback(True)


def test_every_workspace_page_with_every_odd_value_never_fails(staff_client):
    # Hypothesis samples; this sweeps: each page with each odd value as id, text and params.
    for page in WORKSPACE_PAGES:
        for value in ODD:
            url = page.format(id=quote(value, safe="") or "0", text=quote(value, safe="") or "x")
            _ok(staff_client.get(url, {"batch": value, "variant": value, "page": value}))
