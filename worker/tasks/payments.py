"""Beat task asking Stripe about payments whose webhook never came (shop.payments.reconciliation).
Safe to run twice: each answer is applied through the same idempotent rules as a webhook."""

from dataclasses import asdict

from django.utils import timezone

from shop.payments import reconciliation
from worker.celery import app


@app.task(acks_late=True)
def reconcile_stripe_payments() -> dict[str, int]:
    """Returns the run's counts (checked, paid, unreachable, refunds completed/pending)."""
    return asdict(reconciliation.reconcile_payments(now=timezone.now()))
