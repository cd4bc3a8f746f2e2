"""/metrics: request figures, Celery task counts and the shop's own figures (holds, orders by
status, trace scans, read from the database), for the loopback or a bearer of METRICS_TOKEN
only."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client import REGISTRY

from shop import inventory
from shop.models import OrderStatus
from tests.factories import BatchFactory, CartFactory, OrderFactory
from traceability.models import ScanCount
from worker.tasks import housekeeping

pytestmark = pytest.mark.django_db


def _line(text: str, name: str) -> str:
    [line] = [line for line in text.splitlines() if line.startswith(name + " ")]
    return line


def test_metrics_show_request_figures_and_the_shops_own_figures(client):
    # given two live holds (3 units), a paid and an unpaid order, and 7 counted scans
    batch = BatchFactory(quantity_received=10)
    inventory.hold(cart=CartFactory(), variant=batch.variant, quantity=1)
    inventory.hold(cart=CartFactory(), variant=batch.variant, quantity=2)
    OrderFactory(status=OrderStatus.PAID)
    OrderFactory()
    ScanCount.objects.create(batch=batch, day=timezone.localdate(), country="DE", count=7)
    client.get("/healthz")

    # when Prometheus scrapes from the loopback (the test client's address)
    response = client.get("/metrics")

    # then the request figures and the shop's figures are there
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'django_http_requests_total_by_method_total{method="GET"}' in text
    assert 'django_http_responses_total_by_status_total{status="200"}' in text
    assert _line(text, "ocop_shop_figures_up") == "ocop_shop_figures_up 1.0"
    assert _line(text, "ocop_stock_holds_live") == "ocop_stock_holds_live 2.0"
    assert _line(text, "ocop_stock_units_held") == "ocop_stock_units_held 3.0"
    assert _line(text, 'ocop_orders{status="paid"}') == 'ocop_orders{status="paid"} 1.0'
    assert _line(text, 'ocop_orders{status="unpaid"}') == 'ocop_orders{status="unpaid"} 1.0'
    assert _line(text, 'ocop_orders{status="shipped"}') == 'ocop_orders{status="shipped"} 0.0'
    assert _line(text, "ocop_trace_scans_total") == "ocop_trace_scans_total 7.0"
    assert "no-store" in response["Cache-Control"]


def test_expired_holds_are_not_counted(client):
    batch = BatchFactory(quantity_received=10)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    inventory.hold(cart=CartFactory(), variant=batch.variant, quantity=4, now=an_hour_ago)

    text = client.get("/metrics").content.decode()

    assert _line(text, "ocop_stock_holds_live") == "ocop_stock_holds_live 0.0"
    assert _line(text, "ocop_stock_units_held") == "ocop_stock_units_held 0.0"


def test_celery_task_outcomes_are_counted(client):
    # given the task's success count so far
    name = "worker.tasks.housekeeping.delete_expired_holds"
    labels = {"task": name, "outcome": "success"}
    before = REGISTRY.get_sample_value("ocop_celery_tasks_total", labels) or 0

    # when the task runs (eagerly here, as in the embedded default)
    housekeeping.delete_expired_holds.delay()

    # then its success is counted and shows on /metrics
    assert REGISTRY.get_sample_value("ocop_celery_tasks_total", labels) == before + 1
    text = client.get("/metrics").content.decode()
    assert f'ocop_celery_tasks_total{{outcome="success",task="{name}"}} {float(before + 1)}' in text


@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        # a proxy on the same host connects from the loopback, forwarding someone else
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer not-the-token"},
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer "},
    ],
)
@override_settings(METRICS_TOKEN="metrics-token-from-the-environment")
def test_metrics_are_refused_to_other_clients(client, headers):
    OrderFactory(status=OrderStatus.PAID)

    response = client.get("/metrics", **headers)

    assert response.status_code == 403
    assert b"ocop_" not in response.content
    assert b"django_http" not in response.content


@override_settings(METRICS_TOKEN="")
def test_without_a_token_set_no_bearer_is_accepted(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 403


@override_settings(METRICS_TOKEN="metrics-token-from-the-environment")
def test_metrics_answer_a_remote_scraper_with_the_token(client):
    response = client.get(
        "/metrics",
        REMOTE_ADDR="203.0.113.9",
        HTTP_AUTHORIZATION="Bearer metrics-token-from-the-environment",
    )

    assert response.status_code == 200
    assert b"ocop_orders{" in response.content
