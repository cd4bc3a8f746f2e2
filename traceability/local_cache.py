"""A web process's own copy of the trace pages it just answered, and a buffer of their scans.

A QR code on a shelf of jars is scanned over and over. With both settings below above zero
(shop.settings.production, the benchmark), such a scan costs the process no network round
trip at all: the view answers a request it answered a moment ago (same link, query, Accept
and language; traceability.views) from this process's memory, and the scan is added to a
counter that a background thread sends to Redis (traceability.scans.record_scans, one
pipelined round trip) every TRACE_SCAN_BUFFER_SECONDS, and once more when the process exits.

What it costs, and why it is bounded:
- TRACE_LOCAL_PAGE_SECONDS: another process's invalidation reaches this copy only when it
  expires, so a change (a recall included) shows on every process within that many seconds
  (browsers may keep the page PAGE_MAX_AGE = 60 s anyway). The process that invalidates
  drops its own copy at once, and at most LOCAL_ENTRIES pages are kept.
- TRACE_SCAN_BUFFER_SECONDS: a process killed outright (SIGKILL, OOM) loses the scans of its
  last interval. A graceful stop, or a restart after max_requests, sends them.

Both default to 0 (off): every scan is then counted in Redis as it happens and every read
goes to the shared cache, as the tests and the embedded development server expect.
"""

import atexit
import datetime
import os
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Hashable

from django.conf import settings

from traceability import scans

LOCAL_ENTRIES = 256

_lock = threading.Lock()
# key -> (expiry on the monotonic clock, entry); an entry's first item is its batch id.
_pages: OrderedDict[Hashable, tuple[float, tuple]] = OrderedDict()
_buffer: Counter = Counter()
_flusher_pid: int | None = None


def _page_seconds() -> float:
    return float(getattr(settings, "TRACE_LOCAL_PAGE_SECONDS", 0))


def _buffer_seconds() -> float:
    return float(getattr(settings, "TRACE_SCAN_BUFFER_SECONDS", 0))


def get(key: Hashable) -> tuple | None:
    """The entry kept under `key` by this process, while it is fresh."""
    if _page_seconds() <= 0:
        return None
    found = _pages.get(key)
    if found is None or found[0] < time.monotonic():
        return None
    return found[1]


def put(key: Hashable, entry: tuple) -> None:
    seconds = _page_seconds()
    if seconds <= 0:
        return
    with _lock:
        _pages[key] = (time.monotonic() + seconds, entry)
        _pages.move_to_end(key)
        while len(_pages) > LOCAL_ENTRIES:
            _pages.popitem(last=False)


def forget(batch_ids: set[int]) -> None:
    """Drop this process's copies of these batches' pages (the invalidation's own process)."""
    with _lock:
        for key in [k for k, (_expiry, entry) in _pages.items() if entry[0] in batch_ids]:
            del _pages[key]


def buffering() -> bool:
    return _buffer_seconds() > 0


def count_scan(*, batch_id: int, country: str, day: datetime.date) -> None:
    """Count one scan: into the buffer when buffering, else in Redis at once."""
    if not buffering():
        scans.record_scan(batch_id=batch_id, country=country, day=day)
        return
    _start_flusher()
    with _lock:
        _buffer[(day, batch_id, country)] += 1


def flush() -> int:
    """Send the buffered scans to the shared counters. Returns how many were sent."""
    global _buffer
    with _lock:
        counts, _buffer = _buffer, Counter()
    if counts:
        scans.record_scans(counts=counts)
    return sum(counts.values())


def _flush_every(seconds: float) -> None:
    while True:
        time.sleep(seconds)
        flush()


def _start_flusher() -> None:
    """One daemon flusher per process, started in the process that buffers (a gunicorn
    worker starts its own after the fork), and a last flush when the process exits."""
    global _flusher_pid, _buffer
    if _flusher_pid == os.getpid():
        return
    with _lock:
        if _flusher_pid == os.getpid():
            return
        if _flusher_pid is not None:
            _buffer = Counter()  # forked: the parent's scans are the parent's to send
        _flusher_pid = os.getpid()
    threading.Thread(
        target=_flush_every, args=(_buffer_seconds(),), name="scan-flusher", daemon=True
    ).start()
    atexit.register(flush)
