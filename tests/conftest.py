"""Shared fixtures. Under CI=true the suite must reach real PostgreSQL and Redis: if either
is unreachable the run stops with a failure instead of skipping anything."""

import os
import shutil

import pytest

pytest_plugins = ["tests.smtp_server", "tests.stripe_fake"]

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"


def _check_services() -> list[str]:
    import psycopg
    import redis
    from django.conf import settings

    problems = []
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        problems.append(f"CI=true but the database engine is {db['ENGINE']}")
    else:
        try:
            psycopg.connect(
                host=db.get("HOST") or "127.0.0.1",
                port=db.get("PORT") or 5432,
                user=db.get("USER") or "postgres",
                password=db.get("PASSWORD") or None,
                dbname="postgres",
                connect_timeout=5,
            ).close()
        except psycopg.OperationalError as exc:
            problems.append(f"PostgreSQL unreachable: {exc}")
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5).ping()
    except (redis.ConnectionError, ValueError) as exc:
        problems.append(f"Redis unreachable at {settings.REDIS_URL!r}: {exc}")
    return problems


def pytest_sessionstart(session):
    if not IN_CI:
        return
    problems = _check_services()
    if problems:
        pytest.exit("CI services missing: " + "; ".join(problems), returncode=1)


@pytest.fixture(scope="session")
def chromium_path():
    """Path of Debian's Chromium. Missing under CI is a failure, elsewhere a skip."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return CHROMIUM
    if IN_CI:
        pytest.fail(f"CI=true but {CHROMIUM} is missing: browser tests cannot start.")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture(autouse=True)
def _reset_language():
    """A test that activates Vietnamese must not leave it active for the next one."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _forget_currency_rates():
    """Exchange rates are kept per thread between reads (shop.currency_rates): a rate one
    test wrote must not price the next test's yen. (yen)"""
    from shop import currency_rates

    currency_rates.forget()
    yield
    currency_rates.forget()
