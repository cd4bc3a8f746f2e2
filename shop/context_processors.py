from django.conf import settings


def storefront(request):
    return {
        "currency": getattr(request, "currency", settings.DEFAULT_CURRENCY),
        "currencies": settings.CURRENCIES,
    }
