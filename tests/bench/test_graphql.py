"""Smoke test of the GraphQL benchmark: a tiny run end to end (fill, query count, gunicorn,
GET requests with a query string, the report). The figures themselves are not judged here."""

import subprocess
import sys
from pathlib import Path

import pytest

from bench.harness.load import loopback_parts
from tests.bench.smoke import bench_env

REPO = Path(__file__).resolve().parents[2]


def test_load_keeps_the_query_string_of_a_url():
    url = "http://127.0.0.1:8000/graphql/?query=%7B+__typename+%7D"

    assert loopback_parts(url) == ("127.0.0.1", 8000, "/graphql/?query=%7B+__typename+%7D")
    assert loopback_parts("http://localhost/") == ("localhost", 80, "/")


@pytest.mark.postgres
def test_graphql_benchmark_runs_end_to_end():
    # given its own small database beside the test database
    env = bench_env("ocop_bench_graphql_smoke")

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
    assert "5 SQL queries" in result.stdout
    assert "ratio products/typename: " in result.stdout
    assert "graphql-core alone, the same query over its answer as plain dicts: " in result.stdout
