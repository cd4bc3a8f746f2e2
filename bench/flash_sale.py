"""A Tết flash sale: 200 shoppers over HTTP race for one 50-unit batch and a lot of gift
boxes, each holding, checking out and paying with the dummy gateway, under gunicorn with
PostgreSQL and Redis. Prints completed orders per second against the minimal view measured
in the same run, the p99 time to a clear answer, and proves no unit was oversold.

    .venv/bin/python -m bench.flash_sale [--shoppers 200] [--units 50] [--boxes 20]

Every shopper starts at the same moment and walks the shop's own forms with its own cookies:
the product page, "Add to cart" (the CSRF token from the page), the checkout details (an
address in Hà Nội), the shipping choice ("Place order and pay") and the dummy gateway's
"Pay", ending on the order page. One shopper in four goes for the gift box, the others for
the batch. A clear answer is "paid" (the order page thanks them) or sold out (the product
page says "Out of stock", or the cart refuses with "sold out" and 409). Anything else (a
5xx, a failed connection, a page the journey did not expect) is an error.

Each round sells fresh stock (a new product with one batch of --units, a new gift set with a
box lot of --boxes assembled through shop.fulfilment.assembly, as the shop makes boxes)
after measuring /bench/minimal/ for --seconds. After the rounds the run reads PostgreSQL:
for each batch, the units sold and still allocated never exceed what was received, the
ledger's on-hand (the sum of its movements) is never negative and matches the batch's
counter, and the units sold match the shoppers told "paid". It exits non-zero when a unit
was oversold or any shopper met an error.

Redis (REDIS_URL, default BENCH_REDIS_URL or redis://127.0.0.1:6379/7) holds the page cache
and is the Celery broker (order emails are queued for a worker, which this run does not
start); the run's cache keys carry its own prefix and are deleted afterwards, and so are the
queue and kombu's bindings when the run created them (a queue that held tasks before the run
is left alone). Options: --shoppers, --units, --boxes, --rounds, --seconds, --connections
(for the minimal view), --workers (gunicorn sync workers, default (2 x cores) + 1), --loader,
--keep (reuse the database instead of rebuilding it; each run adds its own stock).
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bench.harness import cpu, load, rounds, server, shoppers

RUN = uuid.uuid4().hex[:6].upper()
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench_flash")
os.environ.setdefault("REDIS_URL", os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
# gunicorn inherits it: the page cache of this run lives under its own prefix.
os.environ["CACHE_KEY_PREFIX"] = f"bench-flash-{RUN}"

PAID, SOLD_OUT, ERROR = shoppers.PAID, shoppers.SOLD_OUT, shoppers.ERROR
BOX_EVERY = 4  # one shopper in four wants the gift box
# Celery's default queue in Redis and kombu's bindings of it.
BROKER_KEYS = ("celery", "_kombu.binding.celery", "_kombu.binding_permanent.celery")


@dataclass(frozen=True)
class Item:
    """What one shopper races for: the product page and the variant and batch it sells."""

    name: str
    path: str
    variant_id: int
    batch_id: int
    units: int


def fill(*, rounds_: int, units: int, boxes: int) -> list[tuple[Item, Item, list[int]]]:
    """Per round: a product with one batch of `units`, and a gift set of two components
    with a box lot of `boxes` assembled from them; with the shipping zones of the demo.
    Returns (batch item, box item, component batch ids) per round."""
    from django.utils import timezone

    from shop import inventory
    from shop.demo.shipping import load_shipping
    from shop.fulfilment import assembly
    from shop.models import Cooperative, GiftSetComponent, Product, Variant
    from traceability.gs1 import check_digit, normalise_gtin
    from traceability.models import Province, Village

    today = timezone.localdate()
    load_shipping()
    province = Province.objects.get(codename="hung-yen")
    village, _ = Village.objects.get_or_create(
        province=province, name="Làng nhãn Hồng Nam",
        defaults={"commune": "Xã Hồng Nam", "latitude": Decimal("20.64000"),
                  "longitude": Decimal("106.07000")},
    )  # fmt: skip
    cooperative, _ = Cooperative.objects.get_or_create(
        slug="htx-nhan-hong-nam",
        defaults={"name": "Hợp tác xã Nhãn lồng Hồng Nam", "province": province,
                  "village": village, "address": "Xã Hồng Nam, Hưng Yên"},
    )  # fmt: skip
    serial = Variant.objects.count()

    def variant(slug: str, name: str, *, gift_set: bool = False, price: str = "12.00") -> Variant:
        nonlocal serial
        serial += 1
        product = Product.objects.create(
            cooperative=cooperative, slug=f"{slug}-{RUN.lower()}", group="food",
            is_gift_set=gift_set, name_en=name, name_vi=name, description_en="For Tết.",
            ocop_stars=4, ocop_decision_number="88/QĐ-UBND",
            ocop_certified_on=today - datetime.timedelta(days=100),
            ocop_valid_until=today + datetime.timedelta(days=900),
        )  # fmt: skip
        body = f"0894{serial:09d}"
        return Variant.objects.create(
            product=product, name_en="500 g", name_vi="500 g", sku=f"FS-{RUN}-{serial}",
            gtin=normalise_gtin(body + str(check_digit(body))), weight_grams=600,
            price_vnd=Decimal(300000), price_usd=Decimal(price), price_eur=Decimal(price),
        )  # fmt: skip

    def receive(of: Variant, lot: str, quantity: int):
        return inventory.receive_batch(
            variant=of, lot_code=f"{lot}{RUN}", quantity=quantity, village=village,
            harvest_date=today - datetime.timedelta(days=20),
            packing_date=today - datetime.timedelta(days=10),
            best_before=today + datetime.timedelta(days=300),
        )  # fmt: skip

    stock = []
    for number in range(1, rounds_ + 1):
        longan = variant(f"tet-longan-{number}", f"Dried longan, sale {number}")
        batch = receive(longan, f"L{number}-", units)
        box = variant(f"tet-box-{number}", f"Tết box, sale {number}", gift_set=True, price="49")
        parts = [variant(f"tet-{n}-{number}", f"Tết {n} {number}") for n in ("tea", "lotus")]
        components = [receive(part, f"C{number}{i}-", boxes + 3) for i, part in enumerate(parts)]
        for part in parts:
            GiftSetComponent.objects.create(gift_set=box, component=part, quantity=1)
        made = assembly.assemble(gift_set=box, boxes=boxes, actor=None, lot_code=f"B{number}-{RUN}")
        stock.append((
            Item("batch", longan.product.get_absolute_url(), longan.pk, batch.pk, units),
            Item("box", box.product.get_absolute_url(), box.pk, made.box_batch_id, boxes),
            [c.pk for c in components],
        ))  # fmt: skip
    return stock


def sale(base: str, batch: Item, box: Item, shoppers_: int) -> tuple[list[shoppers.Outcome], float]:
    """All shoppers at once, one thread each; their outcomes and the sale's seconds (from
    the start until the last shopper had its answer)."""
    outcomes: list[shoppers.Outcome | None] = [None] * shoppers_
    gate = threading.Barrier(shoppers_ + 1)

    def shop(number: int) -> None:
        item = box if number % BOX_EVERY == BOX_EVERY - 1 else batch
        gate.wait()
        outcomes[number] = shoppers.buy_one(
            base, item.path, variant_id=item.variant_id, number=number, label=item.name
        )

    threads = [threading.Thread(target=shop, args=(n,)) for n in range(shoppers_)]
    for thread in threads:
        thread.start()
    gate.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    # A shopper whose thread died (a bug here, not the shop's) still counts, as an error.
    lost = shoppers.Outcome(ERROR, seconds, 0, "?", "the shopper's thread failed; see stderr")
    return [o if o is not None else lost for o in outcomes], seconds


def ledger(items: list[Item], components: list[int]) -> list[dict]:
    """Per batch, read after the run: received, sold and still allocated units, the ledger's
    on-hand and the batch's counter."""
    from django.db.models import Sum

    from shop.models import AllocationState, Batch, OrderLineBatch, StockMovement

    def units(batch_id: int, state: str) -> int:
        rows = OrderLineBatch.objects.filter(batch_id=batch_id, state=state)
        return rows.aggregate(n=Sum("quantity"))["n"] or 0

    rows = []
    for name, batch_id in [(i.name, i.batch_id) for i in items] + [
        ("component", pk) for pk in components
    ]:
        batch = Batch.objects.get(pk=batch_id)
        moved = StockMovement.objects.filter(batch_id=batch_id).aggregate(n=Sum("quantity"))
        rows.append({
            "name": name, "lot": batch.lot_code, "received": batch.quantity_received,
            "sold": units(batch_id, AllocationState.SOLD),
            "allocated": units(batch_id, AllocationState.ALLOCATED),
            "ledger": moved["n"] or 0, "on_hand": batch.on_hand,
        })  # fmt: skip
    return rows


