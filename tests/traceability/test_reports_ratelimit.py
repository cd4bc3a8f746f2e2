"""The report form is rate-limited per client address (shop.ratelimits, scope "report"):
every POST counts, whatever code it names; a forged X-Forwarded-For does not make a new
client unless a trusted proxy sets that header."""

import pytest
from django.core.cache import cache

from tests.factories import BatchFactory
from traceability.models import SuspiciousProductReport

pytestmark = pytest.mark.django_db

REPORT = {"reason": "counterfeit", "details": "The seal is printed, not embossed."}
FOREIGN = "/trace/report/?gtin=04890000000423&lot=Z9"


@pytest.fixture(autouse=True)
def three_an_hour(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": (3, 3600)}
    settings.TRUST_X_FORWARDED_FOR = False
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def url():
    batch = BatchFactory()
    return f"/trace/report/?gtin={batch.variant.gtin}&lot={batch.lot_code}"


def post(client, url, ip, data=REPORT, **extra):
    return client.post(url, data, REMOTE_ADDR=ip, **extra).status_code


def test_each_client_address_has_its_own_allowance_across_codes(client, url):
    first = [post(client, url, "203.0.113.7"), post(client, FOREIGN, "203.0.113.7")]
    first += [post(client, url, "203.0.113.7"), post(client, FOREIGN, "203.0.113.7")]
    other = post(client, FOREIGN, "198.51.100.1")

    assert first == [302, 302, 302, 429]
    assert other == 302
    assert SuspiciousProductReport.objects.count() == 4


def test_invalid_posts_count_too(client, url):
    answers = [post(client, url, "203.0.113.7", {"reason": "x"}) for _ in range(3)]

    assert answers == [400, 400, 400]
    assert post(client, url, "203.0.113.7") == 429
    assert SuspiciousProductReport.objects.count() == 0


def test_a_forged_forwarded_header_is_not_a_new_client(client, url):
    answers = [
        post(client, url, "203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}") for i in range(4)
    ]

    assert answers == [302, 302, 302, 429]


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(client, url, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    proxy = "10.0.0.2"

    first = [post(client, url, proxy, HTTP_X_FORWARDED_FOR="203.0.113.7") for _ in range(4)]
    other = post(client, url, proxy, HTTP_X_FORWARDED_FOR="198.51.100.1, 10.0.0.1")

    assert first == [302, 302, 302, 429]
    assert other == 302


def test_reading_the_form_is_not_limited(client, url):
    for _ in range(3):
        post(client, url, "203.0.113.7")

    assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200
