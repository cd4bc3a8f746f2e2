"""Trace page throughput (a batch's GS1 Digital Link) under gunicorn with PostgreSQL and Redis,
against a minimal Django view served the same way in the same run, every scan counted.
Prints requests/second for each, the ratio, the SQL queries of the page, and the scans
Redis counted against the requests served.

    .venv/bin/python -m bench.trace [--rounds 15] [--seconds 1] [--connections 16]

Target (issue 5): the trace page scanned again (a rescan) at least 0.7x the minimal view
with at least 16 concurrent clients. Both are served by one gunicorn with the sync workers
gunicorn's documentation advises, (2 x cores) + 1 (production runs 3 a container), so a
worker waiting on Redis leaves its core to another; `--workers` changes it for both.

First scans (issue 13): every request a Digital Link not scanned before, each of the other
batches in turn (every batch has the same EVENTS events), so no cache can answer it; the
trace cache's keys are deleted before each run, so a lot is first scanned in every run
until the run asks for more lots than there are (printed when it does; raise --batches).
Measured with the cache on (the same run as the rescans: a miss pays for storing the page)
and with it off (a second gunicorn with Django's dummy cache, BENCH_DUMMY_CACHE: every page
rendered, the scans still counted in Redis). Target: first scans at least 0.10x the minimal
view with the cache off.

Redis holds the page cache and the scan counters (REDIS_URL, default BENCH_REDIS_URL or
redis://127.0.0.1:6379/9); every key the run writes carries its own prefix and is deleted
afterwards, so a Redis shared with others is left as it was. The ratio is the median of the
per-round ratios: on a machine busy with other work, read it with the load average printed.
"""

import argparse
import datetime
import os
import shutil
import statistics
import sys
import time
import uuid
from decimal import Decimal

from bench.harness import rounds

