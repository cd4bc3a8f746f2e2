"""With Redis killed, the storefront, trace pages, cart and GraphQL keep answering, rendered
without the cache; when Redis is back, caching resumes by itself (shop.cache_outage).
Redis here is a redis-server of the test's own, on a free port, killed with SIGKILL."""

import shutil
from decimal import Decimal

import pytest
from django.urls import reverse

from shop import cache_outage
from tests.factories import BatchFactory, CooperativeFactory, ProductFactory, VariantFactory
from tests.redis_process import RedisProcess
from traceability.links import digital_link_path

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]

CATALOGUE_QUERY = "{ products(first: 5) { edges { node { name } } } }"


@pytest.fixture
def own_redis(settings):
    """The cache, scan counters and page cache on a Redis of this test's own."""
    server = RedisProcess().start()
    settings.REDIS_URL = server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "outage-test",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    settings.PAGE_CACHE_SECONDS = 30
    settings.CACHE_RETRY_SECONDS = 0
    cache_outage.reset()
    yield server
    server.kill()
    cache_outage.reset()


@pytest.fixture
def tea():
    cooperative = CooperativeFactory(name="HTX Trà sen", slug="htx-tra-sen")
    product = ProductFactory(cooperative=cooperative, slug="tra-sen", name_en="Lotus tea")
    variant = VariantFactory(product=product, price_usd=Decimal("9.50"))
    return BatchFactory(variant=variant, lot_code="TEA1", quantity_received=20)


def pages(batch) -> list[str]:
    return [
        reverse("shop:home"),
        reverse("shop:catalogue"),
        reverse("shop:product", args=["tra-sen"]),
        digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code),
    ]


def visit(client, batch) -> list[int]:
    """Status codes of the public pages, an add to the cart, the cart and a GraphQL read."""
    codes = [client.get(path).status_code for path in pages(batch)]
    added = client.post(reverse("shop:cart_add"), {"variant": batch.variant_id, "quantity": 1})
    codes.append(added.status_code)
    codes.append(client.get(reverse("shop:cart")).status_code)
    answer = client.post("/graphql/", {"query": CATALOGUE_QUERY}, content_type="application/json")
    codes.append(answer.status_code)
    assert "errors" not in answer.json(), answer.json()
    return codes


def cached_keys(server) -> int:
    import redis

    return len(redis.Redis.from_url(server.url).keys("outage-test:*"))


def test_pages_cart_and_graphql_survive_redis_and_caching_resumes(client, own_redis, tea):
    # given Redis up: the pages are served and cached
    assert visit(client, tea) == [200, 200, 200, 200, 302, 200, 200]
    assert cached_keys(own_redis) > 0

    # when Redis is killed
    own_redis.kill()

    # then every page, the cart and GraphQL still answer, rendered without the cache
    assert visit(client, tea) == [200, 200, 200, 200, 302, 200, 200]
    # and the cart kept its lines (the session lives in the database)
    assert "Lotus tea" in client.get(reverse("shop:cart")).content.decode()

    # when Redis comes back (empty, on the same port)
    restarted = RedisProcess(port=own_redis.port).start()
    try:
        assert cached_keys(restarted) == 0

        # then the next requests fill the cache again
        assert visit(client, tea) == [200, 200, 200, 200, 302, 200, 200]
        assert cached_keys(restarted) > 0
    finally:
        restarted.kill()


def test_a_cache_outage_is_skipped_for_a_while_then_tried_again(settings, own_redis):
    # given a process that just saw Redis fail
    settings.CACHE_RETRY_SECONDS = 60
    own_redis.kill()
    assert cache_outage.get("anything", "default") == "default"

    # then it does not wait on Redis again within the window
    assert not cache_outage.available()
    assert cache_outage.add("key", 1, None) is False

    # and after reset (the window over) it tries again
    cache_outage.reset()
    assert cache_outage.available()


def test_signing_in_and_up_survive_redis_and_failures_are_still_counted(client, own_redis):
    # given the production lockout store (the database) and a shopper's account
    from shop.settings import base
    from tests.factories import UserFactory

    assert base.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    UserFactory(email="jane@example.com", password="right-password-1")
    own_redis.kill()

    # when Redis is gone, a wrong password, a sign-up and the right password are tried
    url = reverse("shop:login")
    wrong = client.post(url, {"username": "jane@example.com", "password": "nope"})
    signup = client.post(
        reverse("shop:signup"),
        {"email": "new@example.com", "password1": "Sen-tea-2026!", "password2": "Sen-tea-2026!"},
    )
    right = client.post(url, {"username": "jane@example.com", "password": "right-password-1"})

    # then each gets its ordinary answer and the failure was counted in the database
    from axes.models import AccessAttempt

    assert (wrong.status_code, right.status_code) == (200, 302)
    assert signup.status_code == 302
    assert AccessAttempt.objects.filter(username="jane@example.com").exists()
