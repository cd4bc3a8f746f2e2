"""Smoke test of the catalogue benchmark: a tiny run end to end (bulk fill, query counts,
gunicorn, the load generator, the report). The figures themselves are not judged here."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

from tests.bench.smoke import bench_env

REPO = Path(__file__).resolve().parents[2]


def test_the_minimal_view_exists_only_in_the_bench_urlconf():
    assert resolve("/bench/minimal/", urlconf="bench.urls").url_name == "bench-minimal"
    with pytest.raises(Resolver404):
        resolve("/bench/minimal/", urlconf="shop.urls")


@pytest.mark.postgres
def test_catalogue_benchmark_runs_end_to_end():
    # given its own small database beside the test database
    env = bench_env("ocop_bench_smoke")

    # when the benchmark runs for a fraction of a second per page
    result = subprocess.run(
        [sys.executable, "-m", "bench.catalogue", "--products", "25", "--rounds", "1",
         "--seconds", "0.5", "--warmup", "0.2", "--loader", "python", "--workers", "1",
         "--connections", "2"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    # then it fills, serves, measures and reports every page
    assert result.returncode == 0, result.stdout + result.stderr
    assert "database ocop_bench_smoke: 25 products, 50 variants, 150 batches" in result.stdout
    assert "catalogue lists 20 of 25 products" in result.stdout
    assert "ratio catalogue/minimal: " in result.stdout
    assert "ratio product/minimal: " in result.stdout
