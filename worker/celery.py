"""The Celery app. Tasks live in worker.tasks.* and each calls one service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.base")

app = Celery("ocop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["worker"], related_name="tasks", force=True)
