"""The shared measuring loop: ratios never divide by zero, and a timed page starts only
once the server answers its baseline quickly again (the drain between pages)."""

import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.harness import rounds


def test_a_ratio_is_the_median_of_per_round_ratios():
    assert rounds.ratio([50.0, 30.0, 90.0], [100.0, 100.0, 100.0]) == pytest.approx(0.5)


def test_a_round_whose_baseline_served_nothing_is_left_out_not_divided_by():
    assert rounds.ratio([50.0, 40.0], [100.0, 0.0]) == pytest.approx(0.5)
    assert math.isnan(rounds.ratio([50.0], [0.0]))


@pytest.fixture
def slow_then_fast():
    """A local server whose first `slow` answers take 0.2 s each (a queue still draining)."""
    state = {"slow": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if state["slow"] > 0:
                state["slow"] -= 1
                time.sleep(0.2)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", state
    httpd.shutdown()
    httpd.server_close()


def test_settle_waits_until_the_baseline_answers_quickly_again(slow_then_fast):
    url, state = slow_then_fast
    idle = rounds.idle_latency(url)
    state["slow"] = 4

    waited = rounds.settle(url, idle=idle)

    assert state["slow"] == 0  # every slow answer was waited out
    assert waited >= 0.8


def test_settle_gives_up_on_a_server_that_stays_slow(slow_then_fast):
    url, state = slow_then_fast
    state["slow"] = 1000

    waited = rounds.settle(url, idle=0.001, timeout=0.5)

    assert 0.5 <= waited < 1.5
