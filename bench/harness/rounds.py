"""Pages measured in turn, round after round, under one gunicorn: the loop every
benchmark shares, so a ratio always compares pages served the same way.

Before each timed page the server is drained: requests a load generator left queued after a
slow page would otherwise be served during the next page's timed run and make that page (the
baseline, most often) look slower than it is.

Beside requests/second, each timed run reads the CPU time gunicorn's workers spent
(bench.harness.cpu) and prints it per request answered: what a page costs the server,
whatever else runs on the machine.
"""

import argparse
import http.client
import math
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.harness import cpu, database, load, server

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


def median(values: Sequence[float]) -> float:
    """Median of the figures that are numbers (a round that answered nothing has no CPU per
    request); NaN when none is."""
    numbers = [value for value in values if not math.isnan(value)]
    return statistics.median(numbers) if numbers else float("nan")


def _round_line(
    rates: dict[str, list[float]],
    cpu_ms: dict[str, list[float]],
    database_ms: dict[str, list[float]],
    baseline: str,
) -> str:
    """The last round's req/s and CPU ms/request of each page (web workers + PostgreSQL),
    and its ratio to the baseline in that round (n/a when the baseline answered nothing)."""
    base = rates[baseline][-1]
    figures = []
    for page, rate in rates.items():
        figure = (
            f"{page} {rate[-1]:.0f}/s {cpu_ms[page][-1]:.2f}+{database_ms[page][-1]:.2f} ms CPU"
        )
        if page != baseline:
            figure += f" ({rate[-1] / base:.3f}x)" if base > 0 else " (n/a)"
        figures.append(figure)
    return ", ".join(figures)


@dataclass(frozen=True)
class Measured:
    rates: dict[str, list[float]]  # requests/second per page, one a round
    served: dict[str, int]  # requests each page answered in all, warm-up included
    cpu_ms: dict[str, list[float]]  # the workers' CPU milliseconds per request, one a round
    master_ms: dict[str, list[float]]  # gunicorn master's, per request, one a round
    database_ms: dict[str, list[float]]  # the PostgreSQL backends', per request, one a round
    largest_run: dict[str, int]  # the most requests one run of the page answered (warm-up too)
    worker_peak_mb: float = 0.0  # the largest resident memory a web worker reached (VmHWM)

    def cpu_line(self) -> str:
        """The summary's CPU line: median per page over the rounds, in the web workers and
        (after the +) in PostgreSQL."""
        figures = ", ".join(
            f"{page} {median(ms):.2f} + {median(self.database_ms[page]):.2f}"
            for page, ms in self.cpu_ms.items()
        )
        master = max((median(ms) for ms in self.master_ms.values()), default=float("nan"))
        return (
            f"CPU ms/request in the web workers + PostgreSQL (median of rounds): {figures};"
            f" gunicorn master at most {master:.3f}; web workers' peak memory"
            f" {self.worker_peak_mb:.0f} MB"
        )


def measure(
    pages: dict[str, str],
    args: argparse.Namespace,
    *,
    loader: str,
    baseline: str,
    name: str,
    paths: dict[str, Sequence[str]] | None = None,
    env: dict[str, str] | None = None,
    before_run: Callable[[str], None] | None = None,
    label: str = "",
) -> Measured:
    """Requests/second and the workers' CPU per request of every page per round, and how
    many requests each page answered in all (warm-up included); `baseline` is the page
    gunicorn must answer before measuring starts, and the page whose quick answers tell that
    the server is drained. `paths`: for a page, the paths its requests take in turn (one
    query string each), carried on from run to run so none repeats before the list ends.
    `env`: for the server only. `before_run(page)` is called before each run of a page,
    warm-up included (to empty a cache, say), outside the timed part. Prints each round
    (prefixed with `label`). Any failed request ends the run."""
    paths = paths or {}
    rates: dict[str, list[float]] = {page: [] for page in pages}
    cpu_ms: dict[str, list[float]] = {page: [] for page in pages}
    master_ms: dict[str, list[float]] = {page: [] for page in pages}
    database_ms: dict[str, list[float]] = {page: [] for page in pages}
    served = {page: 0 for page in pages}
    largest_run = {page: 0 for page in pages}
    # Where each page's next run starts in its paths: past every request wrk may have sent.
    offsets = {page: 0 for page in pages}
    log_path = Path(tempfile.gettempdir()) / f"bench-{name}-gunicorn.log"

    def run(page: str, seconds: float) -> load.Result:
        result = load.measure(
            base.url + pages[page],
            seconds=seconds,
            connections=args.connections,
            loader=loader,
            paths=paths.get(page, ()),
            offset=offsets[page],
        )
        offsets[page] += result.requests + args.connections
        served[page] += result.requests
        largest_run[page] = max(largest_run[page], result.requests)
        return result

    with (
        database.server() as postgres,
        server.gunicorn(
            settings_module="bench.settings",
            workers=args.workers,
            ready_path=pages[baseline],
            log_path=log_path,
            env=env,
        ) as base,
    ):
        idle = idle_latency(base.url + pages[baseline])
        for page in pages:
            if before_run is not None:
                before_run(page)
            run(page, args.warmup)
        for number in range(1, args.rounds + 1):
            for page in pages:
                if before_run is not None:
                    before_run(page)
                settle(base.url + pages[baseline], idle=idle)
                before = cpu.snapshot(base.pid, cpu.database_backends(postgres, database.name()))
                result = run(page, args.seconds)
                # Listed again: a worker whose connection aged out (CONN_MAX_AGE) opened a
                # new backend during the run, which then counts from zero.
                after = cpu.snapshot(base.pid, cpu.database_backends(postgres, database.name()))
                used = cpu.spent(before, after)
                if result.errors:
                    raise SystemExit(f"{page}: {result.errors} failed requests; see {log_path}")
                rates[page].append(result.requests_per_second)
                cpu_ms[page].append(cpu.per_request_ms(used.workers, result.requests))
                master_ms[page].append(cpu.per_request_ms(used.master, result.requests))
                database_ms[page].append(cpu.per_request_ms(used.database, result.requests))
            print(
                f"{label}round {number}: {_round_line(rates, cpu_ms, database_ms, baseline)}",
                flush=True,
            )
        peak = max((cpu.peak_memory_mb(pid) for pid in cpu.children(base.pid)), default=0.0)
    return Measured(
        rates=rates,
        served=served,
        cpu_ms=cpu_ms,
        master_ms=master_ms,
        database_ms=database_ms,
        largest_run=largest_run,
        worker_peak_mb=peak,
    )
