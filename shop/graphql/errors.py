"""Typed errors of the API: mutation payloads carry `errors { field message code }`, and
refused queries carry a GraphQL error whose extensions name the code."""

import graphene
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from graphene.utils.str_converters import to_camel_case
from graphql import GraphQLError


class ErrorCode(graphene.Enum):
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    BATCH_RECALLED = "BATCH_RECALLED"
    INVALID_GTIN = "INVALID_GTIN"
    INVALID_LOT = "INVALID_LOT"
    HOLD_EXPIRED = "HOLD_EXPIRED"
    CHECKOUT_CLOSED = "CHECKOUT_CLOSED"
    EMPTY_CHECKOUT = "EMPTY_CHECKOUT"
    DETAILS_MISSING = "DETAILS_MISSING"
    SHIPPING_UNAVAILABLE = "SHIPPING_UNAVAILABLE"
    PRODUCT_UNAVAILABLE = "PRODUCT_UNAVAILABLE"
    NOT_ALLOWED_FOR_DESTINATION = "NOT_ALLOWED_FOR_DESTINATION"
    ORDER_NOT_PAYABLE = "ORDER_NOT_PAYABLE"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    CONFLICT = "CONFLICT"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    INTERNAL_ERROR = "INTERNAL_ERROR"


class FieldError(graphene.ObjectType):
    field = graphene.String(description="The input field at fault, or null for the whole input.")
    message = graphene.String(required=True)
    code = ErrorCode(required=True)
    variant_id = graphene.ID(description="The variant the error is about, if any.")
    available = graphene.Int(description="For INSUFFICIENT_STOCK: the units that can be had.")


def api_error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def field_error(field: str | None, message: object, code: str, **details) -> FieldError:
    """A payload error; `field` is the Python name of the input, shown in camelCase."""
    return FieldError(
        field=to_camel_case(field) if field else None, message=str(message), code=code, **details
    )


def form_errors(
    form: forms.Form, *, codes: dict[str, str] | None = None, rename: dict[str, str] | None = None
) -> list[FieldError]:
    """A bound, invalid form's errors as payload errors.

    `codes` gives a field's errors a code other than INVALID (e.g. lot_code -> INVALID_LOT);
    a choice of something that does not exist or is not the caller's (a model choice outside
    the form's queryset) is NOT_FOUND. `rename` maps form field names to input names."""
    codes, rename = codes or {}, rename or {}
    found = []
    for name, errors in form.errors.as_data().items():
        field = None if name == NON_FIELD_ERRORS else rename.get(name, name)
        missing = isinstance(form.fields.get(name), forms.ModelChoiceField)
        for error in errors:
            if missing and error.code == "invalid_choice":
                code = "NOT_FOUND"
            else:
                code = codes.get(name, "INVALID")
            for message in error.messages:
                found.append(field_error(field, message, code))
    return found
