"""Typed errors of the API: mutation payloads carry `errors { field message code }`, and
refused queries carry a GraphQL error whose extensions name the code."""

import graphene
from graphql import GraphQLError


class ErrorCode(graphene.Enum):
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    BATCH_RECALLED = "BATCH_RECALLED"
    INVALID_GTIN = "INVALID_GTIN"
    INVALID_LOT = "INVALID_LOT"
    HOLD_EXPIRED = "HOLD_EXPIRED"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    INTERNAL_ERROR = "INTERNAL_ERROR"


class FieldError(graphene.ObjectType):
    field = graphene.String(description="The input field at fault, or null for the whole input.")
    message = graphene.String(required=True)
    code = ErrorCode(required=True)


def api_error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})
