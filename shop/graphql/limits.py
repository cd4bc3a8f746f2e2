"""Query limits, checked before a query runs: depth, aliases and an estimated cost.

The cost counts one per field, multiplied by the page size a connection asks for (`first`
or `last`, else the default page) and by a fixed estimate for plain lists, so a query's
price grows with the rows it could make the server read.
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

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_COST = 50_000
DEFAULT_PAGE = 20
MAX_PAGE = 100
LIST_ESTIMATE = 5
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
            if walk.max_depth > MAX_DEPTH:
                self.report_error(_error(f"Query depth {walk.max_depth} exceeds {MAX_DEPTH}."))
            elif walk.aliases > MAX_ALIASES:
                self.report_error(_error(f"{walk.aliases} aliases exceed {MAX_ALIASES}."))
            elif cost > MAX_COST:
                self.report_error(_error(f"Query cost {cost} exceeds {MAX_COST}."))


class _Walk:
    def __init__(self, fragments):
        self.fragments = fragments
        self.max_depth, self.aliases = 0, 0

    def cost(self, selection_set, *, depth: int, seen: frozenset) -> int:
        if selection_set is None:
            return 0
        self.max_depth = max(self.max_depth, depth)
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.alias:
                    self.aliases += 1
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

    def _multiplier(self, field: FieldNode) -> int:
        for argument in field.arguments or ():
            if argument.name.value in PAGE_ARGUMENTS:
                value = argument.value
                if hasattr(value, "value"):
                    digits = str(value.value)
                    return min(max(int(digits), 1), MAX_PAGE) if digits.isdigit() else 1
                # A variable is unknown while validating: assume the largest page.
                return MAX_PAGE
        if field.name.value in ("edges",):
            return 1
        if field.selection_set and field.name.value in LIST_FIELDS:
            return LIST_ESTIMATE
        if field.name.value in ("products",):
            return DEFAULT_PAGE
        return 1
