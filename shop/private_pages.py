"""`Cache-Control: private, no-store` on pages that show one person's data.

Orders (name, address, gift message), the cart, checkout, payment, account pages and the
cooperative workspace must never be kept by a shared cache or the browser's disk cache.
Keyed on URL names, so a new view under one of these names is covered without a decorator.
"""

from django.utils.cache import patch_cache_control

# Whole namespaces that are private (the workspace, the admin).
PRIVATE_NAMESPACES = frozenset({"coop", "admin"})
# URL names of the shop namespace that are private, by prefix.
PRIVATE_SHOP_PREFIXES = (
    "cart",
    "checkout",
    "order",
    "packing_slip",
    "account",
    "login",
    "logout",
    "signup",
    "password",
    "dummy_pay",
    "stripe_pay",
    "stripe_return",
)


def is_private(match) -> bool:
    """Whether the resolved URL is one person's page. No side effects."""
    if match is None:
        return False
    if PRIVATE_NAMESPACES.intersection(match.namespaces):
        return True
    return "shop" in match.namespaces and (match.url_name or "").startswith(PRIVATE_SHOP_PREFIXES)


class PrivatePagesMiddleware:
    """Marks the answers of private URLs `private, no-store` (whatever the view set)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private(getattr(request, "resolver_match", None)):
            patch_cache_control(response, private=True, no_store=True)
        return response
