"""Catalogue and product page throughput under gunicorn on PostgreSQL, against a minimal
Django view served the same way in the same run. Prints requests/second for each, the
ratios to the minimal view, and the SQL queries each page makes.

    .venv/bin/python -m bench.catalogue [--products 500] [--seconds 5] [--rounds 3]

Targets (issue 2): the catalogue (20 of 500 products listed) at least 0.15x the minimal
view, the product page at least 0.25x, each page at most 8 SQL queries.
"""

import argparse
import datetime
import os
import re
import shutil
import statistics
import sys
import time
from decimal import Decimal

from bench.harness import rounds

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

TARGETS = {"catalogue": 0.15, "product": 0.25}
MAX_QUERIES = 8
VARIANTS_PER_PRODUCT = 2
BATCHES_PER_VARIANT = 3
GROUP_NAMES = [
    ("food", "Phu Quoc fish sauce", "Nước mắm Phú Quốc"),
    ("beverages", "Shan Tuyet green tea", "Trà xanh Shan Tuyết"),
    ("herbs", "Dried ginseng root", "Sâm Ngọc Linh sấy khô"),
    ("textiles", "Hand-woven brocade scarf", "Khăn thổ cẩm dệt tay"),
    ("handicrafts", "Bat Trang glazed bowl", "Bát gốm men Bát Tràng"),
]


def gtin14(body: str) -> str:
    """A GTIN-14 (as variants store them) from its 13 digits before the check digit."""
    from traceability.gs1 import check_digit, normalise_gtin

    return normalise_gtin(body + str(check_digit(body)))


