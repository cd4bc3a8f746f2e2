from pathlib import Path

from graphql import print_schema

from shop.graphql.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "shop" / "graphql" / "schema.graphql"


def test_committed_schema_matches_the_code():
    """Regenerate: .venv/bin/python manage.py graphql_schema --out shop/graphql/schema.graphql"""
    assert SCHEMA_FILE.read_text(encoding="utf-8") == print_schema(schema.graphql_schema)
