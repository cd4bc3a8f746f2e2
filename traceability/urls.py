"""Digital Links live at the site root (/01/…), as GS1 requires; the rest under /trace/."""

from django.urls import path, re_path

from shop.input_guard import checks_own_path
from shop.sites import serves_request_origin
from traceability import (
    views,
    views_checkpoints,
    views_ns,
    views_qr,
    views_recalls,
    views_resolver,
)

app_name = "traceability"

urlpatterns = [
    # The resolver answers an odd path itself (a 400 with CORS headers), NUL bytes included.
    re_path(
        r"^01/(?P<rest>.*)$",
        checks_own_path(serves_request_origin(views_resolver.resolve)),
        name="resolve",
    ),
    re_path(
        r"^(?P<key>00|253|255|40[12]|41[0-57]|800[346]|801[0378])/(?P<rest>.*)$",
        checks_own_path(serves_request_origin(views_resolver.resolve_key)),
        name="resolve_key",
    ),
    path(
        ".well-known/gs1resolver",
        serves_request_origin(views_resolver.resolver_description),
        name="resolver_description",
    ),
    path("trace/checkpoints/", views_checkpoints.checkpoint_log, name="checkpoints"),
    path("ns/trace", views_ns.vocabulary, name="namespace"),
    path("ns/trace/standards/<path:name>", views_ns.standard, name="standard"),
    # QR images of a lot's Digital Link: /trace/qr/<gtin>/<lot>.svg and .png.
    re_path(
        r"^trace/qr/(?P<gtin>[^/]+)/(?P<lot>.+)\.(?P<kind>svg|png)$", views_qr.qr_image, name="qr"
    ),
    path("trace/report/", views.report, name="report"),
    path("trace/report/sent/", views.report_sent, name="report_sent"),
    path("trace/recalls/", views_recalls.recall_list, name="recalls"),
    path("trace/recalls/<int:recall_id>/", views_recalls.recall_detail, name="recall"),
    path("trace/recalls/<int:recall_id>/report.csv", views_recalls.recall_csv, name="recall_csv"),
    # A compressed Digital Link is one base64url segment at the root: last, after every
    # named page, so it only sees paths nothing else answers.
    re_path(
        r"^(?P<compressed>[A-Za-z0-9_-]{10,})$",
        checks_own_path(serves_request_origin(views_resolver.resolve_compressed)),
        name="resolve_compressed",
    ),
]
