"""robots.txt and sitemap.xml (shop.sitemaps): public, read-only, absolute addresses on the
site's origin (shop.sites)."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from shop import sitemaps
from shop.sites import serves_request_origin, site_url

# Crawlers fetch these a few times a day; a shared cache may keep them an hour.
CRAWLER_FILE_SECONDS = 60 * 60


@require_safe
@cache_control(public=True, max_age=CRAWLER_FILE_SECONDS)
def robots_txt(request: HttpRequest) -> HttpResponse:
    text = sitemaps.robots_txt(sitemap_url=site_url(request) + reverse("shop:sitemap"))
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(public=True, max_age=CRAWLER_FILE_SECONDS)
@serves_request_origin
def sitemap(request: HttpRequest) -> HttpResponse:
    return sitemap_views.sitemap(request, sitemaps=sitemaps.SITEMAPS)
