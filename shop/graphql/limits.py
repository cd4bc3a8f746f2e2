"""Query limits, checked before a query runs: depth, aliases and an estimated cost.

The cost counts one per field, multiplied by the page size a connection asks for (`first`
or `last`, else the default page) and by a fixed estimate for plain lists, so a query's
price grows with the rows it could make the server read.

Introspection (`__schema`, `__type`) reads no rows, and the standard introspection query of
GraphiQL and code generators is deeper than MAX_DEPTH because of its `ofType` chains. It is
priced apart: what could make its answer explode is lists nested in lists (types, their
fields, the fields' arguments...), so at most MAX_INTROSPECTION_LISTS of them may nest.
"""

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationRule,
)

from shop.identifiers import parse_count

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_COST = 50_000
DEFAULT_PAGE = 20
MAX_PAGE = 100
LIST_ESTIMATE = 5
MAX_INTROSPECTION_LISTS = 3
INTROSPECTION_ROOTS = {"__schema", "__type"}
INTROSPECTION_LISTS = {
    "types",
    "fields",
    "args",
    "inputFields",
    "interfaces",
    "possibleTypes",
    "enumValues",
    "directives",
}
PAGE_ARGUMENTS = ("first", "last")
LIST_FIELDS = {
    "variants",
    "batches",
    "events",
    "components",
    "cooperatives",
    "orders",
    "lines",
    "scans",
    "provinces",
}


def _error(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "QUERY_TOO_COMPLEX"})


class QueryLimitsRule(ValidationRule):
    """Refuses operations over MAX_DEPTH, MAX_ALIASES or MAX_COST."""

    def enter_document(self, node, *_args):
        fragments = {
            d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for definition in node.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            walk = _Walk(fragments)
            cost = walk.cost(definition.selection_set, depth=1, seen=frozenset())
            if walk.introspection_lists > MAX_INTROSPECTION_LISTS:
                self.report_error(
                    _error(
                        f"Introspection nests {walk.introspection_lists} lists; "
                        f"at most {MAX_INTROSPECTION_LISTS} may nest."
                    )
                )
            elif walk.max_depth > MAX_DEPTH:
                self.report_error(_error(f"Query depth {walk.max_depth} exceeds {MAX_DEPTH}."))
            elif walk.aliases > MAX_ALIASES:
                self.report_error(_error(f"{walk.aliases} aliases exceed {MAX_ALIASES}."))
            elif cost > MAX_COST:
                self.report_error(_error(f"Query cost {cost} exceeds {MAX_COST}."))


class _Walk:
    def __init__(self, fragments):
        self.fragments = fragments
        self.max_depth, self.aliases, self.introspection_lists = 0, 0, 0

    def cost(self, selection_set, *, depth: int, seen: frozenset) -> int:
        if selection_set is None:
            return 0
        self.max_depth = max(self.max_depth, depth)
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.alias:
                    self.aliases += 1
                if selection.name.value in INTROSPECTION_ROOTS:
                    lists = self.lists(selection.selection_set, seen=frozenset())
                    self.introspection_lists = max(self.introspection_lists, lists)
                    total += 1
                    continue
                children = self.cost(selection.selection_set, depth=depth + 1, seen=seen)
                total += 1 + self._multiplier(selection) * children
            elif isinstance(selection, InlineFragmentNode):
                total += self.cost(selection.selection_set, depth=depth, seen=seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in seen or name not in self.fragments:
                    continue  # cycles are reported by graphql-core's own rules
                total += self.cost(
                    self.fragments[name].selection_set, depth=depth, seen=seen | {name}
                )
        return total

    def lists(self, selection_set, *, seen: frozenset) -> int:
        """How many introspection lists nest at most under this selection."""
        deepest = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                inner = self.lists(selection.selection_set, seen=seen)
                deepest = max(deepest, inner + (selection.name.value in INTROSPECTION_LISTS))
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self.lists(selection.selection_set, seen=seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen and name in self.fragments:
                    fragment = self.fragments[name].selection_set
                    deepest = max(deepest, self.lists(fragment, seen=seen | {name}))
        return deepest

    def _multiplier(self, field: FieldNode) -> int:
        for argument in field.arguments or ():
            if argument.name.value in PAGE_ARGUMENTS:
                value = argument.value
                if hasattr(value, "value"):
                    count = parse_count(value.value, maximum=10**18)
                    return min(max(count, 1), MAX_PAGE) if count is not None else 1
                # A variable is unknown while validating: assume the largest page.
                return MAX_PAGE
        if field.name.value in ("edges",):
            return 1
        if field.selection_set and field.name.value in LIST_FIELDS:
            return LIST_ESTIMATE
        if field.name.value in ("products",):
            return DEFAULT_PAGE
        return 1
