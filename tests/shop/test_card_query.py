"""The catalogue page's hand-written query lists what catalogue() lists, in its order."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation

from shop import card_query, inventory
from shop import catalogue as reads
from shop.catalogue_filters import CatalogueFilters, Sort
from shop.models import MovementKind, ProductGroup
from tests.factories import (
    BatchFactory,
    CartFactory,
    CooperativeFactory,
    ProductFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    """Twelve products that differ in every way a filter or a sort can tell apart."""
    today = timezone.localdate()
    coops = [CooperativeFactory(), CooperativeFactory()]
    specs = [
        # name_en, name_vi, group, stars, expired certificate, USD price, stock
        ("Green tea", "Trà xanh", ProductGroup.BEVERAGES, 5, False, "12.00", "on_sale"),
        ("Black tea", "Trà đen", ProductGroup.BEVERAGES, 4, False, "9.50", "held"),
        ("Fish sauce", "Nước mắm", ProductGroup.FOOD, 4, False, "9.50", "sold_out"),
        ("Honey", "", ProductGroup.FOOD, 3, False, "15.25", "on_sale"),
        ("Lotus tea", "Trà sen", ProductGroup.BEVERAGES, 5, True, "30.00", "on_sale"),
        ("Silk scarf", "Khăn lụa", ProductGroup.TEXTILES, 3, False, "45.00", "none"),
        ("Vase 100%", "Bình gốm", ProductGroup.HANDICRAFTS, 4, False, "80.00", "on_sale"),
        ("Lacquer_box", "Hộp sơn mài", ProductGroup.HANDICRAFTS, 5, False, "60.00", "on_sale"),
        ("Dried mango", "Xoài sấy", ProductGroup.FOOD, 3, False, "4.90", "recalled"),
        ("Rice paper", "Bánh tráng", ProductGroup.FOOD, 4, False, "3.00", "on_sale"),
        ("Hidden", "Ẩn", ProductGroup.FOOD, 5, False, "1.00", "on_sale"),
        ("Cinnamon", "Quế", ProductGroup.HERBS, 4, False, "7.00", "on_sale"),
    ]
    for index, (name_en, name_vi, group, stars, expired, usd, stock) in enumerate(specs):
        product = ProductFactory(
            cooperative=coops[index % 2],
            name_en=name_en,
            name_vi=name_vi,
            group=group,
            ocop_stars=stars,
            is_published=name_en != "Hidden",
            created_at=timezone.now() - datetime.timedelta(days=index),
        )
        if expired:
            product.ocop_valid_until = today - datetime.timedelta(days=1)
        product.search_text = product.build_search_text()
        product.save()
        variant = VariantFactory(product=product, price_usd=Decimal(usd))
        VariantFactory(product=product, price_usd=Decimal(usd) + 5)
        if stock == "none":
            continue
        batch = BatchFactory(variant=variant, quantity_received=2)
        if stock == "held":
            inventory.hold(cart=CartFactory(), variant=variant, quantity=2)
        elif stock == "sold_out":
            inventory.record_movement(batch_id=batch.pk, kind=MovementKind.SOLD, quantity=-2)
        elif stock == "recalled":
            batch.status = "recalled"
            batch.save(update_fields=["status"])
    return coops


FILTERS = [
    CatalogueFilters(),
    CatalogueFilters(group=ProductGroup.BEVERAGES),
    CatalogueFilters(min_stars=4),
    CatalogueFilters(min_stars=5, sort=Sort.PRICE_HIGH),
    CatalogueFilters(price_min=Decimal("9.50"), price_max=Decimal("45")),
    CatalogueFilters(in_stock=True),
    CatalogueFilters(in_stock=True, sort=Sort.PRICE_LOW),
    CatalogueFilters(q="tea"),
    CatalogueFilters(q="TRA"),
    CatalogueFilters(q="trà xanh"),
    CatalogueFilters(q="100%"),
    CatalogueFilters(q="_"),
    CatalogueFilters(q="lacquer_box"),
    CatalogueFilters(sort=Sort.STARS),
    CatalogueFilters(sort=Sort.NEWEST),
    CatalogueFilters(group=ProductGroup.FOOD, in_stock=True, min_stars=3, q="a"),
]


@pytest.mark.parametrize(
    ("filters", "language", "currency"),
    list(itertools.product(FILTERS, ["en", "vi"], ["USD"]))
    + [(CatalogueFilters(sort=Sort.PRICE_LOW), "en", code) for code in ("EUR", "VND")],
)
def test_the_page_query_agrees_with_the_catalogue_rules(shelf, filters, language, currency):
    # given the shelf, read in a language and a currency
    with translation.override(language):
        # when the page query and the ORM catalogue are both read
        expected = list(
            reads.catalogue(filters=filters, currency=currency).values_list("pk", flat=True)
        )
        rows = card_query.page_rows(filters=filters, currency=currency, offset=0, limit=50)
        stocked = set(
            reads.catalogue(filters=CatalogueFilters(in_stock=True), currency=currency).values_list(
                "pk", flat=True
            )
        )
    # then they list the same products in the same order, with the same stock and count
    assert [row[0] for row in rows] == expected
    assert expected or filters.q in ("_",)
    assert {row[0] for row in rows if row[11]} == stocked & set(expected)
    assert all(row[-1] == len(expected) for row in rows)


def test_a_slice_of_the_page_query_is_the_same_slice_of_the_catalogue(shelf):
    # given the shelf sorted by price
    filters = CatalogueFilters(sort=Sort.PRICE_LOW)
    # when rows 4 to 7 are read
    rows = card_query.page_rows(filters=filters, currency="USD", offset=3, limit=4)
    # then they are the catalogue's rows 4 to 7, each counting all 11 published products
    expected = list(reads.catalogue(filters=filters, currency="USD").values_list("pk", flat=True))
    assert [row[0] for row in rows] == expected[3:7]
    assert {row[-1] for row in rows} == {11}
    assert rows[0][7] == Decimal("9.50")


def test_one_cooperatives_cards_and_the_featured_ones_are_the_orm_rules_too(shelf):
    # given the shelf of two cooperatives, one product with an expired certificate
    first = shelf[0]
    stars = CatalogueFilters(sort=Sort.STARS)
    # when one cooperative's products, and the featured ones, are read both ways
    own = card_query.page_rows(
        filters=stars, currency="USD", offset=0, limit=50, cooperative_id=first.pk
    )
    featured = card_query.page_rows(
        filters=CatalogueFilters(sort=Sort.FEATURED),
        currency="USD",
        offset=0,
        limit=8,
        certified_only=True,
    )
    # then they are the ORM's answers: the cooperative's own, and the 8 best certified
    by_orm = reads.catalogue(filters=stars, currency="USD").filter(cooperative=first)
    assert [row[0] for row in own] == list(by_orm.values_list("pk", flat=True))
    expected = list(
        reads.product_cards(currency="USD")
        .filter(ocop_valid_until__gte=timezone.localdate())
        .order_by("-ocop_stars", "-created_at", "-pk")
        .values_list("pk", flat=True)[:8]
    )
    assert [row[0] for row in featured] == expected
    assert "Lotus tea" not in {row[2] for row in featured}


def test_the_page_query_runs_on_its_generic_plan_and_is_not_planned_per_request(shelf):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements and plans are PostgreSQL's (run with CI=true)")
    # given the catalogue's first page asked for again and again, as every uncached render does
    for _ in range(8):
        rows = card_query.page_rows(filters=CatalogueFilters(), currency="USD", offset=0, limit=5)
    # then PostgreSQL ran the prepared statement on its generic plan every time, never
    # planning it again (under the default `auto` it chose a custom plan each time)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE 'SELECT page.id%%'"
        )
        plans = cursor.fetchall()
    assert plans and all(generic >= 8 and custom == 0 for generic, custom in plans)
    # and the page's "in stock", checked row by row, still follows the catalogue's rules
    stocked = set(
        reads.catalogue(filters=CatalogueFilters(in_stock=True), currency="USD").values_list(
            "pk", flat=True
        )
    )
    assert [row[11] for row in rows] == [row[0] in stocked for row in rows]
    assert any(row[11] for row in rows) and not all(row[11] for row in rows)
