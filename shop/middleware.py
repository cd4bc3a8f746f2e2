from django.conf import settings

from shop import languages


class CurrencyMiddleware:
    """Reads the shopper's currency from a cookie (no session, so no query per page); a
    visitor without one gets the currency of their locale (EUR for de-DE, fr-BE, ...).

    Runs after LocaleMiddleware (request.LANGUAGE_CODE) and before any view, so the page
    cache's key (shop.pagecache) already holds the currency chosen here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.CURRENCY_COOKIE_NAME, "")
        if chosen in settings.CURRENCIES:
            request.currency = chosen
        else:
            request.currency = languages.default_currency(
                accept_language=request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
                language=getattr(request, "LANGUAGE_CODE", None),
            )
        return self.get_response(request)
