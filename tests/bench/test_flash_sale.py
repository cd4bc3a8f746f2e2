"""Smoke test of the flash sale benchmark: 12 shoppers over HTTP for a batch of 5 units and
a box lot of 2 gift boxes, end to end (fill, gunicorn with Redis, the shoppers' journeys,
the ledger check, the report). The speed is not judged here; the stock is."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench.smoke import bench_env

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
def test_flash_sale_sells_every_unit_once_and_answers_every_shopper():
    # given its own small database beside the test database, and the test run's Redis
    env = bench_env("ocop_bench_flash_smoke", redis=True)

    # when 12 shoppers race for 5 units and 2 boxes (one shopper in four wants a box)
    result = subprocess.run(
        [sys.executable, "-m", "bench.flash_sale", "--shoppers", "12", "--units", "5",
         "--boxes", "2", "--rounds", "1", "--seconds", "0.5", "--loader", "python",
         "--workers", "2", "--connections", "2"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    # then exactly 5 units and 2 boxes are paid and sold, the rest told sold out, no error
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "database ocop_bench_flash_smoke: 1 x (a batch of 5 units and a box lot of 2" in out
    assert re.search(r"round 1: minimal \d+/s; sale [\d.]+ s, 7 paid, 5 sold out ", out), out
    assert re.search(r"1 +batch +L1-\w+ +5 +5 +0 +0 +0 +5  ok\n", out), out
    assert re.search(r"1 +box +B1-\w+ +2 +2 +0 +0 +0 +2  ok\n", out), out
    assert "oversold batches: 0; paid/sold mismatches: 0; errors: 0;" in out
    assert re.search(r"ratio orders/minimal \d+\.\d+", out), out
    assert re.search(r"time to a clear answer: p50 [\d.]+ s, p99 [\d.]+ s", out), out
