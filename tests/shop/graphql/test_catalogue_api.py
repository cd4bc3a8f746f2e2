import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import BatchFactory, VariantFactory

pytestmark = pytest.mark.django_db

PRODUCT_LIST = """
query($first: Int, $after: String, $search: String, $currency: Currency) {
  products(first: $first, after: $after, search: $search, currency: $currency) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      slug name(language: VI) inStock
      priceFrom(currency: $currency) { amount currency formatted }
      cooperative { name province { name slug } }
      variants { sku gtin name price(currency: $currency) { amount currency } available
        batches { lotCode harvestDate bestBefore available village { name } } }
    } }
  }
}
"""


VARIANTS = "variants { batches { lotCode harvestDate bestBefore } }"


def gql(client, query, variables=None, **headers):
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )
    return response.status_code, response.json()


def make_products(count: int) -> None:
    for _ in range(count):
        variant = VariantFactory()
        VariantFactory(product=variant.product)
        for days in (30, 200):
            BatchFactory(
                variant=variant, best_before=datetime.date.today() + datetime.timedelta(days=days)
            )


def test_product_list_reads_prices_batches_and_translations(client):
    variant = VariantFactory(product__name_vi="Nước mắm Phú Quốc", price_usd="12.50")
    soon = BatchFactory(
        variant=variant,
        lot_code="SOON",
        quantity_received=3,
        best_before=datetime.date.today() + datetime.timedelta(days=20),
    )
    BatchFactory(
        variant=variant,
        lot_code="LATER",
        best_before=datetime.date.today() + datetime.timedelta(days=90),
    )

    status, body = gql(client, PRODUCT_LIST, {"first": 10, "search": "nuoc mam", "currency": "USD"})

    assert status == 200 and "errors" not in body
    node = body["data"]["products"]["edges"][0]["node"]
    assert node["name"] == "Nước mắm Phú Quốc"
    assert node["priceFrom"] == {"amount": "12.50", "currency": "USD", "formatted": "$12.50"}
    assert [b["lotCode"] for b in node["variants"][0]["batches"]] == ["SOON", "LATER"]
    assert node["variants"][0]["available"] == 3 + 20
    assert node["variants"][0]["batches"][0]["available"] == soon.quantity_received


def test_vnd_prices_have_no_decimals(client):
    VariantFactory(price_vnd="250000")

    _, body = gql(client, PRODUCT_LIST, {"currency": "VND"})

    price = body["data"]["products"]["edges"][0]["node"]["variants"][0]["price"]
    assert price == {"amount": "250000", "currency": "VND"}


def test_cursor_pagination_walks_every_product_once(client):
    make_products(5)

    seen, after = [], None
    for _ in range(5):
        _, body = gql(client, PRODUCT_LIST, {"first": 2, "after": after})
        page = body["data"]["products"]
        seen += [e["node"]["slug"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break

    assert len(seen) == 5 == len(set(seen))
    assert page["totalCount"] == 5


def test_page_size_is_capped_at_100(client):
    make_products(3)

    _, body = gql(client, PRODUCT_LIST, {"first": 1000})

    assert len(body["data"]["products"]["edges"]) == 3


def _queries_for_list(client, expected: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        status, body = gql(client, PRODUCT_LIST, {"first": 100, "currency": "EUR"})
    assert status == 200 and "errors" not in body
    assert len(body["data"]["products"]["edges"]) == expected
    return len(queries)


def test_product_list_costs_the_same_queries_for_10_and_100_products(client):
    make_products(10)
    ten = _queries_for_list(client, 10)
    make_products(90)
    hundred = _queries_for_list(client, 100)

    print("graphql product list queries:", ten, hundred)
    assert ten == hundred
    assert ten <= 8, ten


def test_unknown_product_is_null_and_bad_filter_is_a_coded_error(client):
    _, body = gql(client, '{ product(slug: "nope") { slug } }')
    assert body["data"]["product"] is None

    _, body = gql(client, '{ products(priceMin: "-5") { totalCount } }')
    assert body["errors"][0]["extensions"]["code"] == "INVALID"


def test_malformed_query_gets_graphql_errors_not_a_500(client):
    status, body = gql(client, "{ products { edges { node { nope } } }")

    assert status == 400
    assert body["errors"]
    assert "Traceback" not in json.dumps(body)


def test_too_deep_or_too_costly_queries_are_refused_before_running(client):
    deep = (
        "{ products { edges { node { variants { batches { village { province { name } } } } } } } }"
    )
    _, ok = gql(client, deep)
    assert "errors" not in ok

    aliases = "{ " + " ".join(f"a{i}: cooperatives {{ name }}" for i in range(40)) + " }"
    _, body = gql(client, aliases)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"

    costly = (
        "{ "
        + " ".join(
            f"p{i}: products(first: 100) {{ edges {{ node {{ {VARIANTS} }} }} }}" for i in range(25)
        )
        + " }"
    )
    _, body = gql(client, costly)
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_last_and_before_page_backwards(client):
    make_products(5)
    _, forward = gql(client, PRODUCT_LIST, {"first": 5})
    slugs = [e["node"]["slug"] for e in forward["data"]["products"]["edges"]]
    query = (
        PRODUCT_LIST.replace("$first: Int,", "$last: Int, $before: String,")
        .replace("products(first: $first, after: $after,", "products(last: $last, before: $before,")
        .replace("$after: String, ", "")
        .replace("$first", "$last")
    )

    _, body = gql(
        client, query, {"last": 2, "before": forward["data"]["products"]["edges"][4]["cursor"]}
    )

    assert [e["node"]["slug"] for e in body["data"]["products"]["edges"]] == slugs[2:4]


def test_bad_cursor_is_a_coded_error(client):
    _, body = gql(client, '{ products(after: "not-a-cursor") { totalCount } }')

    assert body["errors"][0]["extensions"]["code"] == "INVALID"
