"""Smoke test of the trace page benchmark: a tiny run end to end (fill, query counts,
gunicorn with Redis, the load generator, the scan count, first scans with the cache on and
off, the report). The figures themselves
are not judged here."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench.smoke import bench_env

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
def test_trace_benchmark_runs_end_to_end_and_counts_every_scan():
    # given its own small database beside the test database, and the test run's Redis
    env = bench_env("ocop_bench_trace_smoke", redis=True)

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
    assert re.search(r"trace +/01/\d{14}/10/BT00003 +4 / 0 ", result.stdout), result.stdout
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
    # and first scans of the other lots, with the trace cache on and off
    assert re.search(r"^round 1: .*, first scan \d+/s ", result.stdout, re.M), result.stdout
    assert re.search(r"^cache off: round 1: minimal .*, first scan \d+/s ", result.stdout, re.M)
    assert "ratio first scan/minimal (cache on): " in result.stdout
    assert "ratio first scan/minimal (cache off): " in result.stdout
