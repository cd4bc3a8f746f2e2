"""Label sheet task: builds a queued job's PDF through traceability.labels.run_label_job.

Takes the job id only (the request is in the job's cached state). A second run of a finished
job, or one that arrives while another run holds the job, is a no-op, so acks_late
redelivery is safe.
"""

import logging

from traceability import labels
from worker.celery import app

logger = logging.getLogger(__name__)


@app.task(acks_late=True, ignore_result=True)
def build_label_sheet(*, job_id: str) -> str | None:
    """Returns the job's state after the run, or None when the job has expired."""
    try:
        return labels.run_label_job(job_id=job_id).status
    except labels.LabelJobNotFound:
        logger.warning("Label job %s has expired or never existed", job_id)
        return None
