"""A real Celery worker, on Redis, against the PostgreSQL test database, delivers an order
email to a real SMTP server.

Needs PostgreSQL and Redis, so it runs with CI=true, where it never skips: anything that
stops it from running is a failure. Without CI=true (embedded SQLite) it is skipped.
"""

import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction

from shop import notifications
from shop.models import OrderEmail
from tests.factories import OrderFactory, OrderLineBatchFactory, OrderLineFactory, VillageFactory
from worker.celery import app

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

IN_CI = os.environ.get("CI", "").lower() == "true"
BASE_DIR = Path(__file__).resolve().parent.parent.parent
DELIVERY_TIMEOUT = 60


def worker_database_url() -> str:
    """The URL of the database pytest-django created for this run (not the dev database)."""
    db = settings.DATABASES["default"]
    credentials = quote(db.get("USER") or "postgres", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def real_broker(settings, monkeypatch):
    """Tasks go through Redis instead of running in this process."""
    if not IN_CI:
        pytest.skip("needs PostgreSQL and Redis: run with CI=true")
    if connection.vendor != "postgresql":
        pytest.fail(f"CI=true but the test database is {connection.vendor}, not PostgreSQL")
    if not settings.REDIS_URL or not app.conf.broker_url.startswith("redis"):
        pytest.fail(f"CI=true but Celery's broker is {app.conf.broker_url!r}, not Redis")
    # app.conf reads Django settings live: patch it first, so the value it restores is
    # the eager one the rest of the suite runs with.
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # A message left by an aborted earlier run would name rows this database never had.
    app.control.purge()


@pytest.fixture
def worker_process(real_broker, smtp_server, tmp_path):
    """`celery worker` in a subprocess, configured from the environment as in production."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shop.settings.base",
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_HOST": smtp_server.host,
        "EMAIL_PORT": str(smtp_server.port),
        "SITE_URL": settings.SITE_URL,
        "OCOP_VAR_DIR": str(tmp_path),
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "worker.celery",
                "worker",
                "--pool=solo",
                "-c",
                "1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"itest-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    process.log_path = log_path
    yield process
    # Warm shutdown closes the worker's database connections before pytest-django flushes
    # the tables and, at the end of the run, drops the test database.
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_until(predicate, timeout: float, process) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.2)
    return predicate()


def worker_log(process) -> str:
    return process.log_path.read_text(errors="replace")[-4000:]


def test_real_worker_on_redis_delivers_the_confirmation(worker_process, smtp_server):
    order = OrderFactory(language="vi", currency="VND", buyer_name="Trần Văn Minh")
    OrderLineBatchFactory(
        line=OrderLineFactory(order=order, product_name="Mật ong hoa nhãn"),
        batch__lot_code="HN2503",
        batch__harvest_date=datetime.date(2025, 3, 5),
        batch__village=VillageFactory(name="Làng Nón Chuông"),
    )

    with transaction.atomic():
        notifications.queue_order_confirmation(order_id=order.pk)

    messages = smtp_server.wait_for(1, timeout=DELIVERY_TIMEOUT)
    assert len(messages) == 1, (
        f"no email within {DELIVERY_TIMEOUT} s; worker exit code {worker_process.poll()}; "
        f"worker log:\n{worker_log(worker_process)}"
    )
    [message] = messages
    assert str(message["Subject"]).strip() == (
        f"Đơn hàng {order.number} đã được xác nhận. Xin cảm ơn!"
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert (
        "    Lô HN2503 · thu hoạch 5 tháng 3, 2025 · từ Làng Nón Chuông, Thành phố Hà Nội"
        in text.splitlines()
    )
    assert wait_until(
        lambda: OrderEmail.objects.filter(order=order, kind="order_confirmation").exists(),
        timeout=10,
        process=worker_process,
    ), worker_log(worker_process)
