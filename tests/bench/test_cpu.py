"""CPU time from /proc, as the benchmarks read it for gunicorn's workers and PostgreSQL's
backends (bench.harness.cpu)."""

import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.harness import cpu

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def test_a_busy_child_shows_its_cpu_time_under_its_parent():
    # given a child process that spins for 0.3 s of CPU
    child = subprocess.Popen(
        [sys.executable, "-c", "import time\nend = time.process_time() + 0.3\n"
         "while time.process_time() < end: pass\ntime.sleep(5)"]
    )  # fmt: skip
    try:
        before = cpu.Snapshot(workers={}, master=0.0, database={})
        deadline = time.monotonic() + 10
        while cpu.cpu_seconds(child.pid) < 0.3 and time.monotonic() < deadline:
            time.sleep(0.05)

        # when the parent's children are read
        now = cpu.snapshot(os.getpid())
    finally:
        child.kill()
        child.wait()

    # then the child is one of them, with its spin, counted from zero as a new process
    assert child.pid in now.workers
    assert 0.3 <= cpu.spent(before, now).workers < 2.0


def test_a_gone_process_reads_as_zero_and_no_requests_as_nan():
    assert cpu.cpu_seconds(2**22 + 1) == 0.0
    assert math.isnan(cpu.per_request_ms(1.0, 0))
    assert cpu.per_request_ms(0.5, 100) == 5.0


def test_peak_memory_of_this_process_is_read_and_of_a_gone_one_is_zero():
    # given this very process, which holds a Python interpreter with Django loaded
    # when its peak resident memory is read / then it is some MB, and 0 for a pid that is gone
    assert 10 < cpu.peak_memory_mb(os.getpid()) < 4096
    assert cpu.peak_memory_mb(2**22 + 7) == 0.0