def oversold(row: dict) -> bool:
    return (
        row["sold"] + row["allocated"] > row["received"]
        or row["ledger"] < 0
        or row["ledger"] != row["on_hand"]
    )


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


def workers_cpu(master_pid: int) -> float:
    """CPU seconds gunicorn's workers have spent so far (bench.harness.cpu reads /proc)."""
    return sum(cpu.cpu_seconds(pid) for pid in cpu.children(master_pid))


def database_cpu() -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend on the bench database (the server runs
    on this machine): the SQL's and the row locks' own cost, which a worker only waits for."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid: cpu.cpu_seconds(pid) for (pid,) in cursor.fetchall()}


def broker_keys() -> dict[str, int]:
    """The broker keys in this run's Redis, with the tasks each holds (0 for a binding)."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL)
    found = {key: client.type(key).decode() for key in BROKER_KEYS}
    return {
        key: client.llen(key) if kind == "list" else 0
        for key, kind in found.items()
        if kind != "none"
    }


def clean_redis(before: dict[str, int]) -> None:
    """Delete the run's cache keys, and the broker keys only if the run made them: the queue
    then holds only this run's tasks, and nobody else's are lost."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(f"{os.environ['CACHE_KEY_PREFIX']}:*"):
        client.delete(key)
    for key in BROKER_KEYS:
        if key not in before:
            client.delete(key)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--shoppers", type=int, default=200)
    parser.add_argument("--units", type=int, default=50, help="units of the batch on sale")
    parser.add_argument("--boxes", type=int, default=20, help="gift boxes in the box lot")
    parser.add_argument("--rounds", type=int, default=3, help="each sells fresh stock")
    parser.add_argument("--seconds", type=float, default=2.0, help="minimal view, per round")
    parser.add_argument("--connections", type=int, default=16, help="for the minimal view")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn sync workers; default gunicorn's advice, (2 x cores) + 1",
    )  # fmt: skip
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--keep", action="store_true", help="reuse the database, add stock")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.urls import reverse

    from bench.harness import database

    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        raise SystemExit("the flash sale runs with Redis: set REDIS_URL")
    started = time.monotonic()
    if not (args.keep and database.exists()):
        database.recreate_database()
    stock = fill(rounds_=args.rounds, units=args.units, boxes=args.boxes)
    database.analyze()
    print(
        f"database {database.name()}: {args.rounds} x (a batch of {args.units} units and a box"
        f" lot of {args.boxes} gift boxes) ({time.monotonic() - started:.0f} s to build); "
        f"Redis {settings.REDIS_URL} under prefix {os.environ['CACHE_KEY_PREFIX']}",
        flush=True,
    )
    minimal = reverse("bench-minimal")
    broker_before = broker_keys()
    results = []
    try:
        with server.gunicorn(
            settings_module="bench.settings", workers=args.workers, ready_path=minimal,
            log_path=Path(tempfile.gettempdir()) / "bench-flash_sale-gunicorn.log",
        ) as served:  # fmt: skip
            base = served.url
            idle = rounds.idle_latency(base + minimal)
            for number, (batch, box, _components) in enumerate(stock, 1):
                rounds.settle(base + minimal, idle=idle)
                baseline = load.measure(
                    base + minimal, seconds=args.seconds, connections=args.connections,
                    loader=args.loader,
                )  # fmt: skip
                if baseline.errors:
                    raise SystemExit(f"minimal: {baseline.errors} failed requests")
                rounds.settle(base + minimal, idle=idle)
                before, client = workers_cpu(served.pid), time.process_time()
                sql = database_cpu()
                outcomes, seconds = sale(base, batch, box, args.shoppers)
                busy, client = workers_cpu(served.pid) - before, time.process_time() - client
                # A backend that connected during the sale counts from zero.
                sql = sum(t - sql.get(pid, 0.0) for pid, t in database_cpu().items())
                results.append((baseline, outcomes, seconds))
                report_round(number, baseline, outcomes, seconds, (busy, sql, client))
        queued = broker_keys().get(BROKER_KEYS[0], 0) - broker_before.get(BROKER_KEYS[0], 0)
    finally:
        clean_redis(broker_before)
    sys.exit(report(args, stock, results, queued))


