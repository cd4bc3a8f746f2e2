"""Mutations through /graphql/ count against the client's `graphql_mutation` rate limit
(shop.ratelimits). Past it the answer is HTTP 429 with a GraphQL error whose code is
RATE_LIMITED, before anything runs; queries (reads) are not counted here."""

import json

from django.http import HttpRequest
from django.utils.translation import gettext as _
from graphql import GraphQLError, OperationType, get_operation_ast, parse

from shop import ratelimits


def refuse_mutation(
    request: HttpRequest, query: str | None, operation_name: str | None
) -> tuple[str, int] | None:
    """The (body, status) answer when the request's mutation is over the limit, else None.
    Counts one hit per mutation request; sets `request.retry_after` when refused."""
    # A mutation needs the word: documents without it cost no second parse.
    if not isinstance(query, str) or "mutation" not in query:
        return None
    try:
        document = parse(query)
    except GraphQLError:
        return None  # graphene answers the syntax error itself
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation is not OperationType.MUTATION:
        return None
    try:
        ratelimits.hit(scope="graphql_mutation", client=ratelimits.client_ip(request))
    except ratelimits.RateLimited as exc:
        request.retry_after = exc.retry_after
        error = {
            "message": _("Too many requests: please wait a moment and try again."),
            "extensions": {"code": "RATE_LIMITED", "retryAfter": exc.retry_after},
        }
        return json.dumps({"errors": [error]}), 429
    return None
