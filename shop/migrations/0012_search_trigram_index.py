"""The catalogue search's index on PostgreSQL: a GIN trigram index on Product.search_text.

The search asks `search_text LIKE '%word%'` for each word (shop.card_query, and
Product.objects.search); a B-tree cannot serve a pattern with a leading wildcard, pg_trgm's
GIN operator class can. PostgreSQL only: SQLite (development, the quick test run) scans its
few rows. Creating the extension needs a role allowed to (a superuser, or on PostgreSQL 13+
the database's owner, pg_trgm being a trusted extension).
"""

from django.db import migrations

INDEX = "shop_product_search_text_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON shop_product USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    # The extension stays: dropping it would break anything else built on it since.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0011_glns_brand"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
