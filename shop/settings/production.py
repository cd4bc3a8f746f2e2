"""Production: DEBUG off, secret key required, HTTPS only. `check --deploy` is clean."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to at least 50 random characters.")
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)  # noqa: F405
# The trace signing key is given, never generated: traceability.checks refuses to run without.
TRACE_SIGNING_KEY_GENERATED = None

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
# Probes and scrapes come from inside the network over plain HTTP (docker-compose.yml).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Production serves what collectstatic gathered, not the source folders.
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
# A scanned QR code's trace page from the process's memory for a second, its scans sent to
# Redis once a second (traceability.local_cache); 0 turns either off.
TRACE_LOCAL_PAGE_SECONDS = float(os.environ.get("TRACE_LOCAL_PAGE_SECONDS", "1"))
TRACE_SCAN_BUFFER_SECONDS = float(os.environ.get("TRACE_SCAN_BUFFER_SECONDS", "1"))
# A storefront page from the process's memory for a second (shop.pagecache); 0 turns it off.
PAGE_LOCAL_SECONDS = float(os.environ.get("PAGE_LOCAL_SECONDS", "1"))
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING["root"]["level"] = LOGGING["handlers"]["console"]["level"] = LOG_LEVEL  # noqa: F405
# One JSON object a line, for the log collector: time, level, logger, message, the request's
# id (shop.request_ids) and, for an exception, its traceback as one field.
LOGGING["formatters"] = {  # noqa: F405
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(levelname)s %(name)s %(request_id)s %(message)s",
        "rename_fields": {"levelname": "level", "name": "logger"},
        "timestamp": "time",  # ISO 8601 in UTC, whatever TIME_ZONE says
    }
}
LOGGING["filters"] = {"request_id": {"()": "shop.request_ids.RequestIdFilter"}}  # noqa: F405
LOGGING["handlers"]["console"].update(formatter="json", filters=["request_id"])  # noqa: F405