RUN = uuid.uuid4().hex[:8]
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench_trace")
os.environ.setdefault("REDIS_URL", os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
# gunicorn inherits these: its page cache and scan counters live under this run's prefix.
os.environ["CACHE_KEY_PREFIX"] = f"bench-trace-{RUN}"
os.environ["BENCH_SCAN_KEY_PREFIX"] = f"bench-trace-{RUN}:scans"

TARGET = 0.7
FIRST_SCAN_TARGET = 0.10
MIN_CONNECTIONS = 16
EVENTS = 8
OTHER_BATCHES = 300
STAGES = ["harvest", "processing", "inspection", "packing", "certification", "shipping"]


def fill(others: int) -> dict:
    """A cooperative, a product with a variant, the traced batch, and `others` more batches
    of other variants for the lookup to find it among and for first scans; each batch with
    EVENTS events (through traceability.events, so the chains are real). Batches are
    received through shop.inventory."""
    from django.utils import timezone

    from shop import inventory
    from shop.models import Cooperative, Product, Variant
    from traceability import events
    from traceability.gs1 import check_digit, normalise_gtin
    from traceability.models import Province, Village

    def gtin(n: int) -> str:
        body = f"0893{n:09d}"
        return normalise_gtin(body + str(check_digit(body)))

    today = timezone.localdate()
    province = Province.objects.get(codename="ha-noi")
    village = Village.objects.create(
        province=province, name="Làng Bát Tràng", commune="Xã Bát Tràng",
        latitude=Decimal("20.97500"), longitude=Decimal("105.91300"),
    )  # fmt: skip
    cooperative = Cooperative.objects.create(
        name="Hợp tác xã Gốm Bát Tràng", slug="htx-gom-bat-trang", province=province,
        village=village, address="Thôn 1, Xã Bát Tràng, Hà Nội",
        story_en="Five generations of potters.", story_vi="Năm thế hệ làm gốm.",
    )  # fmt: skip
    product = Product.objects.create(
        cooperative=cooperative, slug="bat-trang-tea-set", group="handicrafts",
        name_en="Bát Tràng glazed tea set", name_vi="Bộ ấm chén men Bát Tràng",
        description_en="Hand-glazed.", description_vi="Tráng men thủ công.",
        story_en="Fired in a wood kiln.", story_vi="Nung trong lò củi.",
        ocop_stars=4, ocop_decision_number="123/QĐ-UBND",
        ocop_certified_on=today - datetime.timedelta(days=200),
        ocop_valid_until=today + datetime.timedelta(days=800), hs_code="691110",
    )  # fmt: skip
    variants = Variant.objects.bulk_create(
        Variant(
            product=product,
            name_en=f"Set {n}",
            name_vi=f"Bộ {n}",
            sku=f"BT-{n:04d}",
            gtin=gtin(n),
            weight_grams=900,
            price_vnd=Decimal("950000"),
            price_usd=Decimal("39.00"),
            price_eur=Decimal("36.00"),
        )  # fmt: skip
        for n in range(others + 1)
    )
    batches = [
        inventory.receive_batch(
            variant=variant,
            lot_code=f"BT{n:05d}",
            harvest_date=today - datetime.timedelta(days=40),
            packing_date=today - datetime.timedelta(days=30),
            best_before=today + datetime.timedelta(days=700),
            village=village,
            quantity=50,
        )
        for n, variant in enumerate(variants)
    ]
    traced = batches[len(batches) // 2]
    start = timezone.now() - datetime.timedelta(days=EVENTS + 1)
    for batch in batches:
        for index in range(EVENTS):
            events.append_event(
                batch=batch,
                kind=STAGES[index % len(STAGES)],
                occurred_at=start + datetime.timedelta(days=index),
                place="Xưởng gốm Bát Tràng",
                actor="Nguyễn Văn An",
                village=village if index == 0 else None,
                notes_en="Thrown, glazed and fired.",
                notes_vi="Vuốt, tráng men và nung.",
                standard="TCVN 5107:2018" if STAGES[index % len(STAGES)] == "inspection" else "",
            )
    return {
        "batch_id": traced.pk,
        "gtin": traced.variant.gtin,
        "lot": traced.lot_code,
        "others": [(b.variant.gtin, b.lot_code) for b in batches if b.pk != traced.pk],
    }


def count_queries(path: str) -> tuple[int, int]:
    """SQL queries of the first (rendered) and second (cached) request of a page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}, not 200")
        counts.append(len(queries))
    return counts[0], counts[1]


def pending_scans(batch_id: int) -> int:
    """Scans of the batch waiting in Redis (not yet flushed into ScanCount)."""
    from traceability import scans

    client = scans._redis_client()
    raw = client.hgetall(f"{scans.KEY_PREFIX}:pending")
    return sum(int(v) for k, v in raw.items() if k.decode().split("|")[1] == str(batch_id))


def measure(
    pages: dict[str, str], args, loader: str, *, first_scans: list[str], cache: bool
) -> rounds.Measured:
    """Requests/second and CPU per request of each page, round after round, under one
    gunicorn (with the cache, or Django's dummy cache); and how many requests each page
    answered in all (warm-up included), for the scan count. "first scan" takes its paths
    from `first_scans`, with the trace cache emptied before each of its runs."""
    return rounds.measure(
        pages,
        args,
        loader=loader,
        baseline="minimal",
        name="trace",
        paths={"first scan": first_scans},
        env={} if cache else {"BENCH_DUMMY_CACHE": "1"},
        before_run=lambda page: forget_trace_pages() if page == "first scan" else None,
        label="" if cache else "cache off: ",
    )


def _delete(patterns: list[str]) -> None:
    from traceability import scans

    client = scans._redis_client()
    for pattern in patterns:
        for key in client.scan_iter(pattern, count=1000):
            client.delete(key)


def forget_trace_pages() -> None:
    """Delete the trace pages and link entries this run cached (not its scan counters), so
    that every lot's next scan is a first scan again."""
    prefix = os.environ["CACHE_KEY_PREFIX"]
    _delete([f"{prefix}:*:trace:page:*", f"{prefix}:*:trace:link*"])


def clean_redis() -> None:
    """Delete every key this run wrote (page cache and scan counters)."""
    from traceability import scans

    _delete([f"{os.environ['CACHE_KEY_PREFIX']}:*", f"{scans.KEY_PREFIX}:*"])


def report_first_scans(runs: dict[str, rounds.Measured], *, lots: int) -> None:
    """First scans beside the minimal view of the same run, with the cache on and off; and
    the CPU per request of every page of each run."""
    print(f"{'run':<10} {'page':<10} {'req/s':>9} {'CPU ms/req':>11} {'PostgreSQL':>11}  ratio")
    for run, measured in runs.items():
        for page in ("minimal", "first scan"):
            print(
                f"{run:<10} {page:<10} {statistics.median(measured.rates[page]):>9.1f}"
                f" {rounds.median(measured.cpu_ms[page]):>11.2f}"
                f" {rounds.median(measured.database_ms[page]):>11.2f}"
                + ("" if page == "minimal" else f"  {first_scan_ratio(measured):.3f}")
            )
    for run, measured in runs.items():
        ratio = first_scan_ratio(measured)
        verdict = ""
        if run == "cache off":
            ok = ratio >= FIRST_SCAN_TARGET
            verdict = f"  target >= {FIRST_SCAN_TARGET}x  {'ok' if ok else 'MISSED'}"
        print(f"ratio first scan/minimal ({run}): {ratio:.3f}{verdict}")
    for run, measured in runs.items():
        print(f"{run}: {measured.cpu_line()}")
        if run == "cache off":
            print(
                f"{run}: all rounds (req/s):",
                {page: [round(r, 1) for r in rs] for page, rs in measured.rates.items()},
            )
        if measured.largest_run["first scan"] > lots:
            print(f"{run}: a run asked for more than the {lots} lots: some were rescans")


def first_scan_ratio(measured: rounds.Measured) -> float:
    return rounds.ratio(measured.rates["first scan"], measured.rates["minimal"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    # Short rounds, many of them: load from other work then moves both sides of a ratio alike.
    parser.add_argument("--seconds", type=float, default=1.0, help="per page and round")
    parser.add_argument("--warmup", type=float, default=2.0, help="per page, before measuring")
    parser.add_argument("--rounds", type=int, default=15, help="pages are measured in turn")
    parser.add_argument("--connections", type=int, default=MIN_CONNECTIONS)
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn sync workers; default gunicorn's advice, (2 x cores) + 1",
    )
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--batches", type=int, default=OTHER_BATCHES, help="besides the traced one")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.urls import reverse

    from bench.harness import database
    from traceability import scans
    from traceability.links import digital_link_path
    from traceability.models import ScanCount

    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        raise SystemExit("the trace benchmark runs with Redis: set REDIS_URL")
    started = time.monotonic()
    database.recreate_database()
    data = fill(args.batches)
    database.analyze()
    print(
        f"database {database.name()}: {args.batches + 1} batches, the traced one with "
        f"{EVENTS} events ({time.monotonic() - started:.0f} s to build); "
        f"Redis {settings.REDIS_URL} under prefix bench-trace-{RUN}"
    )
    first_scans = [digital_link_path(gtin=gtin, lot=lot) for gtin, lot in data["others"]]
    pages = {
        "minimal": reverse("bench-minimal"),
        "trace": digital_link_path(gtin=data["gtin"], lot=data["lot"]),
        "first scan": first_scans[0],
    }
    loader = args.loader
    if loader == "auto":
        loader = "wrk" if shutil.which("wrk") else "python"
    try:
        rendered, cached = count_queries(pages["trace"])
        before = pending_scans(data["batch_id"])
        measured = measure(pages, args, loader, first_scans=first_scans, cache=True)
        rates, served = measured.rates, measured.served
        counted = pending_scans(data["batch_id"]) - before
        flushed = scans.flush_scans()
        # Every batch's: the first scans of the other lots are counted too.
        stored = sum(ScanCount.objects.values_list("count", flat=True))
        uncached = measure(
            {"minimal": pages["minimal"], "first scan": pages["first scan"]},
            args,
            loader,
            first_scans=first_scans,
            cache=False,
        )
        scans.flush_scans()
    finally:
        clean_redis()

    load_1, load_5, _ = os.getloadavg()
    print(
        f"gunicorn {args.workers} sync workers, {loader} loader, {args.connections} connections,"
        f" {args.rounds} rounds x {args.seconds:g} s per page; {os.cpu_count()} cores, load"
        f" average {load_1:.1f} (1 min) {load_5:.1f} (5 min)"
    )
    ratio = rounds.ratio(rates["trace"], rates["minimal"])
    ok = ratio >= TARGET and args.connections >= MIN_CONNECTIONS
    print(f"{'page':<8} {'path':<40} {'queries':>9} {'req/s':>9}")
    print(
        f"{'minimal':<8} {pages['minimal']:<40} {0:>9} {statistics.median(rates['minimal']):>9.1f}"
    )
    print(
        f"{'trace':<8} {pages['trace']:<40} {f'{rendered} / {cached}':>9}"
        f" {statistics.median(rates['trace']):>9.1f}   (queries: rendered / cached)"
    )
    print(
        f"scans: {served['trace']} trace requests answered, {counted} counted in Redis, "
        f"{flushed} flushed, {stored} stored in ScanCount (with {served['first scan']}"
        " first scans of the other lots answered)"
    )
    print(f"ratio trace/minimal: {ratio:.3f}  target >= {TARGET}x  {'ok' if ok else 'MISSED'}")
    print("all rounds (req/s):", {page: [round(r, 1) for r in rs] for page, rs in rates.items()})
    report_first_scans({"cache on": measured, "cache off": uncached}, lots=len(first_scans))
    sys.stdout.flush()
    if counted < served["trace"] or stored < served["trace"] + served["first scan"]:
        raise SystemExit("fewer scans were counted than trace requests answered")


if __name__ == "__main__":
    main()
