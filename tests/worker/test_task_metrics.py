"""A real prefork Celery worker counts its tasks' outcomes in PROMETHEUS_MULTIPROC_DIR and
serves their sum on CELERY_METRICS_PORT, as the compose worker service does.

Needs Redis (CI=true); skipped without it. The worker has no tables (a fresh SQLite file), so
the task fails: a failure is counted like a success, and needs no shared database."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from worker.celery import app

REPO = Path(__file__).resolve().parents[2]
TASK = "worker.tasks.housekeeping.delete_expired_holds"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _scrape(port: int) -> str | None:
    """The exporter's page (empty before any task ran), None while it is not listening."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
            return response.read().decode()
    except OSError:
        return None


@pytest.fixture
def worker(tmp_path):
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: run with CI=true")
    queue, port = f"metrics-{uuid.uuid4().hex[:8]}", _free_port()
    # a stale file from an earlier run, which worker_init must remove
    (tmp_path / "prom").mkdir()
    (tmp_path / "prom" / "counter_999999.db").write_bytes(b"stale")
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="shop.settings.base",
        REDIS_URL=settings.REDIS_URL,
        OCOP_VAR_DIR=str(tmp_path / "var"),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prom"),
        CELERY_METRICS_PORT=str(port),
    )
    command = [sys.executable, "-m", "celery", "-A", "worker.celery", "worker", "-Q", queue]
    command += ["--concurrency", "2", "--without-gossip", "--without-mingle", "-n", f"{queue}@%h"]
    with open(tmp_path / "worker.log", "wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=log)
    yield queue, port, tmp_path
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# This process runs tasks eagerly; send_task goes to the broker regardless, as meant here.
@pytest.mark.filterwarnings("ignore:task_always_eager has no effect on send_task")
def test_a_prefork_worker_serves_the_sum_of_its_childrens_task_counts(worker):
    queue, port, folder = worker
    expected = f'ocop_celery_tasks_total{{outcome="failure",task="{TASK}"}} 3.0'
    deadline = time.monotonic() + 60
    while _scrape(port) is None and time.monotonic() < deadline:
        time.sleep(0.3)
    assert not (folder / "prom" / "counter_999999.db").exists()

    # when three tasks are queued for it
    with app.connection_for_write(url=settings.REDIS_URL) as connection:
        for _ in range(3):
            app.send_task(TASK, queue=queue, connection=connection)

    # then its exporter shows all three, whichever child ran them
    while expected not in (_scrape(port) or "") and time.monotonic() < deadline:
        time.sleep(0.3)
    assert expected in (_scrape(port) or ""), (folder / "worker.log").read_text()[-3000:]
