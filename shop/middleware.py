from django.conf import settings


class CurrencyMiddleware:
    """Reads the shopper's currency from a cookie (no session, so no query per page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.CURRENCY_COOKIE_NAME, "")
        request.currency = chosen if chosen in settings.CURRENCIES else settings.DEFAULT_CURRENCY
        return self.get_response(request)
