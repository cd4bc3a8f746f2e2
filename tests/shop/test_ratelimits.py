"""Per-client rate limits (shop.ratelimits): the report form, sign-up, password reset and
GraphQL mutations answer 429 past their limit, per client address, counted in the cache."""

import json
import uuid

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from shop import ratelimits
from tests.factories import BatchFactory, UserFactory
from tests.shop.graphql.api import gql
from traceability.models import SuspiciousProductReport

pytestmark = pytest.mark.django_db

REPORT = {"reason": "counterfeit", "details": "The seal is printed, not embossed."}
MUTATION = "mutation { checkoutCreate(currency: USD) { checkout { token } errors { code } } }"


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.RATE_LIMITS = {
        "signup": (3, 3600),
        "password_reset": (3, 3600),
        "report": (10, 3600),
        "graphql_mutation": (5, 60),
    }
    cache.clear()
    yield
    cache.clear()


def test_twenty_five_reports_in_a_row_are_cut_off_after_the_limit(client):
    batch = BatchFactory()
    url = f"/trace/report/?gtin={batch.variant.gtin}&lot={batch.lot_code}"

    answers = [client.post(url, REPORT, REMOTE_ADDR="203.0.113.7").status_code for _ in range(25)]

    assert answers == [302] * 10 + [429] * 15
    assert SuspiciousProductReport.objects.count() == 10
    refused = client.post(url, REPORT, REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Quá nhiều lần thử" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200  # reading is not
    assert client.post(url, REPORT, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_sign_up_is_limited_per_client(client):
    def sign_up(i):
        data = {"email": f"new{i}@example.com", "password1": "a-Long-pass-987"}
        data["password2"] = data["password1"]
        return client.post("/account/signup/", data, REMOTE_ADDR="203.0.113.7")

    answers = [sign_up(i).status_code for i in range(5)]

    assert answers == [302, 302, 302, 429, 429]
    assert "Too many attempts" in sign_up(9).content.decode()


def test_password_reset_requests_are_limited_per_client(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="jane@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(
                "/account/password-reset/", {"email": user.email}, REMOTE_ADDR="203.0.113.7"
            ).status_code
            for _ in range(6)
        ]

    assert answers == [302] * 3 + [429] * 3
    assert len(mailoutbox) == 3


def test_graphql_mutations_past_the_limit_answer_rate_limited(client):
    answers = [gql(client, MUTATION, REMOTE_ADDR="203.0.113.7") for _ in range(7)]

    assert [status for status, _body in answers[:5]] == [200] * 5
    assert all("errors" not in body for _status, body in answers[:5])
    status, body = answers[5]
    assert status == 429
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert body["errors"][0]["extensions"]["retryAfter"] > 0
    assert "data" not in body
    # Reads are not counted, and another client still has its own allowance.
    read_status, read = gql(client, "{ __typename }", REMOTE_ADDR="203.0.113.7")
    assert (read_status, read) == (200, {"data": {"__typename": "Query"}})
    assert gql(client, MUTATION, REMOTE_ADDR="198.51.100.1")[0] == 200


def test_a_rate_limited_graphql_answer_carries_retry_after(client):
    for _ in range(5):
        gql(client, MUTATION, REMOTE_ADDR="203.0.113.7")
    response = client.post(
        "/graphql/",
        json.dumps({"query": MUTATION}),
        content_type="application/json",
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_client_is_remote_addr_unless_the_proxy_is_trusted(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.5, 10.0.0.1"
    )
    assert ratelimits.client_ip(request) == "10.0.0.2"
    settings.TRUST_X_FORWARDED_FOR = True
    assert ratelimits.client_ip(request) == "192.0.2.5"
    garbled = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<x>")
    assert ratelimits.client_ip(garbled) == "10.0.0.2"


@pytest.mark.django_db
def test_a_sign_in_without_a_client_address_is_counted_under_one_valid_address():
    # given a request with no REMOTE_ADDR (a unix-socket peer, a hand-built request)
    from axes.models import AccessAttempt
    from django.contrib.auth import authenticate

    request = RequestFactory().post("/account/login/", {"username": "x@example.com"})
    del request.META["REMOTE_ADDR"]

    # when a wrong password is tried, django-axes stores the attempt (an inet column)
    assert authenticate(request=request, username="x@example.com", password="nope") is None

    # then the attempt is kept under the unspecified address, never a 500
    assert ratelimits.client_ip(request) == ratelimits.UNKNOWN_CLIENT
    assert AccessAttempt.objects.get().ip_address == ratelimits.UNKNOWN_CLIENT


def test_an_unreachable_cache_lets_the_request_through(monkeypatch):
    from django_redis.cache import RedisCache

    unreachable = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2}})
    monkeypatch.setattr(ratelimits, "cache", unreachable)

    for _ in range(20):
        ratelimits.hit(scope="graphql_mutation", client="203.0.113.7")


def test_two_processes_share_one_count_in_redis(settings, monkeypatch):
    """In production each gunicorn process has its own cache client; the count is Redis'."""
    from django_redis.cache import RedisCache

    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set (CI sets it)")
    settings.RATE_LIMITS = {"report": (3, 3600)}
    first, second = (RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "rl-test"}) for _ in "ab")
    client = f"test-{uuid.uuid4()}"  # keys of its own: nothing else in Redis is touched

    for process in (first, second, first):
        monkeypatch.setattr(ratelimits, "cache", process)
        ratelimits.hit(scope="report", client=client)
    monkeypatch.setattr(ratelimits, "cache", second)
    with pytest.raises(ratelimits.RateLimited):
        ratelimits.hit(scope="report", client=client)
