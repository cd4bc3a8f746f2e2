import json

import pytest
from graphql import get_introspection_query

from tests.factories import VariantFactory
from tests.shop.graphql.api import gql

pytestmark = pytest.mark.django_db


def test_the_standard_introspection_query_is_answered(client):
    """GraphiQL, code generators and schemathesis send this one; its ofType chains are deep."""
    status, body = gql(client, get_introspection_query(descriptions=True))

    assert status == 200 and "errors" not in body
    names = {t["name"] for t in body["data"]["__schema"]["types"]}
    assert {"Query", "Mutation", "Checkout", "CooperativeBatch"} <= names


def test_introspection_nesting_lists_in_lists_is_refused(client):
    nested = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"

    status, body = gql(client, nested)

    assert status == 400
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_get_answers_queries_and_refuses_mutations(client):
    VariantFactory(product__slug="tea")

    query = client.get("/graphql/", {"query": '{ product(slug: "tea") { slug } }'})
    mutation = client.get("/graphql/", {"query": "mutation { checkoutCreate { errors { code } } }"})

    assert query.status_code == 200
    assert query.json() == {"data": {"product": {"slug": "tea"}}}
    assert mutation.status_code == 405


def test_a_body_that_is_not_json_is_a_coded_400(client):
    response = client.post("/graphql/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID"


@pytest.mark.parametrize("slug", ["a\x00b", "ünïcode", "x" * 500])
def test_a_slug_that_cannot_be_one_finds_nothing(client, slug):
    _, body = gql(client, "query($s: String!) { product(slug: $s) { slug } }", {"s": slug})

    assert body == {"data": {"product": None}}


def test_an_unknown_or_malformed_node_id_finds_nothing_and_a_product_id_finds_it(client):
    variant = VariantFactory()
    query = "query($id: ID!) { node(id: $id) { ... on Product { slug variants { sku } } } }"
    _, product = gql(client, "{ products { edges { node { id } } } }")
    product_id = product["data"]["products"]["edges"][0]["node"]["id"]

    found = [gql(client, query, {"id": value})[1]["data"]["node"] for value in (product_id,)]
    missing = [
        gql(client, query, {"id": value})[1]
        for value in ("", "x", "UHJvZHVjdDp4", "Q2FydDox", json.dumps({"a": 1}))
    ]

    assert found == [{"slug": variant.product.slug, "variants": [{"sku": variant.sku}]}]
    assert all(body == {"data": {"node": None}} for body in missing)
