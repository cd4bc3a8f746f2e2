"""graphql-core's executor with a shortcut for scalar fields read from dict rows.

graphql-core runs every field through the same machinery: a Path, a ResolveInfo, argument
coercion, the resolver call, then completion (non-null check, leaf serialisation), about
3 microseconds a field. The product list of 100 has about 7,800 fields, 6 in 8 of them plain
scalars read from rows, so that machinery was most of its cost (bench/README.md, graphql).

For a field whose resolver is graphene's default one (a dict's key or an attribute), which
takes no arguments, and whose parent value is a plain dict (reading a key runs no code of
ours), the shortcut reads the key and then, as graphql-core would:
- a scalar or enum: serialises the value with the type's own serializer;
- an object type that needs no is_type_of check, when the value is a plain dict too, or a
  list of non-null such objects, when the value is a list of plain dicts: executes their
  selection, handling an error from a non-null field inside as graphql-core's
  execute_field does (null here, or up to the parent if this field is non-null).
graphene's `source=` fields read the same way. Anything else (another resolver, a field
with arguments, other lists, a missing value for a
non-null field, a value the serializer refuses or a type it does not know to be plain data)
goes through graphql-core's own execute_field, which also raises the very error it always
did. The answer is therefore the same, byte for byte (tests/shop/graphql/test_execution.py).
"""

import datetime
from asyncio import gather
from decimal import Decimal
from functools import partial
from typing import Any

from graphene.types.field import default_resolver as field_default_resolver
from graphene.types.field import source_resolver
from graphene.types.resolver import dict_or_attr_resolver
from graphql import (
    ExecutionContext,
    FieldNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)
from graphql.error import located_error
from graphql.execution.execute import get_field_def
from graphql.pyutils import Path, Undefined

# Python classes whose values each scalar's serializer turns into output or refuses with a
# GraphQLError, never another exception.
PLAIN_VALUES = {
    "String": (str,),
    "ID": (str, int),
    "Int": (int,),
    "Float": (float, int),
    "Boolean": (bool,),
    "Decimal": (Decimal,),
    "Date": (datetime.date,),
}


