"""Settings for benchmarks: the shop's own settings on the bench's PostgreSQL database,
with a bench-only URLconf that adds a minimal view to compare the shop's pages against.

The database comes from BENCH_DATABASE_URL, never DATABASE_URL, because a benchmark drops
and recreates it.
"""

import os
import warnings

from shop.settings.base import *  # noqa: F403

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench"
)
DATABASES = {"default": database(BENCH_DATABASE_URL)}  # noqa: F405
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A benchmark sharing a Redis with others counts its scans under its own prefix (bench.trace).
TRACE_SCAN_KEY_PREFIX = os.environ.get("BENCH_SCAN_KEY_PREFIX", "ocop:bench:trace:scans")
# As in production (shop/settings/production.py): see traceability.local_cache.
TRACE_LOCAL_PAGE_SECONDS = float(os.environ.get("TRACE_LOCAL_PAGE_SECONDS", "1"))
TRACE_SCAN_BUFFER_SECONDS = float(os.environ.get("TRACE_SCAN_BUFFER_SECONDS", "1"))
PAGE_LOCAL_SECONDS = float(os.environ.get("PAGE_LOCAL_SECONDS", "1"))

# bench.trace's "cache off" run: every trace page rendered; scans are still counted in Redis.
if os.environ.get("BENCH_DUMMY_CACHE"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# Static files are not collected for a benchmark; WhiteNoise would warn on every start.
warnings.filterwarnings("ignore", message="No directory at: ")
