"""Cached answers to public catalogue queries (shop.graphql.resultcache): as fresh as the
storefront's cached pages, and never for anything a caller's identity can change."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop import inventory
from shop.graphql import resultcache
from tests.factories import BatchFactory, StaffFactory, VariantFactory
from tests.shop.graphql.api import gql

pytestmark = pytest.mark.django_db

LIST = """query($currency: Currency) { products(first: 10, currency: $currency) {
  edges { node { slug name variants { price(currency: $currency) { amount currency }
  available } } } } }"""


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def _counted(client, query, variables=None, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        status, body = gql(client, query, variables, **kwargs)
    return len(queries), status, body


def test_a_repeated_catalogue_query_is_answered_without_sql(client):
    BatchFactory(variant=VariantFactory(price_usd="12.50"), quantity_received=7)

    first_queries, _, first = _counted(client, LIST, {"currency": "USD"})
    again_queries, status, again = _counted(client, LIST, {"currency": "USD"})

    assert first_queries > 0 and again_queries == 0
    assert status == 200 and again == first
    assert first["data"]["products"]["edges"][0]["node"]["variants"] == [
        {"price": {"amount": "12.50", "currency": "USD"}, "available": 7}
    ]


def test_variables_language_and_currency_each_have_their_own_answer(client):
    VariantFactory(product__name_en="Fish sauce", product__name_vi="Nước mắm")
    gql(client, LIST, {"currency": "USD"})

    _, euros = gql(client, LIST, {"currency": "EUR"})
    _, vietnamese = gql(client, LIST, {"currency": "USD"}, HTTP_ACCEPT_LANGUAGE="vi")
    client.cookies["currency"] = "VND"
    _, dong = gql(client, "{ products { edges { node { variants { price { currency } } } } } }")

    edge = euros["data"]["products"]["edges"][0]["node"]
    assert edge["variants"][0]["price"]["currency"] == "EUR"
    assert vietnamese["data"]["products"]["edges"][0]["node"]["name"] == "Nước mắm"
    assert dong["data"]["products"]["edges"][0]["node"]["variants"][0]["price"]["currency"] == (
        "VND"
    )


def test_a_stock_movement_gives_fresh_answers_as_it_does_to_the_pages(
    client, django_capture_on_commit_callbacks
):
    batch = BatchFactory(quantity_received=7)
    gql(client, LIST)

    with django_capture_on_commit_callbacks(execute=True):
        inventory.record_movement(batch_id=batch.pk, kind="damaged", quantity=-2)
    _, after = gql(client, LIST)

    assert after["data"]["products"]["edges"][0]["node"]["variants"][0]["available"] == 5


def test_the_cache_is_off_with_the_page_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    VariantFactory()
    gql(client, LIST)

    queries, _, _ = _counted(client, LIST)

    assert queries > 0


@pytest.mark.parametrize(
    "query",
    [
        "{ __typename }",
        "{ me { email } products { totalCount } }",
        '{ checkout(token: "x") { token } }',
        '{ trace(gtin: "08934567890120", lot: "L1") { link } }',
        "{ ...F } fragment F on Query { products { totalCount } }",
        "mutation { checkoutCreate { errors { code } } }",
        '{ products(priceMin: "-1") { totalCount } }',
    ],
)
def test_personal_mutating_or_failing_operations_are_never_cached(client, query):
    VariantFactory()

    gql(client, query)

    assert not [key for key in cache._cache if "graphql:result" in key]


def test_which_operations_read_only_the_catalogue():
    assert resultcache.reads_only_the_catalogue("{ products { totalCount } }", None)
    assert resultcache.reads_only_the_catalogue(
        "query A { me { email } } query B { cooperatives { name } }", "B"
    )
    assert not resultcache.reads_only_the_catalogue(
        "query A { me { email } } query B { cooperatives { name } }", None
    )
    assert not resultcache.reads_only_the_catalogue("{ products {", None)


def test_a_token_caller_shares_the_public_answer_but_not_their_own_data(client):
    from shop.graphql import tokens

    VariantFactory()
    key = tokens.issue_token(user=StaffFactory(), name="x")[1]
    gql(client, LIST)

    queries, _, body = _counted(client, LIST, token=key)
    _, mine = gql(client, "{ myCooperative { batches { totalCount } } }", token=key)

    assert queries == 2  # the token's lookup and its last-use stamp; the answer is cached
    assert body["data"]["products"]["edges"]
    assert mine["data"]["myCooperative"]["batches"]["totalCount"] == 0
