"""Sales per batch and per product, and one batch's QR scans by day and by country, as SVG
charts drawn on the server."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from shop.identifiers import parse_id
from shop.models import Batch
from shop.workspace import charts, insight, selectors
from shop.workspace.access import staff_only


@require_safe
@staff_only
def insight_page(request: HttpRequest) -> HttpResponse:
    coop_id = request.cooperative_id
    per_batch = insight.sales_per_batch(cooperative_id=coop_id)
    per_product = insight.sales_per_product(cooperative_id=coop_id)
    batches = selectors.batch_choices(cooperative_id=coop_id)
    batch_id = parse_id(request.GET.get("batch", ""))
    if batch_id is None:
        batch_id = insight.most_scanned_batch(cooperative_id=coop_id) or (
            batches[0][0] if batches else None
        )
    try:
        scans = insight.batch_scans(cooperative_id=coop_id, batch_id=batch_id) if batch_id else None
    except Batch.DoesNotExist as exc:
        raise Http404(_("No such batch.")) from exc
    context = {
        "per_batch": per_batch,
        "per_product": per_product,
        "batch_chart": charts.bar_chart(
            [(row.label, row.units) for row in per_batch], title=_("Units sold per batch")
        ),
        "product_chart": charts.bar_chart(
            [(row.label, row.units) for row in per_product], title=_("Units sold per product")
        ),
        "batches": batches,
        "scans": scans,
    }
    if scans and scans.total:
        context["day_chart"] = charts.line_chart(scans.days, title=_("QR scans per day"))
        context["country_chart"] = charts.bar_chart(
            scans.countries, title=_("QR scans per country")
        )
    return render(request, "coop/insight.html", context)
