"""What every benchmark smoke test needs: the benchmark's own small PostgreSQL database
beside the test database (and the test run's Redis), as the environment of its process."""

import os

import pytest
from django.conf import settings


def bench_env(database: str, *, redis: bool = False) -> dict[str, str]:
    """The environment for `python -m bench.<name>` on the database `database`. Skips on
    SQLite (the embedded default); with CI=true the suite runs on PostgreSQL and Redis."""
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"] or (redis and not settings.REDIS_URL):
        pytest.skip("the benchmark runs on PostgreSQL and Redis (CI=true)")
    user = db["USER"] or "postgres"
    if db["PASSWORD"]:
        user += f":{db['PASSWORD']}"
    url = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {**os.environ, "BENCH_DATABASE_URL": f"{url}/{database}"}
    if redis:
        env["REDIS_URL"] = settings.REDIS_URL
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env
