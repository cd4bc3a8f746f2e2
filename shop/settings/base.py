"""Settings read from the environment.

With nothing set the shop runs embedded: SQLite in ./var, eager Celery, a local-memory
cache and emails written as files into ./var/mail. DATABASE_URL and REDIS_URL switch to
PostgreSQL, Redis (cache, scan counters) and Celery on Redis; sessions always live in the
database.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("OCOP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
# Off unless asked for: a newcomer's 404 is the shop's page, not Django's debug page.
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Absolute origin used in QR codes, emails and Digital Links. Not set (the embedded
# default), links built while answering a request use that request's own address
# (shop.sites); SITE_URL_FALLBACK (`manage.py demo` sets it) serves work outside a request.
SITE_URL_FROM_REQUEST = not os.environ.get("SITE_URL")
SITE_URL = (
    os.environ.get("SITE_URL") or os.environ.get("SITE_URL_FALLBACK") or "http://127.0.0.1:8000"
).rstrip("/")
# Where buyers write about a recalled or expired lot (shown on its trace page).
SHOP_CONTACT_EMAIL = os.environ.get("SHOP_CONTACT_EMAIL", "care@ocop.example")
# The shop's GS1 company prefix, under which it numbers villages' GLNs (location trace
# codes). The default is a placeholder in GS1 Vietnam's 893 range: set the real one.
GS1_COMPANY_PREFIX = os.environ.get("GS1_COMPANY_PREFIX", "8934999")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # sitemap.xml's template (shop.sitemaps).
    "django.contrib.sitemaps",
    "django_countries",
    "graphene_django",
    "django_prometheus",
    "axes",
    "easy_thumbnails",
    "shop",
    "traceability",
]

MIDDLEWARE = [
    # Request figures for /metrics (shop.views.metrics): Before first, After below every
    # middleware that may answer on its own, so its answers are counted too.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "shop.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.middleware.CurrencyMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    "shop.private_pages.PrivatePagesMiddleware",
    "shop.input_guard.RejectNulMiddleware",
    # Last, so it turns a locked-out sign-in into the 429 page (shop.ratelimits.locked_out).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
ASGI_APPLICATION = "shop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shop.context_processors.storefront",
            ],
        },
    }
]


def database(url: str) -> dict:
    """A database URL as Django's settings. On PostgreSQL the statements the hot reads
    prepare (shop.joined_rows.prepared_cursor; Django binds every other query on the
    client, unprepared) run on their generic plan: under the default `auto` the server
    kept choosing a custom plan for the catalogue's statement, so it planned it on every
    request after all, 1.6 ms of its CPU against 2 ms of running it (issue 13)."""
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})["options"] = "-c plan_cache_mode=force_generic_plan"
    return config


DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": database(DATABASE_URL)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "ocop.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "shop.User"
LOGIN_URL = "shop:login"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds to wait for Redis before serving without the cache; how long to skip it after.
CACHE_SOCKET_TIMEOUT = float(os.environ.get("CACHE_SOCKET_TIMEOUT", "0.5"))
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "5"))
# Sessions (and with them carts and sign-ins) live in the database, with or without Redis:
# a Redis outage or restart must not sign anyone out or lose a cart.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ocop"),
            # A Redis that does not answer costs a request this long, once per
            # CACHE_RETRY_SECONDS per process (shop.cache_outage), never a 500.
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": CACHE_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": CACHE_SOCKET_TIMEOUT,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
# Without Redis there is no broker and no beat to flush scan counters: each scan is added to
# ScanCount as it happens, one upsert (traceability.scans). With Redis, beat flushes them.
TRACE_SCANS_WRITE_THROUGH = env_bool("TRACE_SCANS_WRITE_THROUGH", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
# A worker killed mid-task (kill -9, OOM) has its message put back, and Redis redelivers an
# unacknowledged message after the visibility timeout: 10 minutes, above the longest task
# and the longest retry countdown (worker.tasks.emails), so a dead worker's emails go out
# within minutes rather than the hour of the default.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "600")),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# A commit whose task cannot reach the broker gives up after about a second: the outbox row
# (shop.notifications) is sent by beat's requeue_pending_emails instead.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.3}
# Order emails still in the outbox this many minutes after they were queued are queued again.
EMAIL_OUTBOX_REQUEUE_MINUTES = int(os.environ.get("EMAIL_OUTBOX_REQUEUE_MINUTES", "5"))
CELERY_TIMEZONE = "UTC"

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OCOP Village Shop <shop@ocop.example>")

# Sign-in lockouts (django-axes): after AXES_FAILURE_LIMIT failures an account, and
# separately a client IP, is refused, even with the right password, until the cool-off ends.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Both sign-in forms (shop and admin) name the email field "username".
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "shop.ratelimits.axes_username"
AXES_CLIENT_IP_CALLABLE = "shop.ratelimits.client_ip"
AXES_LOCKOUT_CALLABLE = "shop.ratelimits.locked_out"
AXES_ENABLE_ADMIN = False  # unlock with `manage.py axes_reset_username EMAIL`
AXES_DISABLE_ACCESS_LOG = True  # no table of every sign-in's address kept forever
# Counted in the database, which every gunicorn process shares: a Redis outage must neither
# answer sign-ins with a 500 nor forget the failures counted so far.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# X-Forwarded-For names the client only behind a proxy that sets it (shop.ratelimits).
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
# Per-client limits (requests, seconds) of shop.ratelimits.
RATE_LIMITS = {
    "signup": (int(os.environ.get("RATE_LIMIT_SIGNUP", "10")), 3600),
    "password_reset": (int(os.environ.get("RATE_LIMIT_PASSWORD_RESET", "10")), 3600),
    "report": (int(os.environ.get("RATE_LIMIT_REPORT", "10")), 3600),
    "graphql_mutation": (int(os.environ.get("RATE_LIMIT_GRAPHQL_MUTATIONS", "120")), 60),
    # A gift takes one thank-you; a few more tries cover a refused photo or a typo.
    "gift_thanks": (int(os.environ.get("RATE_LIMIT_GIFT_THANKS", "10")), 3600),
}
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The registry of what each language means to the shop (locale, dates, names) is
# shop/languages.py; this list is Django's view of the same set.
LANGUAGES = [
    ("en", _("English")),
    ("vi", _("Tiếng Việt")),
    ("de", _("Deutsch")),
    ("fr", _("Français")),
    ("ja", _("日本語")),
    ("ko", _("한국어")),
    ("zh-hans", _("简体中文")),
]
# Product and cooperative text is written in English and Vietnamese only; German readers get
# German page words (shop/locale/de) and the English product text (shop.languages).
MODELTRANSLATION_LANGUAGES = ("en", "vi")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# A German reader is served the default language's columns (modeltranslation reads any
# language outside MODELTRANSLATION_LANGUAGES as the default), then these in order.
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "vi")
LOCALE_PATHS = [BASE_DIR / "shop" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

CURRENCIES = ("USD", "EUR", "VND", "JPY", "KRW")  # shop.currencies.CODES
DEFAULT_CURRENCY = "USD"
CURRENCY_COOKIE_NAME = "currency"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "frontend_templates" / "static"]
# The embedded shop never runs collectstatic and serves with DEBUG off, so WhiteNoise reads
# the static folders themselves (production.py serves the collected, hashed files instead).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Gallery photos' WebP thumbnails (easy-thumbnails), made once when a photo is stored
# (shop.thumbnails): thumbs/<photo's name>.<width>w.webp, widths in shop.thumbnails.WIDTHS.
THUMBNAIL_BASEDIR = "thumbs"
THUMBNAIL_EXTENSION = "webp"
THUMBNAIL_TRANSPARENCY_EXTENSION = "webp"
THUMBNAIL_NAMER = "shop.thumbnails.namer"
THUMBNAIL_IMAGE_SAVE_OPTIONS = {"WEBP": {"quality": 82, "method": 4}}
# A request body's form fields are held in memory up to this size; an uploaded file larger
# than FILE_UPLOAD_MAX_MEMORY_SIZE is spooled to a temporary file, never held whole in memory,
# and the photo and import limits are enforced while reading it (shop.uploads,
# shop.workspace.spreadsheets).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Content-Security-Policy (django-csp) on every response: scripts, styles, images, fonts and
# requests from this origin only, no inline script. Style attributes stay allowed
# (style-src-attr) for the trace map's computed pin positions; <style> blocks do not.
# The Stripe payment page adds Stripe's origins (shop.views.payments).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

CATALOGUE_PAGE_SIZE = 20
# How long the storefront's pages are served from the cache (shop.pagecache); 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "30"))
# How long a web process answers a page it served again from its own memory (shop.pagecache);
# 0 (here, the tests) asks the shared cache every time; production keeps a second.
PAGE_LOCAL_SECONDS = float(os.environ.get("PAGE_LOCAL_SECONDS", "0"))
LOW_STOCK_THRESHOLD = 5

# /metrics answers the loopback, or a client sending "Authorization: Bearer <METRICS_TOKEN>".
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
# Django's own loggers print through their handlers and propagate to the root; the root
# handler's level keeps their INFO lines from printing twice.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# Cart holds and unpaid orders.
STOCK_HOLD_MINUTES = int(os.environ.get("STOCK_HOLD_MINUTES", "15"))
UNPAID_ORDER_MINUTES = int(os.environ.get("UNPAID_ORDER_MINUTES", "60"))
MAX_LINE_QUANTITY = 50
# The gift wrap fee per currency, added by shop.checkout when a shopper asks for wrapping.
GIFT_WRAP_FEES = {"USD": "4.00", "EUR": "3.50", "VND": "90000"}

# Payments. With no Stripe keys the embedded default uses the dummy gateway; `check --deploy`
# refuses it (shop.checks) unless OCOP_ALLOW_DUMMY_PAYMENTS says a demo shop takes no money.
ALLOW_DUMMY_PAYMENTS = env_bool("OCOP_ALLOW_DUMMY_PAYMENTS", False)
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")  # tests point this at a fake server
STRIPE_TIMEOUT_SECONDS = int(os.environ.get("STRIPE_TIMEOUT_SECONDS", "20"))
STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300
PAYMENT_RECONCILE_AFTER_MINUTES = int(os.environ.get("PAYMENT_RECONCILE_AFTER_MINUTES", "30"))

GRAPHENE = {"SCHEMA": "shop.graphql.schema.schema", "RELAY_CONNECTION_MAX_LIMIT": 100}

# The Ed25519 key that signs the trace checkpoint log (traceability.signing): never in the
# database. PEM or base64 of the 32 raw bytes in TRACE_SIGNING_KEY, or a file named by
# TRACE_SIGNING_KEY_FILE; else the embedded default generates one once beside the database.
TRACE_SIGNING_KEY = os.environ.get("TRACE_SIGNING_KEY", "")
TRACE_SIGNING_KEY_FILE = os.environ.get("TRACE_SIGNING_KEY_FILE", "")
TRACE_SIGNING_KEY_GENERATED = VAR_DIR / "trace-signing-key.pem"
