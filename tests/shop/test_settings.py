"""Settings from the environment: the embedded default, the PostgreSQL/Redis switch, the
production module, and CI refusing to run without its services. Each case starts a fresh
Python process, because settings are read once at import."""

import base64
import email.header
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() == "true"

# Prints the settings a fresh process resolves.
SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
from worker.celery import app
print(json.dumps({
    "db_engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "cache": settings.CACHES["default"]["BACKEND"],
    "session_engine": settings.SESSION_ENGINE,
    "celery_eager": app.conf.task_always_eager,
    "celery_broker": app.conf.broker_url,
    "email_backend": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
}))
"""


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Only what a fresh shell would have, with var/ redirected to a temporary folder."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env["OCOP_VAR_DIR"] = str(tmp_path / "var")
    env.update(extra)
    return env


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def run_pytest_under_ci(**urls: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": "true", "PYTHONDONTWRITEBYTECODE": "1", **urls}
    env.pop("PYTEST_ADDOPTS", None)
    # Only pytest-django, not every installed plugin: the run under test stops at session
    # start, and hypothesis, faker and the like would take most of its time.
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    probe = "tests/shop/test_settings.py::test_ci_runs_on_postgresql_and_redis"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "pytest_django.plugin",
            probe,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ci_runs_on_postgresql_and_redis():
    # under CI=true the suite itself runs on the real services; elsewhere on the embedded default
    engine = settings.DATABASES["default"]["ENGINE"]
    if IN_CI:
        assert engine == "django.db.backends.postgresql"
        assert settings.REDIS_URL.startswith("redis://")
    else:
        assert engine in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}


def test_ci_run_fails_when_redis_is_unreachable(tmp_path):
    # given CI=true and Redis on a port nobody listens on
    result = run_pytest_under_ci(REDIS_URL="redis://127.0.0.1:1/0")

    # then the run fails before any test, naming Redis
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "CI services missing" in output
    assert "Redis unreachable at 'redis://127.0.0.1:1/0'" in output
    assert "1 passed" not in output


def test_ci_run_fails_when_postgresql_is_unreachable(tmp_path):
    # given CI=true and PostgreSQL on a port nobody listens on
    result = run_pytest_under_ci(DATABASE_URL="postgres://postgres@127.0.0.1:1/ocop_unreachable")

    # then the run fails before any test, naming PostgreSQL
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "CI services missing" in output
    assert "PostgreSQL unreachable" in output
    assert "1 passed" not in output


def test_embedded_default_uses_sqlite_locmem_eager_celery_and_email_files(tmp_path):
    # given no DATABASE_URL, REDIS_URL or EMAIL_HOST
    env = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="shop.settings.base")

    send_one = (
        "from django.core.mail import send_mail\n"
        'send_mail("Xin chào", "Cảm ơn bạn", None, ["buyer@example.com"])\n'
    )

    # when a fresh process loads the settings and sends an email
    result = run_python(["-c", SHOW_SETTINGS + send_one], env)

    # then everything is embedded, and the email is a file a person can read
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "db_engine": "django.db.backends.sqlite3",
        "db_name": str(tmp_path / "var" / "ocop.sqlite3"),
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "session_engine": "django.contrib.sessions.backends.db",
        "celery_eager": True,
        "celery_broker": "memory://",
        "email_backend": "django.core.mail.backends.filebased.EmailBackend",
        "debug": False,  # DEBUG only when DJANGO_DEBUG says so
    }
    mails = list((tmp_path / "var" / "mail").iterdir())
    assert len(mails) == 1
    message = email.message_from_string(mails[0].read_text())
    assert message["To"] == "buyer@example.com"
    assert (
        str(email.header.make_header(email.header.decode_header(message["Subject"]))) == "Xin chào"
    )
    assert message.get_payload().startswith("Cảm ơn bạn\n")


def test_database_and_redis_urls_switch_to_postgresql_redis_and_celery_on_redis(tmp_path):
    # given both URLs (nothing is connected to: settings only)
    env = clean_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="shop.settings.base",
        DATABASE_URL="postgres://shop:pw@db.internal:5432/ocop",
        REDIS_URL="redis://cache.internal:6379/2",
        EMAIL_HOST="",
    )

    # when a fresh process loads the settings
    result = run_python(["-c", SHOW_SETTINGS], env)

    # then PostgreSQL, Redis for the cache, Celery queues on Redis; sessions stay in the
    # database so that a Redis outage loses no cart and signs nobody out
    assert result.returncode == 0, result.stderr
    resolved = json.loads(result.stdout)
    assert resolved["db_engine"] == "django.db.backends.postgresql"
    assert resolved["db_name"] == "ocop"
    assert resolved["cache"] == "django_redis.cache.RedisCache"
    assert resolved["session_engine"] == "django.contrib.sessions.backends.db"
    assert resolved["celery_eager"] is False
    assert resolved["celery_broker"] == "redis://cache.internal:6379/2"


def test_production_check_deploy_is_clean(tmp_path):
    # given production settings with a strong secret key and a host
    env = clean_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="shop.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="shop.example",
        SITE_URL="https://shop.example",
        STRIPE_SECRET_KEY="sk_test_123",
        STRIPE_PUBLISHABLE_KEY="pk_test_123",
        STRIPE_WEBHOOK_SECRET="whsec_123",
        TRACE_SIGNING_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
    )

    # when Django's deployment checks run, failing on any warning
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    # then there is nothing to warn about
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_settings_turn_debug_off_and_cookies_secure(tmp_path):
    env = clean_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="shop.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    )
    script = (
        "import json; from django.conf import settings as s; print(json.dumps([s.DEBUG,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0]))"
    )

    result = run_python(["-c", script], env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, True, True, True]


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    # given production settings and no DJANGO_SECRET_KEY
    env = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="shop.settings.production")

    # when anything loads them
    result = run_python(["manage.py", "check"], env)

    # then it stops and says why
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_a_short_secret_key(tmp_path):
    env = clean_env(
        tmp_path, DJANGO_SETTINGS_MODULE="shop.settings.production", DJANGO_SECRET_KEY="short"
    )

    result = run_python(["manage.py", "check"], env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
