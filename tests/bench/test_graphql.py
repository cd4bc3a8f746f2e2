"""Smoke test of the GraphQL benchmark: a tiny run end to end (fill, query count, gunicorn,
GET requests with a query string, the report). The figures themselves are not judged here."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from bench.harness.load import loopback_parts

REPO = Path(__file__).resolve().parents[2]


def test_load_keeps_the_query_string_of_a_url():
    url = "http://127.0.0.1:8000/graphql/?query=%7B+__typename+%7D"

    assert loopback_parts(url) == ("127.0.0.1", 8000, "/graphql/?query=%7B+__typename+%7D")
    assert loopback_parts("http://localhost/") == ("localhost", 80, "/")


@pytest.mark.postgres
def test_graphql_benchmark_runs_end_to_end():
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        pytest.skip("the benchmark runs on PostgreSQL (CI=true or DATABASE_URL)")
    # given its own small database beside the test database
    user = db["USER"] or "postgres"
    if db["PASSWORD"]:
        user += f":{db['PASSWORD']}"
    url = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {**os.environ, "BENCH_DATABASE_URL": f"{url}/ocop_bench_graphql_smoke"}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    # when the benchmark runs for a fraction of a second per query, with the python loader
    # (whose requests carry the query string as wrk's do)
    result = subprocess.run(
        [sys.executable, "-m", "bench.graphql", "--products", "12", "--rounds", "1",
         "--seconds", "0.5", "--warmup", "0.2", "--loader", "python", "--workers", "1",
         "--connections", "2"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    # then it fills, serves, measures and reports both queries
    assert result.returncode == 0, result.stdout + result.stderr
    assert "product list: 12 of 12 products, 72 batches" in result.stdout
    assert "6 SQL queries" in result.stdout
    assert "ratio products/typename: " in result.stdout
