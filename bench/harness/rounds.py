"""Pages measured in turn, round after round, under one gunicorn: the loop every
benchmark shares, so a ratio always compares pages served the same way."""

import argparse
import tempfile
from pathlib import Path

from bench.harness import load, server


def measure(
    pages: dict[str, str], args: argparse.Namespace, *, loader: str, baseline: str, name: str
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Requests/second of every page per round, and how many requests each page answered
    in all (warm-up included); `baseline` is the page gunicorn must answer before measuring
    starts. Any failed request ends the run."""
    rates: dict[str, list[float]] = {page: [] for page in pages}
    served = {page: 0 for page in pages}
    log_path = Path(tempfile.gettempdir()) / f"bench-{name}-gunicorn.log"
    with server.gunicorn(
        settings_module="bench.settings",
        workers=args.workers,
        ready_path=pages[baseline],
        log_path=log_path,
    ) as base:
        for page, path in pages.items():
            warmup = load.measure(
                base + path, seconds=args.warmup, connections=args.connections, loader=loader
            )
            served[page] += warmup.requests
        for _ in range(args.rounds):
            for page, path in pages.items():
                result = load.measure(
                    base + path, seconds=args.seconds, connections=args.connections, loader=loader
                )
                if result.errors:
                    raise SystemExit(f"{page}: {result.errors} failed requests; see {log_path}")
                rates[page].append(result.requests_per_second)
                served[page] += result.requests
    return rates, served
