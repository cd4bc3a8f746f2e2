"""Digital Links live at the site root (/01/…), as GS1 requires; the rest under /trace/."""

from django.urls import path, re_path

from shop.input_guard import checks_own_path
from traceability import views, views_recalls

app_name = "traceability"

urlpatterns = [
    # The resolver answers an odd path itself (a 400 with CORS headers), NUL bytes included.
    re_path(r"^01/(?P<rest>.*)$", checks_own_path(views.resolve), name="resolve"),
    path(".well-known/gs1resolver", views.resolver_description, name="resolver_description"),
    path("trace/report/", views.report, name="report"),
    path("trace/report/sent/", views.report_sent, name="report_sent"),
    path("trace/recalls/", views_recalls.recall_list, name="recalls"),
    path("trace/recalls/<int:recall_id>/", views_recalls.recall_detail, name="recall"),
    path("trace/recalls/<int:recall_id>/report.csv", views_recalls.recall_csv, name="recall_csv"),
]
