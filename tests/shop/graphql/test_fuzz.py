"""schemathesis in GraphQL mode: queries and mutations generated from the schema, sent through
the WSGI application with a cooperative staff member's token, must never end in a server
error. The view masks an unexpected exception as INTERNAL_ERROR (not a 500), so that code is
a failure here too, as are a traceback and the errors graphql-core reports for a resolver
that broke the schema's promises (null in a non-null field, an unresolvable interface).

Bounded: a few examples per operation, so the whole run stays well under a minute.
"""

import datetime
import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shop.graphql import tokens
from shop.models import Batch, ShippingMethod, Variant
from shop.wsgi import application
from tests.factories import BatchFactory, ProductFactory, StaffFactory, VariantFactory
from tests.shop.checkout_data import shipping_zones
from tests.shop.graphql.api import data_of, gql
from traceability.models import Village

EXAMPLES_PER_OPERATION = 20
# Errors that only a bug on the server produces, whatever the client sent.
SERVER_BUGS = (
    "Traceback",
    "INTERNAL_ERROR",
    "Cannot return null for non-nullable field",
    "must resolve to an Object type",
)


def assert_no_server_bug(status: int, text: str) -> None:
    assert status < 500, text
    for sign in SERVER_BUGS:
        assert sign not in text, text


@pytest.fixture
def keep_connection():
    """Django closes the database connection when a request ends, which would end the test's
    transaction; its test client unhooks that, schemathesis's WSGI client does not."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def staff_key(db):
    """A token of a cooperative's staff, and a little of everything for the cases to find."""
    staff = StaffFactory()
    variant = VariantFactory(product=ProductFactory(cooperative=staff.cooperative))
    BatchFactory(variant=variant, lot_code="FUZZ1", quantity_received=10)
    shipping_zones()
    return tokens.issue_token(user=staff, name="fuzz")[1]


# Introspection through the application itself (no database needed); one test per query and
# mutation field follows.
schema = schemathesis.graphql.from_wsgi("/graphql/", application)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_generated_queries_and_mutations_never_fail_on_the_server(case, staff_key, keep_connection):
    response = case.call(headers={"Authorization": f"Bearer {staff_key}"})

    assert_no_server_bug(response.status_code, response.content.decode("utf-8", "replace"))


# The generated cases above rarely name a checkout or batch that exists, so they mostly meet
# NOT_FOUND. These send fuzzed arguments to the mutations with a real checkout token and
# real ids, so the services themselves get the odd input.

