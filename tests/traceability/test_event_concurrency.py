"""Appends racing on one batch's chain, on PostgreSQL (SQLite serialises writers)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.factories import BatchFactory
from traceability import events
from traceability.models import EventKind, TraceEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with CI=true)")


def test_racing_appends_never_fork_the_chain():
    # Given one batch
    batch = BatchFactory()
    barrier = threading.Barrier(6)
    outcomes = [None] * 6

    def append(index):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = events.append_event(
                batch=batch, kind=EventKind.INSPECTION, occurred_at=timezone.now(),
                place=f"Lab {index}", actor="Inspector",
            )  # fmt: skip
        except events.ChainBusy as busy:
            outcomes[index] = busy
        finally:
            connections.close_all()

    # When six appends start at the same instant
    threads = [threading.Thread(target=append, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then every append either landed or was told to retry, and the chain is one line
    written = [o for o in outcomes if isinstance(o, TraceEvent)]
    assert all(isinstance(o, TraceEvent | events.ChainBusy) for o in outcomes)
    chain = list(TraceEvent.objects.filter(batch=batch).prefetch_related("inputs"))
    assert len(chain) == len(written) >= 3
    assert [e.sequence for e in chain] == list(range(1, len(chain) + 1))
    assert events.verify_chain(chain).valid is True