class RowExecutionContext(ExecutionContext):
    """An ExecutionContext that reads plain scalar fields of dict rows directly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[str, int], tuple[dict, list]] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: dict[str, list[FieldNode]],
    ):
        if not _plain_dict(source_value):
            return super().execute_fields(parent_type, source_value, path, fields)
        results = {}
        awaitable_fields: list[str] = []
        for response_name, field_nodes, read in self._plan(parent_type, fields):
            if read is not None:
                key, default, nullable, serialize, classes = read
                value = source_value.get(key, default)
                if value is None:
                    if nullable:
                        results[response_name] = None
                        continue
                elif serialize is None:
                    return_type, object_type, is_list = classes
                    if is_list:
                        shortcut = type(value) is list and all(map(_plain_dict, value))
                    else:
                        shortcut = _plain_dict(value)
                    if shortcut:
                        field_path = Path(path, response_name, parent_type.name)
                        result = (self._list if is_list else self._object)(
                            return_type, object_type, value, field_nodes, field_path
                        )
                        results[response_name] = result
                        if type(result) is not dict and self.is_awaitable(result):
                            awaitable_fields.append(response_name)
                        continue
                elif value.__class__ in classes:
                    try:
                        serialized = serialize(value)
                    except GraphQLError:
                        serialized = None  # graphql-core's own path raises it in place
                    if serialized is not None and serialized is not Undefined:
                        results[response_name] = serialized
                        continue
            result = self.execute_field(
                parent_type, source_value, field_nodes, Path(path, response_name, parent_type.name)
            )
            if result is not Undefined:
                results[response_name] = result
                if self.is_awaitable(result):
                    awaitable_fields.append(response_name)
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            # As graphql-core's execute_fields: await the awaitable fields together.
            values = await gather(*(results[name] for name in awaitable_fields))
            results.update(zip(awaitable_fields, values, strict=True))
            return results

        return get_results()

    def _object(self, return_type, object_type, value: dict, field_nodes, path: Path):
        """graphql-core's completion of an object value that needs no is_type_of check."""
        try:
            result = self.execute_fields(
                object_type, value, path, self.collect_subfields(object_type, field_nodes)
            )
        except GraphQLError as error:
            # A non-null field inside failed: what execute_field does with the error.
            self._field_error(error, return_type, field_nodes, path)
            return None
        if type(result) is not dict and self.is_awaitable(result):
            return self._await(result, return_type, field_nodes, path)
        return result

    def _list(self, return_type, object_type, items: list, field_nodes, path: Path):
        """graphql-core's completion of a list of non-null objects (no is_type_of check).
        An error from an item goes up to this field, as with a non-null item type."""
        fields = self.collect_subfields(object_type, field_nodes)
        try:
            results = [
                self.execute_fields(object_type, item, path.add_key(index, None), fields)
                for index, item in enumerate(items)
            ]
        except GraphQLError as error:
            self._field_error(error, return_type, field_nodes, path)
            return None
        if any(type(r) is not dict and self.is_awaitable(r) for r in results):
            return self._await(self._gather(results), return_type, field_nodes, path)
        return results

    async def _gather(self, results: list) -> list:
        # As graphql-core's complete_list_value: await the awaitable items together.
        pending = [i for i, r in enumerate(results) if self.is_awaitable(r)]
        for index, value in zip(pending, await gather(*(results[i] for i in pending)), strict=True):
            results[index] = value
        return results

    async def _await(self, result, return_type, field_nodes, path: Path):
        try:
            return await result
        except GraphQLError as error:
            self._field_error(error, return_type, field_nodes, path)
            return None

    def _field_error(self, error: GraphQLError, return_type, field_nodes, path: Path) -> None:
        self.handle_field_error(
            located_error(error, field_nodes, path.as_list()), return_type, path
        )

    def _plan(self, parent_type: GraphQLObjectType, fields: dict[str, list[FieldNode]]) -> list:
        """For each field: its response name, nodes and, when the shortcut applies, how to
        read it. graphql-core hands the same `fields` dict for every object of a selection,
        so a plan is worked out once per selection and request (the dict is kept alive with
        it, so its id is not reused)."""
        key = (parent_type.name, id(fields))
        cached = self._plans.get(key)
        if cached is not None:
            return cached[1]
        plan = [(name, nodes, self._read(parent_type, nodes[0])) for name, nodes in fields.items()]
        self._plans[key] = (fields, plan)
        return plan

    def _read(self, parent_type: GraphQLObjectType, node: FieldNode) -> tuple | None:
        """How the shortcut reads the field: (key, default, nullable, serialize, classes) for
        a scalar or enum, (key, default, nullable, None, (return type, object type, is a
        list)) for an object or a list of objects; None when graphql-core must."""
        field_def = get_field_def(self.schema, parent_type, node)
        if field_def is None or field_def.args or node.arguments:
            return None
        resolve = field_def.resolve
        if not isinstance(resolve, partial) or resolve.keywords:
            return None
        if resolve.func is dict_or_attr_resolver and len(resolve.args) == 2:
            attname, default = resolve.args
        elif (
            resolve.func is source_resolver
            and field_default_resolver is dict_or_attr_resolver
            and len(resolve.args) == 1
        ):
            # The value is not called unless it is a function, which no plain value is.
            attname, default = resolve.args[0], None
        else:
            return None
        if self.middleware_manager is not None:
            if self.middleware_manager.get_field_resolver(resolve) is not resolve:
                return None
        nullable = not isinstance(field_def.type, GraphQLNonNull)
        named = field_def.type if nullable else field_def.type.of_type
        if isinstance(named, GraphQLList):
            item = named.of_type
            if not isinstance(item, GraphQLNonNull):
                return None
            if isinstance(item.of_type, GraphQLObjectType) and item.of_type.is_type_of is None:
                return attname, default, nullable, None, (field_def.type, item.of_type, True)
            return None
        if isinstance(named, GraphQLObjectType):
            if named.is_type_of is not None:
                return None
            return attname, default, nullable, None, (field_def.type, named, False)
        if isinstance(named, GraphQLEnumType):
            classes = (str,)
        elif isinstance(named, GraphQLScalarType):
            classes = PLAIN_VALUES.get(named.name)
        else:
            return None
        if classes is None:
            return None
        return attname, default, nullable, named.serialize, classes


def _plain_dict(value) -> bool:
    """A dict whose get() is dict's own: reading it runs no code of ours."""
    return type(value) is dict or (isinstance(value, dict) and type(value).get is dict.get)
