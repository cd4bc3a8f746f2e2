"""Pages measured in turn, round after round, under one gunicorn: the loop every
benchmark shares, so a ratio always compares pages served the same way.

Before each timed page the server is drained: requests a load generator left queued after a
slow page would otherwise be served during the next page's timed run and make that page (the
baseline, most often) look slower than it is.
"""

import argparse
import http.client
import statistics
import tempfile
import time
from pathlib import Path

from bench.harness import load, server

# The server counts as drained when this many baseline requests in a row answer within
# SETTLED_FACTOR × the idle latency measured before any load; it waits at most SETTLE_SECONDS.
SETTLED_IN_A_ROW = 3
SETTLED_FACTOR = 2.0
SETTLE_SECONDS = 15.0


def _latency(url: str) -> float:
    host, port, path = load.loopback_parts(url)
    started = time.monotonic()
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        conn.getresponse().read()
    finally:
        conn.close()
    return time.monotonic() - started


def idle_latency(url: str, *, samples: int = 5) -> float:
    """Median time of one request to `url` while nothing else is asked of the server."""
    return statistics.median(_latency(url) for _ in range(samples))


def settle(url: str, *, idle: float, timeout: float = SETTLE_SECONDS) -> float:
    """Wait until `url` answers quickly again (see SETTLED_IN_A_ROW). Returns the seconds
    waited; never raises for a slow server, the round is then measured as it is."""
    started = time.monotonic()
    in_a_row = 0
    while in_a_row < SETTLED_IN_A_ROW and time.monotonic() - started < timeout:
        in_a_row = in_a_row + 1 if _latency(url) <= max(idle * SETTLED_FACTOR, 0.005) else 0
    return time.monotonic() - started


def ratio(page: list[float], baseline: list[float]) -> float:
    """Median of the per-round ratios page/baseline, over rounds whose baseline served
    anything; NaN when none did (printed as such rather than dividing by zero)."""
    per_round = [p / b for p, b in zip(page, baseline, strict=True) if b > 0]
    return statistics.median(per_round) if per_round else float("nan")


def measure(
    pages: dict[str, str], args: argparse.Namespace, *, loader: str, baseline: str, name: str
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Requests/second of every page per round, and how many requests each page answered
    in all (warm-up included); `baseline` is the page gunicorn must answer before measuring
    starts, and the page whose quick answers tell that the server is drained. Prints each
    round. Any failed request ends the run."""
    rates: dict[str, list[float]] = {page: [] for page in pages}
    served = {page: 0 for page in pages}
    log_path = Path(tempfile.gettempdir()) / f"bench-{name}-gunicorn.log"
    with server.gunicorn(
        settings_module="bench.settings",
        workers=args.workers,
        ready_path=pages[baseline],
        log_path=log_path,
    ) as base:
        idle = idle_latency(base + pages[baseline])
        for page, path in pages.items():
            warmup = load.measure(
                base + path, seconds=args.warmup, connections=args.connections, loader=loader
            )
            served[page] += warmup.requests
        for number in range(1, args.rounds + 1):
            figures = []
            for page, path in pages.items():
                settle(base + pages[baseline], idle=idle)
                result = load.measure(
                    base + path, seconds=args.seconds, connections=args.connections, loader=loader
                )
                if result.errors:
                    raise SystemExit(f"{page}: {result.errors} failed requests; see {log_path}")
                rates[page].append(result.requests_per_second)
                served[page] += result.requests
                figures.append(f"{page} {result.requests_per_second:.0f}/s")
            print(f"round {number}: " + ", ".join(figures), flush=True)
    return rates, served
