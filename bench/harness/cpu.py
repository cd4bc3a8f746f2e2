"""CPU time the web server's processes spent, read from /proc (Linux): what a page costs
the server, which req/s alone hides when the load generator or other work shares the cores.

gunicorn's workers are the master's children. PostgreSQL's backends serving the bench
database (found in pg_stat_activity; the server runs on this machine, 127.0.0.1) are read
the same way: the SQL's own cost, which a worker only waits for.
"""

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float:
    """utime + stime of one process, in seconds; 0 for a process that is gone (or no /proc)."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return 0.0
    # The command name (field 2) may hold spaces: the fields after it start past its ")".
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def peak_memory_mb(pid: int) -> float:
    """The most resident memory the process has used so far (VmHWM), in MB; 0 if gone."""
    try:
        status = (PROC / str(pid) / "status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    """The child processes of `pid` (gunicorn's workers of its master)."""
    found = []
    for entry in PROC.glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def database_backends(conn, database: str) -> list[int]:
    """Pids of the PostgreSQL backends connected to `database`, but for `conn`'s own."""
    rows = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        [database],
    ).fetchall()
    return [pid for (pid,) in rows]


@dataclass(frozen=True)
class Snapshot:
    workers: dict[int, float]
    master: float
    database: dict[int, float]


@dataclass(frozen=True)
class Spent:
    workers: float
    master: float
    database: float


def snapshot(master_pid: int, database_pids: list[int] = ()) -> Snapshot:
    return Snapshot(
        workers={pid: cpu_seconds(pid) for pid in children(master_pid)},
        master=cpu_seconds(master_pid),
        database={pid: cpu_seconds(pid) for pid in database_pids},
    )


def _grown(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def spent(before: Snapshot, after: Snapshot) -> Spent:
    """Seconds of CPU the workers, the master and the database backends spent between two
    snapshots. A process started in between counts from zero; one that ended in between is
    lost (gunicorn's sync workers and their persistent database connections live as long as
    the server unless a worker crashes, which the log shows)."""
    return Spent(
        workers=_grown(before.workers, after.workers),
        master=after.master - before.master,
        database=_grown(before.database, after.database),
    )


def per_request_ms(seconds: float, requests: int) -> float:
    """Milliseconds of CPU per request; NaN when nothing was answered."""
    return seconds * 1000 / requests if requests else float("nan")
