from django.conf import settings

from shop import currency_rates, languages


class CurrencyMiddleware:
    """Reads the shopper's currency from a cookie (no session, so no query per page); a
    visitor without one gets the currency of their locale (EUR for de-DE, fr-BE, ..., JPY
    for ja, KRW for ko). A converted currency (JPY, KRW) reads the exchange rates here, once
    for the whole request (shop.currency_rates); the stored ones need no query.

    Runs after LocaleMiddleware (request.LANGUAGE_CODE) and before any view, so the page
    cache's key (shop.pagecache) already holds the currency chosen here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Exchange rates are read at most once per request (shop.currency_rates).
        currency_rates.forget()
        chosen = request.COOKIES.get(settings.CURRENCY_COOKIE_NAME, "")
        if chosen in settings.CURRENCIES:
            request.currency = chosen
        else:
            request.currency = languages.default_currency(
                accept_language=request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
                language=getattr(request, "LANGUAGE_CODE", None),
            )
        # JPY/KRW before the admin has entered a rate: prices in the default currency
        # rather than none (stored currencies need no query here).
        if not currency_rates.usable(request.currency):
            request.currency = settings.DEFAULT_CURRENCY
        return self.get_response(request)
