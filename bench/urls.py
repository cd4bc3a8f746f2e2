"""The shop's URLs plus /bench/minimal/, the baseline every page is compared with: the same
middleware, gunicorn and process, and a view that does nothing."""

from django.http import HttpResponse
from django.urls import path

from shop import urls as shop_urls


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal, name="bench-minimal"), *shop_urls.urlpatterns]

handler400 = shop_urls.handler400
handler404 = shop_urls.handler404
handler500 = shop_urls.handler500
