"""Test settings: the embedded default, or real PostgreSQL and Redis when CI=true.

tests/conftest.py checks that both services answer under CI and fails the run if not.
"""

import os
import tempfile
from pathlib import Path

if os.environ.get("CI", "").lower() == "true":
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")

from .base import *  # noqa: E402,F403
from .base import VAR_DIR  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
# A signing key generated once per test process, outside the database and the repository.
TRACE_SIGNING_KEY = TRACE_SIGNING_KEY_FILE = ""
TRACE_SIGNING_KEY_GENERATED = Path(tempfile.mkdtemp(prefix="ocop-trace-key-")) / "key.pem"
CELERY_TASK_ALWAYS_EAGER = True
# Links name one site, as in production; tests/shop/test_site_url.py follows the request's.
SITE_URL_FROM_REQUEST = False
# Scans wait in counters for flush_scans, as in production, so the trace page's query counts
# hold; tests/traceability/test_scans_embedded.py turns the embedded write-through on.
TRACE_SCANS_WRITE_THROUGH = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages render on every request; tests/shop/test_pagecache.py turns the page cache on.
PAGE_CACHE_SECONDS = 0
SESSION_ENGINE = "django.contrib.sessions.backends.db"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise warns about a missing STATIC_ROOT on every request; tests never collect.
STATIC_ROOT = VAR_DIR / "test-static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Live-server threads must not keep connections open past a test's teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Lockouts counted in the database roll back with each test; the per-client rate limits are
# out of reach of the suite's many posts (tests/shop/test_ratelimits.py sets them small).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
RATE_LIMITS = {scope: (1_000_000, 60) for scope in RATE_LIMITS}  # noqa: F405
