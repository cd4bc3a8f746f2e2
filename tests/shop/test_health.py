"""/healthz answers while the process is up, without the database; /readyz answers 200 when the
database, Redis and the broker do, and 503 naming the one that does not, never its URL."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

REPO = Path(__file__).resolve().parents[2]
# Port 1: nobody listens there, so a connection is refused at once.
DEAD_REDIS = "redis://:s3cret-redis-pw@127.0.0.1:1/0"

CHECK_IN_A_FRESH_PROCESS = """
import json, django
django.setup()
from django.test import Client
client = Client()
health = client.get("/healthz")
ready = client.get("/readyz")
print(json.dumps({"healthz": health.status_code, "readyz": ready.status_code,
                  "body": ready.content.decode()}))
"""


def test_healthz_answers_without_touching_the_database(client):
    # given no database access allowed (no django_db mark: a query would raise)
    # when the probe is asked
    response = client.get("/healthz")

    # then the process answers, uncached
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_readyz_answers_200_when_every_service_answers(client, settings):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] == "ok"
    # Redis is checked under CI (REDIS_URL set); the embedded default has none.
    assert body["checks"]["redis"] == ("ok" if settings.REDIS_URL else "not configured")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(REDIS_URL=DEAD_REDIS, CELERY_BROKER_URL=DEAD_REDIS)
def test_readyz_answers_503_naming_redis_and_the_broker_when_they_are_down(client):
    # given Redis and the broker on a port nobody listens on, the URL carrying a password
    # when the probe is asked
    response = client.get("/readyz")

    # then 503, naming both, with neither the URL nor the password in the answer
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "unreachable", "broker": "unreachable"},
    }
    assert b"s3cret" not in response.content
    assert b"127.0.0.1" not in response.content


def test_readyz_answers_503_naming_the_database_when_it_is_down(tmp_path):
    # given a fresh process whose DATABASE_URL points at a dead port, with a password in it
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="shop.settings.base",
        OCOP_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL="postgres://ocop:s3cret-db-pw@127.0.0.1:1/ocop_ops_dead",
    )

    # when it is asked for both probes
    result = subprocess.run(
        [sys.executable, "-c", CHECK_IN_A_FRESH_PROCESS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    # then the process is alive but not ready, and says the database is why
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.splitlines()[-1])
    assert answers["healthz"] == 200
    assert answers["readyz"] == 503
    body = json.loads(answers["body"])
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "unreachable"
    assert "s3cret" not in answers["body"]
    assert "ocop_ops_dead" not in answers["body"]


PROBE_OVER_PLAIN_HTTP = """
import json, django
django.setup()
from django.test import Client
client = Client()
print(json.dumps({
    "healthz": client.get("/healthz").status_code,
    "home": client.get("/").status_code,
    "metrics_from_outside": client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code,
}))
"""


def test_production_answers_probes_over_plain_http_and_redirects_pages(tmp_path):
    # given production settings (HTTPS only) in a fresh process
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="shop.settings.production",
        DJANGO_SECRET_KEY="probe-" + "x" * 60,
        OCOP_VAR_DIR=str(tmp_path / "var"),
        OCOP_ALLOW_DUMMY_PAYMENTS="true",
    )

    # when the health check asks over plain HTTP, as the compose health check does
    result = subprocess.run(
        [sys.executable, "-c", PROBE_OVER_PLAIN_HTTP],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    # then the probe answers, pages still redirect to HTTPS, and metrics stay closed
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "healthz": 200,
        "home": 301,
        "metrics_from_outside": 403,
    }
