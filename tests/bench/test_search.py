"""Smoke test of the search benchmark: a tiny run end to end (distinct query strings, both
runs of gunicorn, the load generator taking a path per request, the report); and the load
generator's paths, each asked once and in turn. The figures themselves are not judged here."""

import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.harness import load
from tests.bench.smoke import bench_env

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def recording_server():
    """A local server that answers 200 and records the path of every request."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/ignored/", asked
    httpd.shutdown()
    httpd.server_close()


def test_python_loader_asks_the_paths_in_turn_from_the_offset(recording_server):
    url, asked = recording_server
    paths = [f"/products/?q=tea+{n}" for n in range(100_000)]

    result = load.measure(url, seconds=0.3, connections=1, loader="python", paths=paths, offset=7)

    assert result.errors == 0
    assert asked == paths[7 : 7 + result.requests]


@pytest.mark.skipif(not load.shutil.which("wrk"), reason="wrk is not installed")
def test_wrk_asks_the_paths_in_turn_from_the_offset(recording_server):
    url, asked = recording_server
    paths = [f"/products/?q=tea+{n}" for n in range(100_000)]

    result = load.measure(url, seconds=1, connections=1, loader="wrk", paths=paths, offset=7)

    assert result.errors == 0
    # wrk 4.1 builds one request per thread before it connects and never sends it: the
    # first path asked is the one after the offset. It counts the answers it read before
    # its time ran out, and may have sent one more.
    assert asked[: result.requests] == paths[8 : 8 + result.requests]


@pytest.mark.postgres
def test_search_benchmark_runs_end_to_end():
    # given its own small database beside the test database
    env = bench_env("ocop_bench_search_smoke")

    # when the benchmark runs for a fraction of a second per page
    result = subprocess.run(
        [sys.executable, "-m", "bench.search", "--products", "25", "--rounds", "1",
         "--seconds", "0.5", "--warmup", "0.2", "--loader", "python", "--workers", "1",
         "--connections", "2", "--queries", "2000"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    # then it searches with distinct query strings, with the cache off and on, and reports
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "search: 2000 distinct queries from the words of the 10 distinct names of the 25 products"
        in result.stdout
    )
    assert "search SQL queries, rendered: " in result.stdout
    assert re.search(r"cache off: round 1: minimal \d+/s .*, search \d+/s ", result.stdout)
    assert re.search(r"cache on: round 1: minimal \d+/s .*, search \d+/s ", result.stdout)
    assert "ratio search/minimal (cache off): " in result.stdout
    assert "ratio search/minimal (cache on): " in result.stdout
    assert "CPU ms/request in the web workers + PostgreSQL" in result.stdout
