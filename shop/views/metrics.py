"""/metrics for Prometheus: request figures (django-prometheus), Celery task counts
(worker.metrics) and the shop's own figures read from the database at scrape time.

Why read the shop's figures from the database. Holds, orders and scans are rows already;
a gauge computed from them is the same whichever gunicorn worker answers the scrape, needs
no multiprocess files, and cannot drift from the ledger. Three aggregate queries per scrape.

Who may read it. The figures say how much the shop sells, so /metrics answers only a client
on the loopback interface that came through no proxy (the compose health check, a sidecar),
or one sending `Authorization: Bearer <METRICS_TOKEN>` when that variable is set. Anyone
else gets a plain 403.
"""

import hmac
import ipaddress
import os

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from shop.models import Order, OrderStatus, StockHold
from traceability.models import ScanCount


class ShopCollector:
    """Live holds, orders by status and trace scans counted so far, read at scrape time.
    Scans still buffered in Redis (traceability.scans) show after the next flush."""

    def collect(self):
        up = GaugeMetricFamily("ocop_shop_figures_up", "1 when the shop's figures were read.")
        try:
            figures = list(self._figures())
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from figures

    def _figures(self):
        holds = StockHold.objects.live(timezone.now()).aggregate(
            holds=Count("pk"), units=Coalesce(Sum("quantity"), 0)
        )
        yield GaugeMetricFamily("ocop_stock_holds_live", "Cart holds in force.", holds["holds"])
        yield GaugeMetricFamily(
            "ocop_stock_units_held", "Units held by carts in force.", holds["units"]
        )
        by_status = dict(Order.objects.order_by().values_list("status").annotate(n=Count("pk")))
        orders = GaugeMetricFamily("ocop_orders", "Orders by status.", labels=["status"])
        for status in OrderStatus.values:
            orders.add_metric([status], by_status.get(status, 0))
        yield orders
        scans = ScanCount.objects.aggregate(total=Coalesce(Sum("count"), 0))["total"]
        yield CounterMetricFamily("ocop_trace_scans", "Digital Link scans counted.", scans)


def _allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer "):
        return hmac.compare_digest(sent.removeprefix("Bearer ").encode(), token.encode())
    try:
        loopback = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
    # A proxy on the same host connects from the loopback too: what it forwards is not local.
    return loopback and "X-Forwarded-For" not in request.headers


def _exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # gunicorn workers (shop.gunicorn_config): every worker's figures, added up.
        process_registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(process_registry)
    else:
        process_registry = REGISTRY
    shop_registry = CollectorRegistry()
    shop_registry.register(ShopCollector())
    return generate_latest(process_registry) + generate_latest(shop_registry)


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponseForbidden("Forbidden\n", content_type="text/plain")
    return HttpResponse(_exposition(), content_type=CONTENT_TYPE_LATEST)