def report_round(
    number: int,
    baseline: load.Result,
    outcomes: list[shoppers.Outcome],
    seconds: float,
    spent: tuple[float, float, float],
) -> None:
    """One round's line; `spent`: CPU seconds the web workers, PostgreSQL and the shoppers'
    threads spent during the sale (all share the machine's cores)."""
    busy, sql, client = spent
    paid = sum(o.answer == PAID for o in outcomes)
    requests = sum(o.requests for o in outcomes)
    rate = paid / seconds if seconds > 0 else float("nan")
    minimal = baseline.requests_per_second
    ratio = rate / minimal if minimal > 0 else float("nan")
    times = [o.seconds for o in outcomes if o.answer != ERROR]
    print(
        f"round {number}: minimal {minimal:.0f}/s; sale {seconds:.1f} s, {paid} paid, "
        f"{sum(o.answer == SOLD_OUT for o in outcomes)} sold out ("
        f"{sum(o.detail == 'cart' for o in outcomes)} told by the cart), "
        f"{sum(o.answer == ERROR for o in outcomes)} errors; {rate:.2f} orders/s "
        f"(ratio {ratio:.5f}), {requests / seconds:.0f} shopper req/s, "
        f"p99 to an answer {percentile(times, 0.99):.2f} s; workers' CPU "
        f"{cpu.per_request_ms(busy, requests):.1f} ms/request, "
        f"{cpu.per_request_ms(busy, paid):.0f} ms/paid order; PostgreSQL's "
        f"{cpu.per_request_ms(sql, requests):.1f} ms/request; shoppers' {client:.1f} s",
        flush=True,
    )


