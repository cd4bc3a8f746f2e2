import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    """Each test starts with an empty page cache and its own scan counters: test databases
    reuse primary keys, and a page cached by an earlier test must not answer a later one."""
    from traceability import scans

    cache.clear()
    prefix = f"test:scans:{uuid.uuid4().hex}"
    monkeypatch.setattr(scans, "KEY_PREFIX", prefix)
    yield
    cache.clear()
    if settings.REDIS_URL:
        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