CHECKOUT_MUTATIONS = {
    "checkoutLinesAdd": (
        "mutation($t: ID!, $v: ID!, $q: Int!) { checkoutLinesAdd(token: $t,"
        " lines: [{variantId: $v, quantity: $q}]) { checkout { itemCount } errors { code } } }"
    ),
    "checkoutLineUpdate": (
        "mutation($t: ID!, $v: ID!, $q: Int!) { checkoutLineUpdate(token: $t, variantId: $v,"
        " quantity: $q) { checkout { itemCount } errors { code } } }"
    ),
    "checkoutShippingAddressUpdate": (
        "mutation($t: ID!, $s: String!, $c: String!) { checkoutShippingAddressUpdate(token: $t,"
        " email: $s, buyerName: $s, address: {fullName: $s, line1: $s, city: $s, region: $s,"
        " postalCode: $s, country: $c}) { checkout { totals { total { amount } } }"
        " errors { code } } }"
    ),
    "checkoutGiftOptionsUpdate": (
        "mutation($t: ID!, $s: String!) { checkoutGiftOptionsUpdate(token: $t, isGift: true,"
        " giftMessage: $s, giftWrap: true) { checkout { giftOptions { giftMessage } }"
        " errors { code } } }"
    ),
    "checkoutShippingMethodUpdate": (
        "mutation($t: ID!, $v: ID!) { checkoutShippingMethodUpdate(token: $t,"
        " shippingMethodId: $v) { checkout { shippingMethod { id } } errors { code } } }"
    ),
    "checkoutComplete": (
        "mutation($t: ID!) { checkoutComplete(token: $t) { order { number } errors { code } } }"
    ),
}
COOPERATIVE_MUTATIONS = {
    "batchCreate": (
        "mutation($v: ID!, $q: Int!, $d: Date!, $e: Date!, $s: String) { batchCreate(input:"
        " {variantId: $v, quantity: $q, harvestDate: $d, bestBefore: $e, villageId: $v,"
        " lotCode: $s}) { batch { id } errors { code } } }"
    ),
    "stockMovementCreate": (
        "mutation($v: ID!, $q: Int!, $s: String) { stockMovementCreate(batchId: $v,"
        " change: COUNT_DOWN, quantity: $q, note: $s) { batch { onHand } errors { code } } }"
    ),
    "traceEventAdd": (
        "mutation($v: ID!, $s: String!, $at: DateTime!) { traceEventAdd(batchId: $v,"
        " kind: HARVEST, occurredAt: $at, place: $s, notes: $s) { event { sequence }"
        " errors { code } } }"
    ),
    "batchRecall": (
        "mutation($v: ID, $s: String!) { batchRecall(gtin: $s, lot: $s, batchId: $v,"
        " reason: $s) { batch { status } errors { code } } }"
    ),
}
texts = st.one_of(
    st.text(max_size=40),
    st.text(max_size=400),
    st.sampled_from(["", " ", "DE", "US", "10115", "\x00", "a@b.co", "x" * 301]),
)
ints = st.one_of(st.integers(-(2**31), 2**31 - 1), st.sampled_from([-1, 0, 1, 2, 50, 51]))


def _ids(real: list[int]):
    return st.one_of(
        st.sampled_from([str(pk) for pk in real]),
        st.integers(-(2**70), 2**70).map(str),
        st.text(max_size=20),
    )


def _send(client, document: str, variables: dict, key: str | None = None) -> None:
    # Each example starts from the same rows: what one example creates (a batchCreate that
    # went through) would change the ids the next one draws from, which Hypothesis rejects.
    with transaction.atomic():
        status, body = gql(client, document, variables, token=key)
        transaction.set_rollback(True)
    assert_no_server_bug(status, json.dumps(body))


@pytest.fixture
def checkout_token(client, staff_key):
    data = data_of(client, "mutation { checkoutCreate(currency: VND) { checkout { token } } }")
    return data["checkoutCreate"]["checkout"]["token"]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_checkout_mutations_survive_fuzzed_arguments(client, checkout_token, data):
    real = list(Variant.objects.values_list("pk", flat=True))
    real += list(ShippingMethod.objects.values_list("pk", flat=True))
    name = data.draw(st.sampled_from(sorted(CHECKOUT_MUTATIONS)))
    variables = {
        "t": checkout_token,
        "v": data.draw(_ids(real)),
        "q": data.draw(ints),
        "s": data.draw(texts),
        "c": data.draw(st.one_of(st.sampled_from(["DE", "de", "US", "VN", "SG"]), texts)),
    }

    _send(client, CHECKOUT_MUTATIONS[name], variables)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_cooperative_mutations_survive_fuzzed_arguments(client, staff_key, data):
    real = list(Batch.objects.values_list("pk", flat=True))
    real += list(Variant.objects.values_list("pk", flat=True))
    real += list(Village.objects.values_list("pk", flat=True))
    name = data.draw(st.sampled_from(sorted(COOPERATIVE_MUTATIONS)))
    moment = data.draw(st.datetimes(timezones=st.just(datetime.UTC)))
    variables = {
        "v": data.draw(_ids(real)),
        "q": data.draw(ints),
        "s": data.draw(texts),
        "d": data.draw(st.dates()).isoformat(),
        "e": data.draw(st.dates()).isoformat(),
        "at": moment.isoformat(),
    }

    _send(client, COOPERATIVE_MUTATIONS[name], variables, key=staff_key)
