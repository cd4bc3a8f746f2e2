"""The catalogue search on small shelves: ranking by where the words are, the page's sort and
filter panel while searching, and the search page's query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop import card_query
from shop import catalogue as reads
from shop.catalogue_filters import CatalogueFilters, Sort
from shop.search import parse_query
from tests.factories import CooperativeFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


def test_a_query_is_read_into_terms_synonyms_and_the_gift_flag():
    parsed = parse_query("Hộp quà nước mắm  TRÀ 40")
    assert parsed.gift_set is True
    assert [(t.typed, t.alternatives, t.group) for t in parsed.terms] == [
        ("nuoc mam", ("nuoc mam", "fish sauce"), "food"),
        ("tra", ("tra", "che", "tea"), "beverages"),
        ("40", ("40",), ""),
    ]
    assert not parse_query(" %_ ")


def test_a_name_ranks_above_a_group_above_a_cooperative():
    # given "herbs" in one product's name, another's group and a third's cooperative
    ProductFactory(name_en="Zest of herbs", name_vi="Vỏ chanh", group="food")
    ProductFactory(name_en="Cinnamon", name_vi="Quế", group="herbs")
    ProductFactory(
        name_en="Apricot jam",
        name_vi="Mứt mơ",
        group="food",
        cooperative=CooperativeFactory(name="Herbs valley cooperative"),
    )
    ProductFactory(name_en="Plain rice", name_vi="Gạo", group="food")
    # when the shopper searches "herbs"
    rows = card_query.page_rows(
        filters=CatalogueFilters(q="herbs", sort=Sort.RELEVANCE), currency="USD", offset=0, limit=10
    )
    # then the name comes first, the group next, the cooperative last, the rest not at all
    assert [row[2] for row in rows] == ["Zest of herbs", "Cinnamon", "Apricot jam"]


def test_searching_sorts_by_relevance_and_leaves_the_filter_panel_closed(client):
    ProductFactory(name_en="Green tea", name_vi="Trà xanh", group="beverages")
    # when the search box is submitted (the closed panel's fields go with it)
    response = client.get(
        reverse("shop:catalogue"),
        {"q": "tea", "group": "", "province": "", "stars": "", "sort": "relevance"},
    )
    html = response.content.decode()
    # then the product is found and the filter panel stays closed
    assert response.status_code == 200
    assert [card.name for card in response.context["page"].object_list] == ["Green tea"]
    assert '<details class="filter-panel">' in html
    # while a sort the shopper chose opens it
    chosen = client.get(reverse("shop:catalogue"), {"q": "tea", "sort": "name"})
    assert '<details class="filter-panel" open>' in chosen.content.decode()


def count_queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("shop:catalogue"), {"q": query})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["tea", "gift", "tea sause", "nuoc mam 0"])
def test_a_search_page_makes_the_same_queries_for_5_and_50_products(client, query):
    # given 5 products that match, then 50
    def build(start: int, count: int) -> None:
        for n in range(start, start + count):
            product = ProductFactory(
                name_en=f"Green tea {n:03d}", name_vi=f"Nước mắm {n:03d}", is_gift_set=n % 2 == 0
            )
            VariantFactory(product=product)

    build(0, 5)
    before = count_queries(client, query)
    build(5, 45)
    after = count_queries(client, query)
    # then the search page costs the same number of queries, as many as the catalogue's
    assert before == after == count_queries(client, "")


def test_the_orm_catalogue_ranks_a_search_as_the_page_does_and_reads_as_values():
    # given teas, a tea set and a product merely made near tea hills
    ProductFactory(name_en="Tea set", name_vi="Bộ ấm chén", group="handicrafts")
    ProductFactory(name_en="Oolong tea", name_vi="Trà ô long", group="beverages")
    ProductFactory(name_en="Jam", name_vi="Mứt", cooperative=CooperativeFactory(name="Tea hills"))
    filters = CatalogueFilters(q="trà", sort=Sort.RELEVANCE)
    # when the ORM catalogue (the API's read) and the page query are both read
    products = reads.catalogue(filters=filters, currency="USD")
    rows = card_query.page_rows(filters=filters, currency="USD", offset=0, limit=10)
    # then both list the tea, the tea set, then the cooperative's jam; counted and sliced
    names = list(products.values_list("name_en", flat=True))
    assert names == ["Oolong tea", "Tea set", "Jam"] == [row[2] for row in rows]
    assert products.count() == 3
    assert list(products[1:2].values("name_en")) == [{"name_en": "Tea set"}]


def test_postgresql_weighs_the_sections_in_an_indexed_search_vector():
    if connection.vendor != "postgresql":
        pytest.skip("the search vector exists on PostgreSQL only (run with CI=true)")
    # given a product with a name, a group, a cooperative and a description
    product = ProductFactory(
        name_en="Lotus tea",
        name_vi="Trà sen",
        group="beverages",
        description_en="Hand-scented.",
        description_vi="",
        cooperative=CooperativeFactory(name="Quảng An"),
    )
    with connection.cursor() as cursor:
        # when its generated vector is read
        cursor.execute("SELECT search_vector::text FROM shop_product WHERE id = %s", [product.pk])
        vector = cursor.fetchone()[0]
        # and the planner, told to avoid scanning, explains a search
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM shop_product WHERE search_vector @@ to_tsquery('simple', 'tea')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # then each section carries its weight, folded, and the GIN index answers
    assert vector == (
        "'an':11C 'beverages':5B 'do':8B 'drink':7B 'drinks':6B 'hand':12 'lotus':1A "
        "'quang':10C 'scented':13 'sen':4A 'tea':2A 'tra':3A 'uong':9B"
    )
    assert "shop_product_search_vector_gin" in plan
