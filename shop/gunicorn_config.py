"""gunicorn settings for the web service: `gunicorn shop.wsgi -c python:shop.gunicorn_config`.

Prometheus' request metrics (django-prometheus) live in each gunicorn worker's memory, and a
scrape of /metrics reaches one worker only. prometheus_client's multiprocess mode keeps every
worker's figures in files under PROMETHEUS_MULTIPROC_DIR and /metrics adds them up; the
variable must be set before prometheus_client is imported, which is why it is set here, in
the master, before any worker loads the application. The shop's own figures (holds, orders,
scans) are read from the database at scrape time and need none of this.
"""

import os
import shutil

# Before the import below: prometheus_client picks its storage when first imported.
METRICS_DIR = os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "/tmp/ocop-prometheus")

from prometheus_client import multiprocess  # noqa: E402


def on_starting(server) -> None:
    """Files left by a previous run would be added to this run's figures: start empty."""
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    os.makedirs(METRICS_DIR)


def child_exit(server, worker) -> None:
    multiprocess.mark_process_dead(worker.pid)
