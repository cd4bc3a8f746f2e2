"""The Celery app. Tasks live in worker.tasks.* and each calls one service."""

import os
import pkgutil

from celery import Celery
from celery.schedules import crontab

import worker.metrics  # noqa: F401  (task counters: observability, see the module)
import worker.tasks

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.base")

app = Celery("ocop")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Every module in worker/tasks/, imported lazily: task modules import Django models, so the
# worker must import them after its Django fixup has run django.setup().
app.autodiscover_tasks(
    [f"worker.tasks.{module.name}" for module in pkgutil.iter_modules(worker.tasks.__path__)],
    related_name=None,
)

MINUTE = 60
app.conf.beat_schedule = {
    # Housekeeping only: expired holds already count for nothing.
    "delete-expired-holds": {
        "task": "worker.tasks.housekeeping.delete_expired_holds",
        "schedule": 15 * MINUTE,
    },
    "expire-unpaid-orders": {
        "task": "worker.tasks.housekeeping.expire_unpaid_orders",
        "schedule": 1 * MINUTE,
    },
    # An order email whose task was lost (broker down at commit, worker killed) is sent.
    "requeue-pending-emails": {
        "task": "worker.tasks.emails.requeue_pending_emails",
        "schedule": 1 * MINUTE,
    },
    # A recall whose buyers are not all told (task lost, mail server refusing) tries again.
    "requeue-recall-notices": {
        "task": "worker.tasks.recalls.requeue_recall_notices",
        "schedule": 10 * MINUTE,
    },
    # A lost Stripe webhook never leaves a paid order unpaid (shop.payments.reconciliation).
    "reconcile-stripe-payments": {
        "task": "worker.tasks.payments.reconcile_stripe_payments",
        "schedule": 5 * MINUTE,
    },
    # Scan counters wait in Redis until this moves them into ScanCount.
    "flush-trace-scans": {
        "task": "worker.tasks.scans.flush_scan_counts",
        "schedule": 1 * MINUTE,
    },
    # 23:00 UTC is 06:00 in Vietnam (CELERY_TIMEZONE is UTC): before the day's packing.
    "cooperative-daily-digest": {
        "task": "worker.tasks.digest.send_daily_digests",
        "schedule": crontab(hour=23, minute=0),
    },
    # The trace checkpoint log's heartbeat: signed daily even when no record changed.
    "sign-daily-trace-checkpoint": {
        "task": "worker.tasks.checkpoints.sign_daily_checkpoint",
        "schedule": crontab(hour=17, minute=5),  # 00:05 in Vietnam
    },
}
