"""Model instances from one hand-written SELECT that joins several tables.

The ORM's own cost of building a joined, prefetched query (compiling it, resolving each
`select_related` path) is several times the cost of running it; on pages rendered on every
request (a first scan of a lot, issue 13) that dominates. A `Joined` read names the models
of a SELECT and their table aliases; it writes the column list once, and turns each row into
instances with the same converters the ORM applies (so SQLite's dates and decimals, and
JSON, come back as Python values), linked with the caches `select_related` fills.
"""

import functools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model
from django.db.models.expressions import Col
from django.db.models.fields.related_descriptors import ReverseOneToOneDescriptor


@dataclass(frozen=True)
class Part:
    """A model in the SELECT under `alias`. `parent`/`relation` link it to the instance it
    hangs from (the name of the forward relation on the parent, or a reverse one-to-one's
    accessor); `optional` parts come from a LEFT JOIN and are None when absent."""

    model: type[Model]
    alias: str
    parent: str = ""
    relation: str = ""
    optional: bool = False


class Joined:
    def __init__(self, parts: Sequence[Part]):
        self.parts = tuple(parts)
        # Per database vendor: the SELECT list and each column's converters; the parts' pk columns.
        self._converters: dict = {}

    @property
    def columns(self) -> str:
        """The SELECT list: every concrete column of every part, in the parts' order."""
        key = ("columns", connection.vendor)
        if key not in self._converters:
            quote = connection.ops.quote_name
            self._converters[key] = ", ".join(
                f"{part.alias}.{quote(field.column)}"
                for part in self.parts
                for field in part.model._meta.concrete_fields
            )
        return self._converters[key]

    @property
    def width(self) -> int:
        return sum(len(part.model._meta.concrete_fields) for part in self.parts)

    def _fields_converters(self) -> list:
        vendor = connection.vendor
        if vendor not in self._converters:
            found = []
            for part in self.parts:
                for field in part.model._meta.concrete_fields:
                    expression = Col(part.alias, field)
                    convert = connection.ops.get_db_converters(expression)
                    convert += field.get_db_converters(connection)
                    found.append((expression, convert))
            self._converters[vendor] = found
        return self._converters[vendor]

    def instances(self, row: Sequence, known: dict | None = None) -> dict[str, Model | None]:
        """The row (starting with this read's columns) as instances by alias, linked.

        `known`, shared by the rows of one read, maps (model, primary key) to the instance
        an earlier row made: lots of one village share it rather than each building its
        own village and province (a product page's rows repeat them lot after lot)."""
        converters = self._fields_converters()
        found: dict[str, Model | None] = {}
        start = 0
        for part, pk_at in zip(self.parts, self._pk_positions(), strict=True):
            fields = part.model._meta.concrete_fields
            end = start + len(fields)
            pk = row[start + pk_at]
            instance = None
            if not (part.optional and pk is None):
                key = (part.model, pk)
                instance = known.get(key) if known is not None else None
                if instance is None:
                    instance = part.model.from_db(
                        connection.alias, None, _converted(row, start, end, converters)
                    )
                    if known is not None:
                        known[key] = instance
            found[part.alias] = instance
            start = end
            parent = found.get(part.parent) if part.parent else None
            if parent is not None:
                _link(parent, part.relation, instance)
        return found

    def _pk_positions(self) -> list[int]:
        key = "pk_positions"
        if key not in self._converters:
            self._converters[key] = [
                part.model._meta.concrete_fields.index(part.model._meta.pk) for part in self.parts
            ]
        return self._converters[key]


def _converted(row: Sequence, start: int, end: int, converters: list) -> list:
    values = list(row[start:end])
    for index, (expression, convert) in enumerate(converters[start:end]):
        for converter in convert:
            values[index] = converter(values[index], expression, connection)
    return values


def _link(parent: Model, relation: str, instance: Model | None) -> None:
    descriptor = getattr(type(parent), relation)
    # A forward relation caches on its field; a reverse one-to-one on its related object
    # (None cached there means "has none", as select_related leaves it).
    if isinstance(descriptor, ReverseOneToOneDescriptor):
        descriptor.related.set_cached_value(parent, instance)
        if instance is not None:
            descriptor.related.field.set_cached_value(instance, parent)
    else:
        descriptor.field.set_cached_value(parent, instance)


@contextmanager
def prepared_cursor() -> Iterator:
    """A cursor for a hot read's fixed SQL. On PostgreSQL its statements are prepared once
    per connection (bound on the server) and run on their generic plan (the connection's
    plan_cache_mode, shop.settings.base.database), so the planning of a joined SELECT,
    which cost several times running it, is not paid on every request (a first scan's
    PostgreSQL CPU fell from about 2 ms to 0.3 ms). A statement whose best plan depends on
    its parameters' values should write those values in rather than bind them.
    Elsewhere it is the usual cursor. Queries go through Django's wrapper either way, so
    they are logged and counted like any other.

    Django leaves psycopg's preparing off (prepare_threshold None); a threshold no query
    reaches turns it on for the statements asked with prepare=True and for nothing else."""
    if connection.vendor != "postgresql":
        with connection.cursor() as plain:
            yield plain
        return
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        connection.connection.prepare_threshold = NEVER
    raw = _preparing_cursor_class()(connection.connection)
    if connection.queries_logged:
        wrapped = connection.make_debug_cursor(raw)
    else:
        wrapped = connection.make_cursor(raw)
    with wrapped as prepared:
        yield prepared


NEVER = 2**31 - 1


@functools.cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, **kwargs):
            return super().execute(query, params, prepare=True, **kwargs)

    return PreparingCursor