def report(args, stock, results, tasks: int) -> int:
    """Print the run's figures and the ledger check; the exit status (1: oversold or errors)."""
    load_1, load_5, _ = os.getloadavg()
    outcomes = [o for _b, round_outcomes, _s in results for o in round_outcomes]
    rates = [sum(o.answer == PAID for o in r) / s if s > 0 else 0.0 for _b, r, s in results]
    minimal = [b.requests_per_second for b, _r, _s in results]
    answered = [o.seconds for o in outcomes if o.answer != ERROR]
    print(
        f"gunicorn {args.workers} sync workers, {args.shoppers} shoppers a round (one in "
        f"{BOX_EVERY} for the box), {args.rounds} rounds; {os.cpu_count()} cores, load average "
        f"{load_1:.1f} (1 min) {load_5:.1f} (5 min)"
    )
    print(
        f"completed orders/s (median) {statistics.median(rates):.2f}; minimal view "
        f"{statistics.median(minimal):.0f} req/s; ratio orders/minimal "
        f"{rounds.ratio(rates, minimal):.5f}"
    )
    print(
        f"time to a clear answer: p50 {percentile(answered, 0.5):.2f} s, p99 "
        f"{percentile(answered, 0.99):.2f} s (paid p99 "
        f"{percentile([o.seconds for o in outcomes if o.answer == PAID], 0.99):.2f} s)"
    )
    failed = mismatched = 0
    print(f"{'round':<6}{'item':<10}{'lot':<14}{'received':>9}{'sold':>6}{'alloc':>6}"
          f"{'ledger':>8}{'on hand':>8}{'paid':>6}  check")  # fmt: skip
    for number, ((batch, box, components), (_b, round_outcomes, _s)) in enumerate(
        zip(stock, results, strict=False), 1
    ):
        for row in ledger([batch, box], components):
            told = sum(o.answer == PAID and o.item == row["name"] for o in round_outcomes)
            # Every shopper told "paid" has a unit sold, and no unit was sold unasked.
            mismatch = row["name"] != "component" and told != row["sold"]
            failed += oversold(row)
            mismatched += mismatch
            check = "OVERSOLD" if oversold(row) else "PAID != SOLD" if mismatch else "ok"
            print(f"{number:<6}{row['name']:<10}{row['lot']:<14}{row['received']:>9}"
                  f"{row['sold']:>6}{row['allocated']:>6}{row['ledger']:>8}{row['on_hand']:>8}"
                  f"{told if row['name'] != 'component' else '':>6}  {check}")  # fmt: skip
    errors = [o for o in outcomes if o.answer == ERROR]
    print(
        f"oversold batches: {failed}; paid/sold mismatches: {mismatched}; errors: {len(errors)};"
        f" tasks queued for a worker: {tasks}"
    )
    for error in errors[:10]:
        print(f"  error ({error.item}, {error.seconds:.1f} s): {error.detail}")
    return 1 if failed or mismatched or errors else 0


if __name__ == "__main__":
    main()
