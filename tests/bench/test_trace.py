"""Smoke test of the trace page benchmark: a tiny run end to end (fill, query counts,
gunicorn with Redis, the load generator, the scan count, the report). The figures themselves
are not judged here."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
def test_trace_benchmark_runs_end_to_end_and_counts_every_scan():
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"] or not settings.REDIS_URL:
        pytest.skip("the benchmark runs on PostgreSQL and Redis (CI=true)")
    # given its own small database beside the test database, and the test run's Redis
    user = db["USER"] or "postgres"
    if db["PASSWORD"]:
        user += f":{db['PASSWORD']}"
    url = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": f"{url}/ocop_bench_trace_smoke",
        "REDIS_URL": settings.REDIS_URL,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    # when the benchmark runs for a fraction of a second per page
    result = subprocess.run(
        [sys.executable, "-m", "bench.trace", "--batches", "5", "--rounds", "1",
         "--seconds", "0.5", "--warmup", "0.2", "--loader", "python", "--workers", "1",
         "--connections", "2"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    # then it fills, serves, measures, counts every scan and reports the ratio
    assert result.returncode == 0, result.stdout + result.stderr
    assert "database ocop_bench_trace_smoke: 6 batches, the traced one with 8 events" in (
        result.stdout
    )
    assert re.search(r"trace +/01/\d{14}/10/BT00003 +5 / 0 ", result.stdout), result.stdout
    served, counted, flushed, stored = map(
        int,
        re.search(
            r"scans: (\d+) trace requests answered, (\d+) counted in Redis, (\d+) flushed, "
            r"(\d+) stored in ScanCount",
            result.stdout,
        ).groups(),
    )
    assert served > 0 and counted >= served and flushed == stored >= counted
    assert "ratio trace/minimal: " in result.stdout
