"""Beat tasks that tidy up after time passes. Correctness never waits for them: an expired
hold already counts for nothing (a `held_until > now` predicate); these only clear rows away
and give an unpaid order's stock back."""

import datetime

from django.utils import timezone

from shop import inventory, orders
from worker.celery import app

# Expired holds are kept a while so support can still see what an abandoned cart held.
KEEP_EXPIRED_HOLDS = datetime.timedelta(hours=1)


@app.task(acks_late=True)
def delete_expired_holds() -> int:
    """Delete holds that expired more than an hour ago. Returns how many rows went."""
    return inventory.delete_expired_holds(before=timezone.now() - KEEP_EXPIRED_HOLDS)


@app.task(acks_late=True)
def expire_unpaid_orders() -> int:
    """Expire orders left unpaid past their time and give their stock back."""
    return orders.expire_unpaid_orders(now=timezone.now())
