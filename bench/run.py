"""Run benchmarks by name, each in its own process, and say which failed.

    .venv/bin/python -m bench.run                 # list the benchmarks
    .venv/bin/python -m bench.run catalogue       # run one (or several, or --all)
    .venv/bin/python -m bench.run catalogue -- --seconds 3 --rounds 1
    .venv/bin/python -m bench.run trace           # the QR code's trace page (needs Redis)
    .venv/bin/python -m bench.run search          # searches, a new query string each
    .venv/bin/python -m bench.run flash_sale      # shoppers racing to pay (needs Redis)

A benchmark is a module of bench/ run as `python -m bench.<name>` that prints its figures
and its ratio to a baseline measured in the same run.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"__init__", "run", "settings", "urls"}


def benchmarks() -> dict[str, str]:
    """Name -> first sentence of its docstring."""
    found = {}
    for path in sorted(BENCH_DIR.glob("*.py")):
        if path.stem in NOT_BENCHMARKS:
            continue
        text = path.read_text()
        docstring = text.split('"""')[1] if text.startswith('"""') else ""
        summary = " ".join(docstring.split()).split(". ")[0]
        found[path.stem] = summary
    return found


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("names", nargs="*", help="benchmarks to run")
    parser.add_argument("--all", action="store_true", help="run every benchmark")
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)

    known = benchmarks()
    names = list(known) if args.all else args.names
    if not names:
        for name, summary in known.items():
            print(f"{name:<12} {summary}")
        return 0
    unknown = [name for name in names if name not in known]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(known)}")
        return 2

    failed = []
    for name in names:
        print(f"== bench.{name} {' '.join(extra)}", flush=True)
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", f"bench.{name}", *extra], cwd=BENCH_DIR.parent
        )
        print(f"== bench.{name}: exit {result.returncode} in {time.monotonic() - started:.0f} s")
        if result.returncode:
            failed.append(name)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
