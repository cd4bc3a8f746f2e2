"""The embedded shop as a newcomer runs it: base settings, nothing in the environment,
Django's development server. DEBUG is off, yet static files are served (WhiteNoise reads
the static folders), and a wrong address or a failure shows the shop's own 404 and 500
pages."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def _wait(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stdout.read()
        try:
            _get(url)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise AssertionError("the development server did not start")


def test_embedded_runserver_has_debug_off_friendly_404_and_static_files(tmp_path):
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env |= {"OCOP_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "shop.settings.base"}
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/static/shop/site.css", server)

        css_status, css_headers, css = _get(f"{base}/static/shop/site.css")
        admin_status, _headers, _body = _get(f"{base}/static/admin/css/base.css")
        missing_status, missing_headers, page = _get(f"{base}/no-such-page/")
        # Never migrated: the catalogue's query fails, as a broken database would.
        broken_status, _headers, broken = _get(f"{base}/products/")
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert (css_status, admin_status) == (200, 200)
    assert css_headers["Content-Type"].startswith("text/css") and css
    assert missing_status == 404
    assert "Page not found" in page and "Go to the home page" in page
    assert "DEBUG = True" not in page and "Using the URLconf" not in page
    assert "script-src 'self'" in missing_headers["Content-Security-Policy"]
    assert broken_status == 500
    assert "Something went wrong" in broken and "Traceback" not in broken
