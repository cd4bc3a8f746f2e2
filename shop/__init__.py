# The Celery app loads with Django so that tasks queued from the web process use its
# configuration (Celery's documented Django layout).
from worker.celery import app as celery_app

__all__ = ["celery_app"]
