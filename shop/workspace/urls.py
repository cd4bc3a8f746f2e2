"""The cooperative workspace, mounted at /coop/ under the "coop" namespace."""

from django.urls import path

from shop.sites import serves_request_origin
from shop.workspace.views import (
    assembly,
    corrections,
    customs,
    dashboard,
    imports,
    insight,
    labels,
    orders,
    photos,
    reports,
    stock,
)

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("batches/", dashboard.batch_list, name="batch_list"),
    path("batches/receive/", stock.receive, name="receive"),
    path("batches/<int:batch_id>/", serves_request_origin(dashboard.batch_detail), name="batch"),
    path("batches/<int:batch_id>/adjust/", stock.adjust, name="adjust"),
    path("batches/<int:batch_id>/events/add/", stock.add_event, name="add_event"),
    path("batches/<int:batch_id>/recall/", stock.recall, name="recall"),
    path("batches/<int:batch_id>/correct/", corrections.correct, name="correct"),
    path("import/", imports.import_batches, name="import"),
    path("import/template.<str:extension>", imports.import_template, name="import_template"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<str:number>/", orders.order_detail, name="order"),
    path("orders/<str:number>/slip/", orders.packing_slip, name="packing_slip"),
    path("orders/<str:number>/customs.pdf", customs.customs_declaration, name="customs"),
    path("orders/<str:number>/packed/", orders.mark_packed, name="mark_packed"),
    path("orders/<str:number>/shipped/", orders.mark_shipped, name="mark_shipped"),
    path("orders/<str:number>/delivered/", orders.mark_delivered, name="mark_delivered"),
    path("orders/<str:number>/repack/", orders.repack, name="repack"),
    path("boxes/", assembly.box_list, name="boxes"),
    path("boxes/<int:variant_id>/", assembly.assemble, name="assemble"),
    path("transfers/<int:transfer_id>/sent/", assembly.mark_sent, name="transfer_sent"),
    path("transfers/<int:transfer_id>/received/", assembly.mark_received, name="transfer_received"),
    path("labels/", serves_request_origin(labels.label_sheet), name="labels"),
    path("labels/jobs/<str:job_id>/", labels.label_job, name="label_job"),
    path("labels/jobs/<str:job_id>/sheet.pdf", labels.label_job_pdf, name="label_job_pdf"),
    path("insight/", insight.insight_page, name="insight"),
    path("reports/", reports.report_list, name="reports"),
    path("photos/", photos.photo_list, name="photos"),
    path("photos/products/<int:product_id>/", photos.product_photos, name="product_photos"),
    path(
        "photos/products/remove/<int:photo_id>/",
        photos.remove_product_photo,
        name="remove_product_photo",
    ),
    path("photos/cooperative/", photos.cooperative_photos, name="cooperative_photos"),
    path(
        "photos/cooperative/remove/<int:photo_id>/",
        photos.remove_cooperative_photo,
        name="remove_cooperative_photo",
    ),
    path("reports/<int:report_id>/resolved/", reports.mark_report, name="mark_report"),
]
