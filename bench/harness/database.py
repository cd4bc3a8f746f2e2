"""The bench's own PostgreSQL database, dropped and rebuilt for a run (or kept with --keep)."""

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection


class NotABenchDatabase(RuntimeError):
    pass


def name() -> str:
    return settings.DATABASES["default"]["NAME"]


def server() -> psycopg.Connection:
    """An autocommit connection to the PostgreSQL server's own "postgres" database."""
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def exists() -> bool:
    with server() as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name()])
        return found.fetchone() is not None


def recreate_database() -> str:
    """Drop and recreate the database named in bench.settings, then migrate it.

    Refuses any database whose name lacks "bench", so a stray URL can never wipe real data.
    Returns the database name.
    """
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        raise NotABenchDatabase(f"benchmarks run on PostgreSQL, not {db['ENGINE']}")
    db_name = name()
    if "bench" not in db_name:
        raise NotABenchDatabase(f"refusing to drop {db_name!r}: its name lacks 'bench'")
    with server() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')
    call_command("migrate", verbosity=0)
    return db_name


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load, and move the rows a GIN index
    (the search's trigram index) keeps in its pending list into the index proper, as
    autovacuum would in time: until then the planner prices the index above a table scan."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
