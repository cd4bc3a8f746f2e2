"""The backup and restore of docs/operations.md, done for real: the demo shop is loaded into a
throwaway PostgreSQL database, dumped with `pg_dump -Fc`, restored with `pg_restore` into a
fresh database with its media copied beside it, and the restored shop serves the same pages
and holds the same rows.

Needs PostgreSQL (CI=true), and never touches the test database: its own databases are named
ocop_ops_backup_* and dropped afterwards. Without PostgreSQL it is skipped."""

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parent.parent
# The CSRF token in a form differs on every request; everything else must be equal.
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')

# Renders the pages a visitor opens first and counts every table's rows.
SNAPSHOT = """
import json, django
django.setup()
from django.apps import apps
from django.test import Client
from shop.models import Batch, Cooperative, Product
from traceability.links import digital_link_path

client = Client()
product = Product.objects.order_by("pk").first()
cooperative = Cooperative.objects.order_by("pk").first()
batch = Batch.objects.order_by("pk").select_related("variant").first()
paths = ["/", "/products/", f"/products/{product.slug}/", f"/cooperatives/{cooperative.slug}/",
         digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)]
pages = {}
for language in ("en", "vi"):
    for path in paths:
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        pages[f"{language}:{path}"] = [response.status_code, response.content.decode()]
rows = {model._meta.label: model._base_manager.count() for model in apps.get_models()}
photos = sorted(p.photo.name for p in Product.objects.exclude(photo=""))
print(json.dumps({"pages": pages, "rows": rows, "photos": photos}))
"""


def _server() -> dict[str, str]:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": str(db.get("PORT") or 5432),
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or "",
    }


def _admin(sql: str) -> None:
    server = _server()
    with psycopg.connect(
        host=server["host"],
        port=server["port"],
        user=server["user"],
        password=server["password"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(sql)


def _url(name: str) -> str:
    s = _server()
    credentials = quote(s["user"], safe="") + (
        ":" + quote(s["password"], safe="") if s["password"] else ""
    )
    return f"postgres://{credentials}@{s['host']}:{s['port']}/{name}"


def _pg_env() -> dict[str, str]:
    s = _server()
    env = {"PATH": os.environ["PATH"], "PGHOST": s["host"], "PGPORT": s["port"]}
    env["PGUSER"] = s["user"]
    if s["password"]:
        env["PGPASSWORD"] = s["password"]
    return env


def _shop_env(*, database: str, var_dir: Path) -> dict[str, str]:
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="shop.settings.base",
        DJANGO_DEBUG="false",
        DATABASE_URL=_url(database),
        OCOP_VAR_DIR=str(var_dir),
        PAGE_CACHE_SECONDS="0",
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        args, cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


def _snapshot(*, database: str, var_dir: Path) -> dict:
    result = _run([sys.executable, "-c", SNAPSHOT], _shop_env(database=database, var_dir=var_dir))
    snapshot = json.loads(result.stdout.splitlines()[-1])
    for page in snapshot["pages"].values():
        page[1] = CSRF_VALUE.sub(r"\1-\2", page[1])
    return snapshot


@pytest.fixture
def throwaway_databases():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL: run with CI=true")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump and pg_restore must be installed beside PostgreSQL")
    names = (f"ocop_ops_backup_src_{os.getpid()}", f"ocop_ops_backup_dst_{os.getpid()}")
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{names[0]}"')
    yield names
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dump_of_the_demo_shop_restored_into_a_fresh_database_serves_the_same_pages(
    throwaway_databases, tmp_path
):
    source, restored = throwaway_databases
    source_var, restored_var = tmp_path / "source-var", tmp_path / "restored-var"
    dump, media = tmp_path / "ocop.dump", tmp_path / "media.tar.gz"

    # given the demo shop on its own database and media folder
    env = _shop_env(database=source, var_dir=source_var)
    _run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    _run([sys.executable, "manage.py", "load_demo"], env)
    before = _snapshot(database=source, var_dir=source_var)

    # when it is backed up as docs/operations.md says: pg_dump -Fc and the media folder
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source], _pg_env())
    with tarfile.open(media, "w:gz") as archive:
        archive.add(source_var / "media", arcname="media")
    # and restored into a fresh database and an empty folder
    _admin(f'CREATE DATABASE "{restored}"')
    _run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)],
        _pg_env(),
    )
    restored_var.mkdir()
    with tarfile.open(media, "r:gz") as archive:
        archive.extractall(restored_var, filter="data")
    # and the trace signing key, kept with the secrets, is configured again
    key = "trace-signing-key.pem"
    shutil.copy2(source_var / key, restored_var / key)
    after = _snapshot(database=restored, var_dir=restored_var)

    # then the pages are the same, byte for byte, and so are the rows of every table
    assert {path: page[0] for path, page in after["pages"].items()} == dict.fromkeys(
        before["pages"], 200
    )
    assert after["pages"] == before["pages"]
    assert after["rows"] == before["rows"]
    assert before["rows"]["shop.Product"] > 20
    assert before["rows"]["shop.Batch"] > 100
    # and the photos the pages show are there
    assert before["photos"]
    for name in after["photos"]:
        assert (restored_var / "media" / name).is_file(), name
