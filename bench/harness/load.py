"""A bounded load generator for 127.0.0.1 only: wrk when installed, else Python threads.

Every run has a fixed duration and stops by itself; any answer other than 200 counts as an
error, and the caller treats errors as a failed measurement.
"""

import http.client
import re
import shutil
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    requests_per_second: float
    requests: int
    errors: int


class NotLoopback(ValueError):
    pass


def loopback_parts(url: str) -> tuple[str, int, str]:
    """(host, port, path with its query string) of a URL on this machine."""
    parts = urllib.parse.urlsplit(url)
    if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise NotLoopback(f"load is only ever sent to this machine, not {parts.hostname}")
    path = parts.path or "/"
    return parts.hostname, parts.port or 80, f"{path}?{parts.query}" if parts.query else path


def measure(url: str, *, seconds: float, connections: int, loader: str = "auto") -> Result:
    loopback_parts(url)
    if loader == "wrk" or (loader == "auto" and shutil.which("wrk")):
        return with_wrk(url, seconds=seconds, connections=connections)
    return with_threads(url, seconds=seconds, connections=connections)


def with_wrk(url: str, *, seconds: float, connections: int) -> Result:
    # One wrk thread: the server needs the machine's cores more than the client does.
    duration = max(1, round(seconds))
    output = subprocess.run(
        ["wrk", "--threads", "1", "--connections", str(connections),
         "--duration", f"{duration}s", "--timeout", "10s", url],
        capture_output=True, text=True, check=True, timeout=duration + 60,
    ).stdout  # fmt: skip
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read \d+, write \d+, timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += int(socket_errors.group(1)) + int(socket_errors.group(2))
    return Result(rate, requests, errors)


def with_threads(url: str, *, seconds: float, connections: int) -> Result:
    host, port, path = loopback_parts(url)
    counts = [0] * connections
    errors = [0] * connections
    started = time.monotonic()
    stop = started + seconds

    def work(index: int) -> None:
        while time.monotonic() < stop:
            conn = http.client.HTTPConnection(host, port, timeout=10)
            try:
                conn.request("GET", path, headers={"Connection": "close"})
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    counts[index] += 1
                else:
                    errors[index] += 1
            except OSError:
                errors[index] += 1
            finally:
                conn.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return Result(sum(counts) / elapsed, sum(counts), sum(errors))
