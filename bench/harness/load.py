"""A bounded load generator for 127.0.0.1 only: wrk when installed, else Python threads.

Every run has a fixed duration and stops by itself; any answer other than 200 counts as an
error, and the caller treats errors as a failed measurement.

A run asks for one URL, or with `paths` for a different path on each request (search query
strings, batches' Digital Links), taken in turn from `offset` so that successive runs go on
where the last one stopped: wrk reads them in a Lua script (CYCLE_LUA), the threads in Python.
"""

import http.client
import itertools
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# wrk's request() for a list of paths, one a line in the file named by the first script
# argument, taken in turn from the offset in the second.
CYCLE_LUA = """
local paths, index = {}, 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  index = tonumber(args[2] or "0")
end
function request()
  local path = paths[index % #paths + 1]
  index = index + 1
  return wrk.format(nil, path)
end
"""


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


def measure(
    url: str,
    *,
    seconds: float,
    connections: int,
    loader: str = "auto",
    paths: Sequence[str] = (),
    offset: int = 0,
) -> Result:
    """Load `url` (its scheme, host and port; with `paths`, each request's path and query
    string comes from them in turn, starting at `offset`)."""
    loopback_parts(url)
    if loader == "wrk" or (loader == "auto" and shutil.which("wrk")):
        if not paths:
            return with_wrk(url, seconds=seconds, connections=connections)
        with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
            script, listed = Path(folder) / "cycle.lua", Path(folder) / "paths.txt"
            script.write_text(CYCLE_LUA)
            listed.write_text("\n".join(paths) + "\n")
            return with_wrk(
                url,
                seconds=seconds,
                connections=connections,
                script=script,
                script_args=[str(listed), str(offset)],
            )
    return with_threads(url, seconds=seconds, connections=connections, paths=paths, offset=offset)


def with_wrk(
    url: str,
    *,
    seconds: float,
    connections: int,
    script: Path | None = None,
    script_args: Sequence[str] = (),
) -> Result:
    """wrk for `seconds`; `script`, a Lua file for wrk's --script, gets `script_args`."""
    # One wrk thread: the server needs the machine's cores more than the client does.
    duration = max(1, round(seconds))
    command = ["wrk", "--threads", "1", "--connections", str(connections),
               "--duration", f"{duration}s", "--timeout", "10s"]  # fmt: skip
    if script is not None:
        command += ["--script", str(script)]
    command += [url, *(["--", *script_args] if script_args else [])]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
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


def with_threads(
    url: str, *, seconds: float, connections: int, paths: Sequence[str] = (), offset: int = 0
) -> Result:
    host, port, path = loopback_parts(url)
    counts = [0] * connections
    errors = [0] * connections
    # next() on itertools.count is atomic under the GIL: each request takes its own path.
    numbers = itertools.count(offset)
    started = time.monotonic()
    stop = started + seconds

    def work(index: int) -> None:
        while time.monotonic() < stop:
            conn = http.client.HTTPConnection(host, port, timeout=10)
            asked = paths[next(numbers) % len(paths)] if paths else path
            try:
                conn.request("GET", asked, headers={"Connection": "close"})
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
