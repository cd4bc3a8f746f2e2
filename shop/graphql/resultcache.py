"""Answers to public catalogue queries, cached with the storefront's pages and as fresh.

The product list with its variants, prices and batches is the API's heaviest read and the
same for every caller. An answer to a query whose root fields are all public catalogue reads
(`products`, `product`, `cooperatives`, `cooperative`, `node`) is stored under the page
cache's shop-wide and stock version tokens (shop.pagecache) and a hash of everything the
answer depends on: the query text, its variables and operation name, the language, the
currency cookie and the host (photo URLs are absolute). So it follows the HTML catalogue's
freshness rule: the writers that invalidate the pages (catalogue admin saves, batches
received, stock movements, recalls) invalidate these answers too, and a stock figure is at
most settings.PAGE_CACHE_SECONDS old (the hold service, not a listing, is the authority on
stock). PAGE_CACHE_SECONDS = 0 turns this cache off, as it does the pages'.
"""

import functools
import hashlib
import json

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse

from shop import cache_outage, pagecache

CATALOGUE_FIELDS = frozenset({"products", "product", "cooperatives", "cooperative", "node"})
MAX_QUERY_LENGTH = 20_000


@functools.lru_cache(maxsize=512)
def reads_only_the_catalogue(query: str, operation_name: str | None) -> bool:
    """Whether the operation asks only for public catalogue reads (decided once per text)."""
    try:
        document = parse(query)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        o
        for o in operations
        if operation_name is None or (o.name is not None and o.name.value == operation_name)
    ]
    if len(chosen) != 1 or chosen[0].operation != OperationType.QUERY:
        return False
    selections = chosen[0].selection_set.selections
    if not all(isinstance(s, FieldNode) for s in selections):
        return False
    names = {s.name.value for s in selections}
    return bool(names & CATALOGUE_FIELDS) and names <= CATALOGUE_FIELDS | {"__typename"}


def key_for(request: HttpRequest, query, variables, operation_name) -> str | None:
    """The cache key of this request's answer, or None when it must not be cached."""
    if settings.PAGE_CACHE_SECONDS <= 0 or not isinstance(query, str):
        return None
    if len(query) > MAX_QUERY_LENGTH or not isinstance(operation_name, str | None):
        return None
    if not reads_only_the_catalogue(query, operation_name):
        return None
    try:
        variables_text = json.dumps(variables or {}, sort_keys=True)
    except (TypeError, ValueError):
        return None
    identity = "\n".join(
        (
            query,
            variables_text,
            operation_name or "",
            get_language() or "",
            getattr(request, "currency", settings.DEFAULT_CURRENCY),
            request.scheme,
            request.get_host(),
            request.GET.get("pretty", ""),
        )
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"graphql:result:{pagecache.version(pagecache.STOCK_KEY)}:{digest}"


def get(key: str) -> str | None:
    return cache_outage.get(key)


def store(key: str, answer: str) -> None:
    cache_outage.set(key, answer, settings.PAGE_CACHE_SECONDS)
