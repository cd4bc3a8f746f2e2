"""GraphQL product list throughput under gunicorn on PostgreSQL, against `{ __typename }` served
by the same view in the same run. Prints requests/second for each, the ratio, and the SQL
queries of the product list.

    .venv/bin/python -m bench.graphql [--products 500] [--seconds 5] [--rounds 3] [--keep]

Both queries go as GET /graphql/?query=..., as a CDN-cached storefront would send them, through
the whole stack: middleware, the query limits, graphene, the resolvers. The product list asks
for 100 products with their variants, prices and batches (the database is bench.catalogue's:
2 variants per product, 3 batches per variant).

As served, the product list's answer comes from shop.graphql.resultcache (the storefront page
cache's rule: PAGE_CACHE_SECONDS, invalidated by the same writers); `--no-cache` serves every
request from the database instead (PAGE_CACHE_SECONDS=0). Either way the SQL queries and the
in-process time of one uncached product list are printed too, beside the bound graphql-core
itself sets: the same query executed by graphql-core alone over its own answer as plain dicts
(default resolvers, no SQL, no Django).

Targets: the product list at least 0.3x `{ __typename }` as served (issue 6), at least 0.02x
with the result cache off (issue 13).
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from urllib.parse import urlencode

from bench.harness import rounds

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

TARGET = 0.3
TARGET_UNCACHED = 0.02
PAGE = 100
BASELINE = "{ __typename }"
PRODUCT_LIST = f"""{{ products(first: {PAGE}, currency: EUR) {{ totalCount edges {{ node {{
  slug name inStock priceFrom {{ amount currency }}
  cooperative {{ name province {{ name }} }}
  variants {{ sku gtin name weightGrams price {{ amount currency }} available
    batches {{ lotCode harvestDate bestBefore available village {{ name province {{ name }} }} }} }}
}} }} }} }}"""


def path_for(query: str) -> str:
    from django.urls import reverse

    return reverse("graphql") + "?" + urlencode({"query": " ".join(query.split())})


def uncached(pages: dict[str, str]) -> tuple[int, dict, dict[str, float]]:
    """In-process, with the result cache off: the product list's SQL queries (second
    request; the first warms Django's own caches), its answer, and the median milliseconds
    of each query."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client()
    with override_settings(PAGE_CACHE_SECONDS=0):
        client.get(pages["products"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(pages["products"])
        # Read now: the requests below empty the connection's query log.
        count = len(queries)
        body = json.loads(response.content)
        if response.status_code != 200 or "errors" in body:
            raise SystemExit(f"the product list answered {response.status_code}: {body}")
        millis = {}
        for name, path in pages.items():
            times = []
            for _ in range(5 if name == "products" else 50):
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            millis[name] = statistics.median(times)
    return count, body, millis


def graphql_core_bound(body: dict) -> float:
    """Median milliseconds graphql-core alone takes to execute PRODUCT_LIST over its answer as
    plain dicts (a schema built from the API's SDL, default resolvers): what executing
    that many fields costs however cheaply the resolvers read."""
    from graphql import build_schema, execute, parse, print_schema

    from shop.graphql.schema import schema

    plain = build_schema(print_schema(schema.graphql_schema))
    document = parse(PRODUCT_LIST)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        result = execute(plain, document, root_value=body["data"])
        times.append((time.perf_counter() - started) * 1000)
    if result.errors or result.data != body["data"]:
        raise SystemExit(f"graphql-core alone answered differently: {result.errors}")
    return statistics.median(times)


def measure(pages: dict[str, str], args: argparse.Namespace, loader: str) -> rounds.Measured:
    """Requests/second and CPU per request of every page, round after round, under one
    gunicorn."""
    return rounds.measure(pages, args, loader=loader, baseline="typename", name="graphql")


def report(
    queries: int, rates: dict[str, list], millis: dict[str, float], target: float = TARGET
) -> float:
    """Median req/s of each; the ratio is the median of the per-round ratios, so load that
    drifts between rounds moves both sides of a ratio alike."""
    ratio = rounds.ratio(rates["products"], rates["typename"])
    print(f"{'query':<10} {'SQL uncached':>12} {'req/s':>9}")
    print(f"{'typename':<10} {0:>12} {statistics.median(rates['typename']):>9.1f}")
    print(f"{'products':<10} {queries:>12} {statistics.median(rates['products']):>9.1f}")
    verdict = "ok" if ratio >= target else "MISSED"
    print(f"ratio products/typename: {ratio:.3f} (target >= {target}x) {verdict}")
    print("all rounds (req/s):", {k: [round(r, 1) for r in v] for k, v in rates.items()})
    print(
        f"uncached, in-process: typename {millis['typename']:.1f} ms, products"
        f" {millis['products']:.1f} ms (ratio {millis['typename'] / millis['products']:.3f})"
    )
    if "graphql_core" in millis:
        print(
            f"graphql-core alone, the same query over its answer as plain dicts:"
            f" {millis['graphql_core']:.1f} ms (bounds the in-process ratio at"
            f" {millis['typename'] / millis['graphql_core']:.3f})"
        )
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--products", type=int, default=500, help="at least 100")
    parser.add_argument("--seconds", type=float, default=5.0, help="per query and round")
    parser.add_argument("--warmup", type=float, default=2.0, help="per query, before measuring")
    parser.add_argument("--rounds", type=int, default=3, help="queries are measured in turn")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn")
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--keep", action="store_true", help="reuse the last run's database")
    parser.add_argument(
        "--no-cache", action="store_true", help="serve with PAGE_CACHE_SECONDS=0 (no caching)"
    )
    args = parser.parse_args()
    if args.no_cache:
        os.environ["PAGE_CACHE_SECONDS"] = "0"  # read by the settings, here and in gunicorn

    import django

    django.setup()
    from bench.catalogue import build

    data = build(args.products, args.keep)
    pages = {"typename": path_for(BASELINE), "products": path_for(PRODUCT_LIST)}
    queries, body, millis = uncached(pages)
    millis["graphql_core"] = graphql_core_bound(body)
    listed = body["data"]["products"]["edges"]
    batches = sum(len(v["batches"]) for e in listed for v in e["node"]["variants"])
    print(
        f"product list: {len(listed)} of {data['products']} products, {batches} batches,"
        f" {len(json.dumps(body)) // 1024} KiB, {queries} SQL queries"
    )

    loader = args.loader
    if loader == "auto":
        loader = "wrk" if shutil.which("wrk") else "python"
    measured = measure(pages, args, loader)
    rates = measured.rates
    from django.conf import settings

    cached = (
        f"result cache {settings.PAGE_CACHE_SECONDS} s"
        if settings.PAGE_CACHE_SECONDS
        else "no cache"
    )
    print(
        f"gunicorn {args.workers} sync workers, {loader} loader, {args.connections} connections,"
        f" {args.rounds} rounds x {args.seconds:g} s per query, {cached}"
    )
    report(queries, rates, millis, TARGET_UNCACHED if args.no_cache else TARGET)
    print(measured.cpu_line())
    sys.stdout.flush()


if __name__ == "__main__":
    main()
