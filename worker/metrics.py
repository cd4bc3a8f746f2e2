"""Prometheus counters for Celery tasks: how many ran, by task name and outcome.

Counted on Celery's task_success, task_failure and task_retry signals. That is observability,
not workflow: no business rule hangs on these receivers, and a failing receiver changes
nothing but a number (the house rule "no signals as glue" is about workflow).

Where the numbers are read. A worker's tasks run in its prefork children, so each child
writes its counts to PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess mode), and
when CELERY_METRICS_PORT is set the worker's main process serves their sum over HTTP on that
port (docker-compose.yml sets both for the worker service). Tasks run eagerly in the web
process (the embedded default, tests) count in that process and show on its /metrics.
"""

import glob
import os

from celery.signals import task_failure, task_retry, task_success, worker_init, worker_ready
from prometheus_client import CollectorRegistry, Counter, multiprocess, start_http_server

TASKS = Counter(
    "ocop_celery_tasks",
    "Celery tasks finished, by task name and outcome (success, failure, retry).",
    ["task", "outcome"],
)


def _task_name(sender) -> str:
    return getattr(sender, "name", None) or str(sender)


@task_success.connect(weak=False)
def _count_success(sender=None, **_kwargs) -> None:
    TASKS.labels(task=_task_name(sender), outcome="success").inc()


@task_failure.connect(weak=False)
def _count_failure(sender=None, **_kwargs) -> None:
    TASKS.labels(task=_task_name(sender), outcome="failure").inc()


@task_retry.connect(weak=False)
def _count_retry(sender=None, request=None, **_kwargs) -> None:
    # task_retry's sender is the task's request, whose `task` is the task's name.
    name = getattr(request, "task", None) or getattr(sender, "task", None) or _task_name(sender)
    TASKS.labels(task=name, outcome="retry").inc()


@worker_init.connect(weak=False)
def _clear_dead_workers_counts(**_kwargs) -> None:
    """A restarted container keeps /tmp: counts of the previous run's processes would be
    added to this run's, so they are removed before the pool starts."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if not directory:
        return
    os.makedirs(directory, exist_ok=True)
    for path in glob.glob(os.path.join(directory, "*.db")):
        if not path.endswith(f"_{os.getpid()}.db"):
            os.remove(path)


@worker_ready.connect(weak=False)
def _serve_metrics(**_kwargs) -> None:
    port = os.environ.get("CELERY_METRICS_PORT", "")
    if not port or not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    start_http_server(int(port), registry=registry)