def fill(products: int) -> dict:
    """500 products by default, 2 variants each, 3 batches per variant.

    Cooperatives, products and variants go in with bulk_create; batches are received
    through shop.inventory so the ledger and the cached on-hand counter agree.
    """
    from django.db import transaction
    from django.utils import timezone

    from shop import inventory
    from shop.models import Cooperative, Product, Variant
    from traceability.models import Province, Village

    today = timezone.localdate()
    provinces = list(Province.objects.order_by("code")[:8])
    villages = Village.objects.bulk_create(
        Village(
            province=province,
            name=f"Làng nghề {province.codename}",
            commune="Xã Bench",
            latitude=Decimal("16.00000") + i,
            longitude=Decimal("106.00000") + i % 3,
        )
        for i, province in enumerate(provinces)
    )
    cooperatives = Cooperative.objects.bulk_create(
        Cooperative(
            name=f"Hợp tác xã {n:02d}",
            slug=f"hop-tac-xa-{n:02d}",
            province=villages[n % len(villages)].province,
            village=villages[n % len(villages)],
            address=f"Thôn {n}, {villages[n % len(villages)].province.name}",
            story_en="Three generations of the same craft.",
            story_vi="Ba thế hệ cùng một nghề.",
        )
        for n in range(25)
    )
    new_products = []
    for n in range(products):
        group, name_en, name_vi = GROUP_NAMES[n % len(GROUP_NAMES)]
        certified = today - datetime.timedelta(days=100 + n)
        product = Product(
            cooperative=cooperatives[n % len(cooperatives)],
            slug=f"bench-product-{n:04d}",
            group=group,
            name_en=f"{name_en} {n:03d}",
            name_vi=f"{name_vi} {n:03d}",
            description_en="Made in small lots by a village cooperative.",
            description_vi="Làm theo mẻ nhỏ bởi hợp tác xã làng nghề.",
            story_en="The family has kept this recipe for a century.",
            story_vi="Gia đình giữ công thức này suốt một thế kỷ.",
            photo="products/bench.svg",
            hs_code="210390",
            ocop_stars=3 + n % 3,
            ocop_decision_number=f"{n}/QĐ-UBND",
            ocop_certified_on=certified,
            ocop_valid_until=certified + datetime.timedelta(days=1000),
        )
        product.search_text = product.build_search_text()
        new_products.append(product)
    new_products = Product.objects.bulk_create(new_products)
    variants = Variant.objects.bulk_create(
        Variant(
            product=product,
            name_en=f"{250 * (k + 1)} g pack",
            name_vi=f"Gói {250 * (k + 1)} g",
            sku=f"B{n:04d}-{k}",
            gtin=gtin14(f"0893{n:07d}{k:02d}"),
            weight_grams=250 * (k + 1),
            price_vnd=Decimal(150000 * (k + 1)),
            price_usd=Decimal("6.50") * (k + 1),
            price_eur=Decimal("6.00") * (k + 1),
        )
        for n, product in enumerate(new_products)
        for k in range(VARIANTS_PER_PRODUCT)
    )
    with transaction.atomic():
        for n, variant in enumerate(variants):
            for b in range(BATCHES_PER_VARIANT):
                harvest = today - datetime.timedelta(days=90 - 20 * b)
                inventory.receive_batch(
                    variant=variant,
                    lot_code=f"L{n:05d}{b}",
                    harvest_date=harvest,
                    packing_date=harvest + datetime.timedelta(days=5),
                    best_before=harvest + datetime.timedelta(days=200 + 30 * b),
                    village=variant.product.cooperative.village,
                    # Every third variant's first batch is nearly sold out.
                    quantity=3 if b == 0 and n % 3 == 0 else 40 + 10 * b,
                )
    return {
        "products": len(new_products),
        "variants": len(variants),
        "batches": len(variants) * BATCHES_PER_VARIANT,
        "product_slug": new_products[len(new_products) // 2].slug,
        "all_slugs": {p.slug for p in new_products},
    }


def count_queries(path: str) -> tuple[int, int, str]:
    """SQL queries of `path` rendered (page cache off) and as served (page cache on, second
    request), after one request that warms Django's own caches; and the rendered HTML."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(path)
    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as rendered:
        response = client.get(path)
    # Count now: every request start empties the connection's query log.
    rendered_count = len(rendered)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}, not 200")
    client.get(path)
    with CaptureQueriesContext(connection) as served:
        client.get(path)
    return rendered_count, len(served), response.content.decode()


def build(products: int, keep: bool) -> dict:
    """The bench database with `products` products: rebuilt, or with --keep reused when a
    previous run left exactly that many."""
    from django.core.management import call_command

    from bench.harness import database
    from shop.models import Batch, Product, Variant

    started = time.monotonic()
    if keep and database.exists():
        call_command("migrate", verbosity=0)
        slugs = list(Product.objects.order_by("slug").values_list("slug", flat=True))
        if len(slugs) == products:
            print(f"database {database.name()}: reused")
            return {
                "products": len(slugs),
                "variants": Variant.objects.count(),
                "batches": Batch.objects.count(),
                "product_slug": slugs[len(slugs) // 2],
                "all_slugs": set(slugs),
            }
    database.recreate_database()
    data = fill(products)
    database.analyze()
    print(
        f"database {database.name()}: {data['products']} products, {data['variants']} variants,"
        f" {data['batches']} batches ({time.monotonic() - started:.0f} s to build)"
    )
    return data


def measure(pages: dict[str, str], args: argparse.Namespace, loader: str) -> rounds.Measured:
    """Requests/second and CPU per request of every page, round after round, under one
    gunicorn."""
    return rounds.measure(pages, args, loader=loader, baseline="minimal", name="catalogue")


def report(pages: dict[str, str], queries: dict[str, tuple], rates: dict[str, list]) -> None:
    """Median req/s per page; each ratio is the median of per-round ratios, so a load that
    drifts between rounds (other work on the machine) moves both sides of a ratio alike.
    The query target applies to a page rendered, not served from the page cache."""
    print(f"{'page':<10} {'path':<32} {'SQL render/served':>17} {'req/s':>8}  ratio  target")
    ratios = {}
    for page, path in pages.items():
        rendered, served = queries[page]
        rate = statistics.median(rates[page])
        line = f"{page:<10} {path:<32} {rendered:>10}/{served:<6} {rate:>8.1f}"
        if page in TARGETS:
            ratios[page] = rounds.ratio(rates[page], rates["minimal"])
            ok = ratios[page] >= TARGETS[page] and rendered <= MAX_QUERIES
            line += f"  {ratios[page]:.3f}  >= {TARGETS[page]}x, <= {MAX_QUERIES} queries"
            line += "  ok" if ok else "  MISSED"
        print(line)
    for page, ratio in ratios.items():
        print(f"ratio {page}/minimal: {ratio:.3f}")
    print("all rounds (req/s):", {page: [round(r, 1) for r in rs] for page, rs in rates.items()})


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
    args = parser.parse_args()

    import django

    django.setup()
    from django.urls import reverse

    data = build(args.products, args.keep)
    pages = {
        "minimal": reverse("bench-minimal"),
        "catalogue": reverse("shop:catalogue"),
        "product": reverse("shop:product", kwargs={"slug": data["product_slug"]}),
    }
    queries = {}
    for page, path in pages.items():
        *queries[page], html = count_queries(path)
        if page == "catalogue":
            listed = set(re.findall(r"/products/(bench-product-\d+)/", html)) & data["all_slugs"]
            print(f"catalogue lists {len(listed)} of {data['products']} products")

    loader = args.loader
    if loader == "auto":
        loader = "wrk" if shutil.which("wrk") else "python"
    measured = measure(pages, args, loader)
    rates = measured.rates
    from django.conf import settings

    print(
        f"gunicorn {args.workers} sync workers, {loader} loader, {args.connections} connections,"
        f" {args.rounds} rounds x {args.seconds:g} s per page; page cache"
        f" {getattr(settings, 'PAGE_CACHE_SECONDS', 0)} s ({settings.CACHES['default']['BACKEND']})"
    )
    report(pages, queries, rates)
    print(measured.cpu_line())
    sys.stdout.flush()


if __name__ == "__main__":
    main()
