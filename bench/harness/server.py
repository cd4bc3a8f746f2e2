"""gunicorn serving the project on 127.0.0.1, started and stopped by the benchmark."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class ServerDidNotStart(RuntimeError):
    pass


@dataclass(frozen=True)
class Server:
    url: str  # the base URL, http://127.0.0.1:<port>
    pid: int  # gunicorn's master; its children are the workers (bench.harness.cpu)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port: int, path: str) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False


@contextlib.contextmanager
def gunicorn(
    *,
    settings_module: str,
    workers: int,
    ready_path: str,
    log_path: Path,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Serve shop.wsgi with `workers` sync workers; yields its base URL and master's pid.

    Waits until `ready_path` answers 200 (at most 60 s) and stops the server, and only it,
    on the way out. `env`: variables set for the server only (PAGE_CACHE_SECONDS=0, say).
    """
    port = free_port()
    env = {**os.environ, **(env or {}), "DJANGO_SETTINGS_MODULE": settings_module}
    command = [
        sys.executable, "-m", "gunicorn", "shop.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", "sync", "--log-level", "warning",
    ]  # fmt: skip
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while not answers(port, ready_path):
            if server.poll() is not None or time.monotonic() > deadline:
                raise ServerDidNotStart(f"gunicorn did not answer; see {log_path}")
            time.sleep(0.2)
        yield Server(url=f"http://127.0.0.1:{port}", pid=server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
