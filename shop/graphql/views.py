"""The /graphql/ door: limits checked before execution; errors never show internals.

Requests that carry a session cookie are browser requests with ambient credentials, so
they must pass Django's CSRF check; API clients without cookies (tokens, guests) need not.
"""

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from graphql import GraphQLError

from shop.graphql.limits import QueryLimitsRule
from shop.graphql.schema import schema


class ShopGraphQLView(GraphQLView):
    validation_rules = (QueryLimitsRule,)

    def dispatch(self, request, *args, **kwargs):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if refused is not None:
                return refused
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def format_error(error):
        if not isinstance(error, GraphQLError):
            return {"message": "Internal error.", "extensions": {"code": "INTERNAL_ERROR"}}
        original = error.original_error
        if original is not None and not isinstance(original, GraphQLError):
            # An unexpected exception: say so without its text or traceback.
            formatted = {"message": "Internal error.", "extensions": {"code": "INTERNAL_ERROR"}}
            if error.path:
                formatted["path"] = error.path
            return formatted
        return error.formatted


graphql_view = csrf_exempt(ShopGraphQLView.as_view(schema=schema, graphiql=settings.DEBUG))
