"""The cooperatives' daily digest (beat, each morning in Vietnam).

With no arguments the task queues one run per cooperative that has staff; with a
cooperative id it sends that cooperative's digest through shop.workspace.digest.send_digest.
A second run on the same day sends nothing (the DigestSent claim), so acks_late redelivery
and retries are safe. SMTP trouble retries with the order emails' backoff.
"""

import logging

from shop.models import Cooperative
from shop.workspace import digest
from worker.celery import app
from worker.tasks.emails import RETRY_POLICY

logger = logging.getLogger(__name__)


@app.task(**RETRY_POLICY)
def send_daily_digests(*, cooperative_id: int | None = None) -> int:
    """Returns the emails sent by this run (cooperatives queued, without an id)."""
    if cooperative_id is None:
        ids = digest.cooperatives_with_staff()
        for each in ids:
            # One task per cooperative: one SMTP failure retries that cooperative alone.
            send_daily_digests.delay(cooperative_id=each)
        return len(ids)
    try:
        return digest.send_digest(cooperative_id=cooperative_id)
    except Cooperative.DoesNotExist:
        logger.warning("No digest: cooperative %s no longer exists", cooperative_id)
        return 0
