"""Production logs are one JSON object a line, each with the request's id."""

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.http import HttpResponse
from django.test import RequestFactory

from shop.request_ids import RequestIdFilter, RequestIdMiddleware

REPO = Path(__file__).resolve().parents[2]

LOG_TWO_LINES = """
import django, logging
django.setup()
logging.getLogger("shop.orders").warning("order %s paid", "OC-7", extra={"total": "25.00"})
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("shop.payments").exception("webhook failed")
"""


def test_production_logging_writes_one_json_object_a_line(tmp_path):
    # given production settings in a fresh process
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="shop.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        OCOP_VAR_DIR=str(tmp_path / "var"),
        LOG_LEVEL="WARNING",
        # Nothing here takes payments; the deploy check about the dummy gateway is not tested here.
        OCOP_ALLOW_DUMMY_PAYMENTS="true",
    )

    # when it logs a warning and an exception
    result = subprocess.run(
        [sys.executable, "-c", LOG_TWO_LINES],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    # then each is one line of JSON with its level, logger, message, request id and UTC time
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert len(lines) == 2, result.stderr
    warning, error = lines
    assert warning["level"] == "WARNING"
    assert warning["logger"] == "shop.orders"
    assert warning["message"] == "order OC-7 paid"
    assert warning["total"] == "25.00"
    assert warning["request_id"] == "-"
    assert warning["time"].endswith("+00:00")
    assert error["level"] == "ERROR"
    assert error["message"] == "webhook failed"
    assert "ZeroDivisionError: division by zero" in error["exc_info"]


def _logging_view(records):
    handler_filter = RequestIdFilter()

    def view(request):
        record = logging.LogRecord("shop", logging.INFO, __file__, 1, "inside", None, None)
        handler_filter.filter(record)
        records.append(record)
        return HttpResponse("ok")

    return view


def test_a_request_keeps_the_proxys_request_id_on_its_log_lines_and_response():
    records = []
    middleware = RequestIdMiddleware(_logging_view(records))

    response = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="proxy-id-1234"))

    assert response["X-Request-ID"] == "proxy-id-1234"
    assert records[0].request_id == "proxy-id-1234"
    # and outside the request the id is gone again
    outside = logging.LogRecord("shop", logging.INFO, __file__, 1, "after", None, None)
    RequestIdFilter().filter(outside)
    assert outside.request_id == "-"


def test_an_odd_request_id_is_replaced_by_a_new_one():
    records = []
    middleware = RequestIdMiddleware(_logging_view(records))

    response = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID='"><script>\n'))

    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"] == records[0].request_id
    assert "<" not in records[0].request_id
