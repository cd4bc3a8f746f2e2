"""Catalogue search throughput, every request a different query string, under gunicorn on
PostgreSQL with the page cache off and on, against a minimal Django view served the same way
in the same run. Prints requests/second, the web workers' CPU milliseconds per request and
the ratio to the minimal view, per round and in the summary.

    .venv/bin/python -m bench.search [--products 500] [--seconds 5] [--rounds 3] [--keep]

The database is bench.catalogue's (BENCH_DATABASE_URL; `--keep` reuses it). Each search asks
`/products/?q=<words> <digit>`: one or two words of a product's name as a visitor might type
them (English or Vietnamese, with or without diacritics, any letter capitalised) and a digit,
as in the names' numbers, so that most searches fill a page of results (20 of 500). No
query string repeats in a run, so the page cache never answers one: with the cache on a
search pays for storing a page nobody asks for again. The plain catalogue, rendered, is
measured beside it with the cache off (issue 13: a search should cost what a catalogue
page costs).

Target (issue 13): search at least 0.10x the minimal view with the page cache off.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import uuid
from urllib.parse import urlencode

from bench.harness import rounds

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
# With REDIS_URL the pages go to Redis: under this run's own prefix (gunicorn inherits it),
# deleted afterwards, so a Redis shared with others is left as it was.
os.environ["CACHE_KEY_PREFIX"] = f"bench-search-{uuid.uuid4().hex[:8]}"

TARGET = 0.10
QUERIES = 20_000
SAMPLE = 200  # queries whose matches are counted in-process, for the report
PAGE_SIZE = 20


def names() -> list[tuple[str, ...]]:
    """The distinct names of the products, English and Vietnamese, as their words of 3
    letters or more (lower-cased, diacritics kept; the names' numbers left out)."""
    from shop.models import Product

    found = set()
    for pair in Product.objects.values_list("name_en", "name_vi"):
        for name in pair:
            found.add(tuple(w.lower() for w in name.split() if w.isalpha() and len(w) >= 3))
    return sorted(found - {()})


def queries(vocabulary: list[tuple[str, ...]], count: int, *, seed: int = 13) -> list[str]:
    """`count` distinct search strings: one or two words of a product's name in any order,
    each letter capitalised or not at random, diacritics kept or folded away, then a space
    and a digit. Raises ValueError when the names cannot make that many."""
    from shop.search import fold

    rng = random.Random(seed)
    made: dict[str, None] = {}
    for _ in range(count * 20):
        name = rng.choice(vocabulary)
        typed = []
        for word in rng.sample(name, min(len(name), rng.choice((1, 2)))):
            if rng.random() < 0.5:
                word = fold(word)
            typed.append("".join(c.upper() if rng.random() < 0.5 else c for c in word))
        made.setdefault(f"{' '.join(typed)} {rng.randrange(10)}", None)
        if len(made) == count:
            return list(made)
    raise ValueError(f"{len(vocabulary)} names make only {len(made)} distinct queries")


def matches(searches: list[str]) -> list[int]:
    """How many published products each search finds (the rendered page lists up to 20)."""
    from shop.models import Product

    published = Product.objects.published()
    return [published.search(q).count() for q in searches]


def forget_pages() -> None:
    """Delete the pages this run stored in Redis, if it used Redis."""
    from django.conf import settings

    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        return
    from django_redis import get_redis_connection

    client = get_redis_connection("default")
    for key in client.scan_iter(f"{os.environ['CACHE_KEY_PREFIX']}:*", count=1000):
        client.delete(key)


def report(runs: dict[str, rounds.Measured], pages: dict[str, dict[str, str]]) -> dict[str, float]:
    """Median req/s and CPU ms/request of each page in each run; each ratio is the median of
    per-round ratios, so load that drifts between rounds moves both sides alike."""
    print(f"{'run':<10} {'page':<10} {'req/s':>9} {'CPU ms/req':>11} {'PostgreSQL':>11}  ratio")
    ratios = {}
    for run, measured in runs.items():
        for page in pages[run]:
            rate = statistics.median(measured.rates[page])
            line = (
                f"{run:<10} {page:<10} {rate:>9.1f} {rounds.median(measured.cpu_ms[page]):>11.2f}"
                f" {rounds.median(measured.database_ms[page]):>11.2f}"
            )
            if page != "minimal":
                ratios[f"{page}/minimal ({run})"] = ratio = rounds.ratio(
                    measured.rates[page], measured.rates["minimal"]
                )
                line += f"  {ratio:.3f}"
            print(line)
    for name, ratio in ratios.items():
        verdict = ""
        if name == "search/minimal (cache off)":
            verdict = f"  target >= {TARGET}x  {'ok' if ratio >= TARGET else 'MISSED'}"
        print(f"ratio {name}: {ratio:.3f}{verdict}")
    for run, measured in runs.items():
        print(f"{run}: {measured.cpu_line()}")
        print(
            f"{run}: all rounds (req/s):",
            {page: [round(r, 1) for r in rs] for page, rs in measured.rates.items()},
        )
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=5.0, help="per page and round")
    parser.add_argument("--warmup", type=float, default=2.0, help="per page, before measuring")
    parser.add_argument("--rounds", type=int, default=3, help="pages are measured in turn")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn")
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--keep", action="store_true", help="reuse the last run's database")
    parser.add_argument("--queries", type=int, default=QUERIES, help="distinct query strings")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.urls import reverse

    from bench.catalogue import build, count_queries

    data = build(args.products, args.keep)
    vocabulary = names()
    searches = queries(vocabulary, args.queries)
    catalogue = reverse("shop:catalogue")
    paths = [f"{catalogue}?{urlencode({'q': q})}" for q in searches]
    found = matches(searches[:SAMPLE])
    full = sum(1 for n in found if n >= PAGE_SIZE)
    examples = ", ".join(repr(q) for q in searches[:3])
    print(
        f"search: {len(searches)} distinct queries from the words of the {len(vocabulary)}"
        f" distinct names of the {data['products']} products (e.g. {examples});"
        f" of the first {len(found)}, each finds {statistics.mean(found):.1f} products on"
        f" average, {full} fill a page of {PAGE_SIZE}"
    )
    rendered, _served, _html = count_queries(paths[0])
    print(f"search SQL queries, rendered: {rendered}")

    loader = args.loader
    if loader == "auto":
        loader = "wrk" if shutil.which("wrk") else "python"
    minimal = reverse("bench-minimal")
    # The page wrk is pointed at; its requests take their paths from the list.
    pages = {
        "cache off": {"minimal": minimal, "catalogue": catalogue, "search": paths[0]},
        "cache on": {"minimal": minimal, "search": paths[0]},
    }
    half = len(paths) // 2
    lists = {"cache off": paths, "cache on": paths[half:] + paths[:half]}
    # "On" means on even when this shell turned it off; the default's 30 s then.
    cache_seconds = str(settings.PAGE_CACHE_SECONDS or 30)
    environments = {
        "cache off": {"PAGE_CACHE_SECONDS": "0"},
        "cache on": {"PAGE_CACHE_SECONDS": cache_seconds},
    }
    runs = {}
    try:
        for run, run_pages in pages.items():
            runs[run] = rounds.measure(
                run_pages,
                args,
                loader=loader,
                baseline="minimal",
                name="search",
                paths={"search": lists[run]},
                env=environments[run],
                label=f"{run}: ",
            )
    finally:
        forget_pages()

    load_1, load_5, _ = os.getloadavg()
    print(
        f"gunicorn {args.workers} sync workers, {loader} loader, {args.connections} connections,"
        f" {args.rounds} rounds x {args.seconds:g} s per page; page cache on:"
        f" {cache_seconds} s ({settings.CACHES['default']['BACKEND']});"
        f" {os.cpu_count()} cores, load average {load_1:.1f} (1 min) {load_5:.1f} (5 min)"
    )
    for run, measured in runs.items():
        asked = measured.served["search"]
        if asked > len(paths):
            print(f"{run}: {asked} searches answered, more than the {len(paths)} queries:"
                  " some repeated (raise --queries)")  # fmt: skip
    report(runs, pages)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
