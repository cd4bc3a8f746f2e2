"""Beat task that moves Digital Link scan counters from Redis into the database."""

from traceability import scans
from worker.celery import app


@app.task(acks_late=True)
def flush_scan_counts() -> int:
    """Add the pending scan counters to ScanCount; safe to run twice. Returns scans added."""
    return scans.flush_scans()
