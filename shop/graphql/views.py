"""The /graphql/ door: limits checked before execution; errors never show internals.

Requests that carry a session cookie are browser requests with ambient credentials, so
they must pass Django's CSRF check; API clients without cookies (guests) need not. A request
with `Authorization: Bearer <token>` is the token's user and nobody else: its session cookie,
if any, is ignored, and since a browser never adds that header by itself, CSRF does not apply.
"""

import logging

from csp.decorators import csp_exempt
from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError
from graphql import GraphQLError

from shop import currency_rates
from shop.graphql import resultcache, throttle, tokens
from shop.graphql.execution import RowExecutionContext
from shop.graphql.limits import QueryLimitsRule
from shop.graphql.schema import schema

logger = logging.getLogger(__name__)


def _unauthorized() -> JsonResponse:
    body = {
        "errors": [
            {"message": _("The API token is not valid."), "extensions": {"code": "UNAUTHENTICATED"}}
        ]
    }
    response = JsonResponse(body, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _invalid(message: str) -> HttpError:
    return HttpError(HttpResponseBadRequest(message), message=message)


class ShopGraphQLView(GraphQLView):
    validation_rules = (QueryLimitsRule,)
    execution_context_class = RowExecutionContext

    def dispatch(self, request, *args, **kwargs):
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":
            user = tokens.user_for_key(key=key.strip())
            if user is None:
                return _unauthorized()
            request.user = user
        elif settings.SESSION_COOKIE_NAME in request.COOKIES:
            refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if refused is not None:
                return refused
        response = super().dispatch(request, *args, **kwargs)
        if getattr(request, "retry_after", None):
            response["Retry-After"] = str(request.retry_after)
        return response

    @staticmethod
    def get_graphql_params(request, data):
        """graphene's reading of the request, refusing shapes it would pass on to fail
        later as an internal error: a query that is no string, variables that are no
        object, an operation name that is no string."""
        query, variables, operation_name, id_ = GraphQLView.get_graphql_params(request, data)
        if query is not None and not isinstance(query, str):
            raise _invalid(_("The query must be a string."))
        if variables in ("", {}):
            variables = None
        if variables is not None and not isinstance(variables, dict):
            raise _invalid(_("The variables must be a JSON object."))
        if operation_name is not None and not isinstance(operation_name, str):
            raise _invalid(_("The operation name must be a string."))
        return query, variables, operation_name, id_

    def get_response(self, request, data, show_graphiql=False):
        query, variables, operation_name, _id = self.get_graphql_params(request, data)
        refused = throttle.refuse_mutation(request, query, operation_name)
        if refused is not None:
            return refused
        key = None if self.batch else resultcache.key_for(request, query, variables, operation_name)
        if key is not None:
            answer = resultcache.get(key)
            if answer is not None:
                return answer, 200
        answer, status = super().get_response(request, data, show_graphiql)
        if key is not None and status == 200 and answer and '"errors":' not in answer:
            resultcache.store(key, answer)
        return answer, status

    @staticmethod
    def format_error(error):
        if isinstance(error, HttpError):
            # A request graphene could not read (bad JSON, no query): the client's mistake.
            return {"message": str(error.message), "extensions": {"code": "INVALID"}}
        if not isinstance(error, GraphQLError):
            logger.error("GraphQL request failed", exc_info=error)
            return {"message": "Internal error.", "extensions": {"code": "INTERNAL_ERROR"}}
        original = error.original_error
        if isinstance(original, currency_rates.NoRate):
            # JPY/KRW asked for before the admin entered a rate: the caller's choice, not a bug.
            formatted = {
                "message": f"No exchange rate for {original} yet; ask in USD, EUR or VND.",
                "extensions": {"code": "INVALID"},
            }
            if error.path:
                formatted["path"] = error.path
            return formatted
        if original is not None and not isinstance(original, GraphQLError):
            # An unexpected exception: logged here, told without its text or traceback.
            logger.error("GraphQL resolver failed", exc_info=original)
            formatted = {"message": "Internal error.", "extensions": {"code": "INTERNAL_ERROR"}}
            if error.path:
                formatted["path"] = error.path
            return formatted
        return error.formatted


graphql_view = csrf_exempt(ShopGraphQLView.as_view(schema=schema, graphiql=settings.DEBUG))
if settings.DEBUG:
    # GraphiQL (DEBUG only) is an inline script that loads its code from a CDN.
    graphql_view = csp_exempt()(graphql_view)
