import uuid

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    """Each test starts with an empty page cache and its own scan counters: test databases
    reuse primary keys, and a page cached by an earlier test must not answer a later one."""
    from traceability import scans

    cache.clear()
    monkeypatch.setattr(scans, "KEY_PREFIX", f"test:scans:{uuid.uuid4().hex}")
    yield
    cache.clear()
