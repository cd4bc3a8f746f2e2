"""Hold throughput: many shoppers on ONE hot batch against the same number on their own
batches, in the same run, on PostgreSQL. Prints holds/second for each and the ratio.

    CI=true .venv/bin/python -m bench.holds [--workers 8] [--seconds 10]

Target (issue 3): the hot batch at least 0.5x the throughput of separate batches.
"""

import argparse
import os
import threading
import time

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench_holds")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.base")


def prepare_database() -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_stock(workers: int):
    from tests.factories import BatchFactory, CartFactory, VariantFactory

    hot = BatchFactory(quantity_received=1_000_000, variant=VariantFactory())
    spread = [BatchFactory(quantity_received=1_000_000) for _ in range(workers)]
    carts = [CartFactory() for _ in range(2 * workers)]
    return hot, spread, carts


def measure(variants, carts, seconds: float) -> float:
    """Each worker re-holds its own cart line over and over; returns holds per second."""
    from django.db import connections

    from shop import inventory

    stop = time.monotonic() + seconds
    counts = [0] * len(carts)
    barrier = threading.Barrier(len(carts))

    def work(index):
        try:
            barrier.wait()
            cart, variant = carts[index], variants[index]
            while time.monotonic() < stop:
                inventory.hold(cart=cart, variant=variant, quantity=1 + counts[index] % 2)
                counts[index] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(carts))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()

    import django

    django.setup()
    prepare_database()
    hot, spread, carts = make_stock(args.workers)
    n = args.workers
    measure([b.variant for b in spread], carts[n:], 2)  # warm up connections and caches
    separate = measure([b.variant for b in spread], carts[:n], args.seconds)
    one_hot = measure([hot.variant] * n, carts[n:], args.seconds)
    print(f"workers={n} seconds={args.seconds:g}")
    print(f"separate batches: {separate:8.1f} holds/s")
    print(f"one hot batch:    {one_hot:8.1f} holds/s")
    print(f"ratio hot/separate: {one_hot / separate:.2f} (target >= 0.50)")


if __name__ == "__main__":
    main()
