"""Digital Links live at the site root (/01/…), as GS1 requires; the rest under /trace/."""

from django.urls import path, re_path

from traceability import views

app_name = "traceability"

urlpatterns = [
    re_path(r"^01/(?P<rest>.*)$", views.resolve, name="resolve"),
    path(".well-known/gs1resolver", views.resolver_description, name="resolver_description"),
    path("trace/report/", views.report, name="report"),
    path("trace/report/sent/", views.report_sent, name="report_sent"),
]
