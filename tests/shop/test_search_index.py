"""The catalogue search's trigram index (migration 0012): on PostgreSQL, after migrate, a GIN
index with pg_trgm's operator class covers Product.search_text, and a selective word's
LIKE can use it. SQLite has none."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the index exists on PostgreSQL only (run with CI=true)")


def test_search_text_has_a_gin_trigram_index_after_migrate():
    # given the test database, migrated
    # when the catalogue's indexes are read
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'shop_product'"
            " AND indexname = 'shop_product_search_text_trgm'"
        )
        rows = cursor.fetchall()

    # then the trigram index is there, on search_text
    assert rows == [
        (
            "CREATE INDEX shop_product_search_text_trgm ON public.shop_product"
            " USING gin (search_text gin_trgm_ops)",
        )
    ]


def test_the_planner_can_answer_a_search_word_from_the_index():
    # given the planner told to avoid scanning the table when it has another way
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # when a search word's LIKE is explained
        cursor.execute(
            "EXPLAIN SELECT id FROM shop_product WHERE search_text LIKE %s", ["%ginseng%"]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    # then it reads the trigram index
    assert "shop_product_search_text_trgm" in plan
