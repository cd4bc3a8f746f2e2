from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from shop.graphql.views import graphql_view
from shop.media import serve_media
from shop.views import health, metrics

urlpatterns = [
    # Probes and Prometheus (shop.views.health, shop.views.metrics): first, cheap, uncached.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("graphql/", graphql_view, name="graphql"),
    path("", include(("shop.views.urls", "shop"))),
    path("", include("traceability.urls")),
    path("coop/", include(("shop.workspace.urls", "coop"))),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve_media, {"document_root": settings.MEDIA_ROOT})
    )

handler400 = "shop.views.errors.bad_request"
handler404 = "shop.views.errors.page_not_found"
handler500 = "shop.views.errors.server_error"
