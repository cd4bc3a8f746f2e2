"""The dashboard (stock, alerts, orders to pack), the list of batches and one batch's page."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from shop.workspace import selectors
from shop.workspace.access import staff_only
from shop.workspace.views import own_batch
from traceability.links import batch_digital_link, digital_link_path

BATCHES_PER_PAGE = 50


@require_safe
@staff_only
def dashboard(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard(cooperative_id=request.cooperative_id)
    return render(request, "coop/dashboard.html", {"board": board})


@require_safe
@staff_only
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = selectors.all_batches(cooperative_id=request.cooperative_id)
    page = Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "coop/batch_list.html", {"page": page})


@require_safe
@staff_only
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = own_batch(request, batch_id)
    movements, events = selectors.batch_history(batch=batch)
    context = {
        "row": selectors.BatchRow(batch, timezone.localdate()),
        "batch": batch,
        "movements": movements,
        "events": events,
        "trace_path": digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code),
        "trace_link": batch_digital_link(batch),
    }
    return render(request, "coop/batch.html", context)
