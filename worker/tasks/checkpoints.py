"""Beat task that signs the trace checkpoint log's daily heartbeat."""

from traceability import checkpoints
from worker.celery import app


@app.task(acks_late=True)
def sign_daily_checkpoint() -> dict:
    """Sign the day's checkpoint (traceability.checkpoints.daily_checkpoint); a second run
    signs a second heartbeat, which is harmless. Returns what it signed and what it refused."""
    report = checkpoints.daily_checkpoint()
    return {
        "sequence": report.checkpoint.sequence,
        "mismatched": report.mismatched,
        "unsigned": report.unsigned,
    }
