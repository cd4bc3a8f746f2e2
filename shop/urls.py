from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from shop.graphql.views import graphql_view

urlpatterns = [
    path("admin/", admin.site.urls),
    path("graphql/", graphql_view, name="graphql"),
    path("", include(("shop.views.urls", "shop"))),
    path("", include("traceability.urls")),
    path("coop/", include(("shop.workspace.urls", "coop"))),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

handler400 = "shop.views.errors.bad_request"
handler404 = "shop.views.errors.page_not_found"
handler500 = "shop.views.errors.server_error"
