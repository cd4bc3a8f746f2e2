"""docker-compose.yml describes the production shape and is valid against the compose
specification (the JSON schema vendored by check-jsonschema, so no network is needed)."""

import copy
import importlib.resources
import json
import re
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO / "docker-compose.yml"
HEALTHY_SERVICES = {"web", "worker", "beat", "db", "redis", "mail"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return YAML(typ="safe").load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    vendored = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads(vendored.joinpath("compose-spec.json").read_text())
    return jsonschema.validators.validator_for(schema)(schema)


def test_compose_file_is_valid_against_the_compose_specification(compose, validator):
    # given the compose file, when validated, then the specification finds nothing wrong
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(compose)]

    assert errors == []


def test_the_validator_rejects_a_broken_compose_file(compose, validator):
    # given a compose file with a misspelt health check
    broken = copy.deepcopy(compose)
    broken["services"]["web"]["helthcheck"] = broken["services"]["web"].pop("healthcheck")

    # when validated, then it is refused: the schema check above can fail
    assert not validator.is_valid(broken)


def test_production_services_are_all_there_with_health_checks(compose):
    services = compose["services"]

    assert HEALTHY_SERVICES <= set(services)
    for name in HEALTHY_SERVICES:
        healthcheck = services[name]["healthcheck"]
        assert healthcheck["test"][0] in {"CMD", "CMD-SHELL"}, name
        assert not healthcheck.get("disable", False), name


def test_web_runs_gunicorn_on_production_settings(compose):
    web = compose["services"]["web"]

    assert web["command"][:2] == ["gunicorn", "shop.wsgi"]
    assert web["environment"]["DJANGO_SETTINGS_MODULE"] == "shop.settings.production"


def test_worker_and_beat_run_the_celery_app(compose):
    services = compose["services"]

    assert services["worker"]["command"][:4] == ["celery", "-A", "worker.celery", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "worker.celery", "beat"]


def test_web_and_worker_scale_by_replicas_and_beat_stays_single(compose):
    services = compose["services"]

    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    assert services["beat"]["deploy"]["replicas"] == 1


def test_database_and_cache_images_are_postgresql_15_and_redis_7(compose):
    services = compose["services"]

    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert services["mail"]["image"].startswith("axllent/mailpit:")


def test_secrets_come_from_the_environment_never_the_file(compose):
    # given every environment entry whose name says it is secret
    secret_name = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY$")
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if secret_name.search(key):
                # then its value is an interpolation of a variable of the same name, or
                # nothing at all (passed through from the shell, unset when it is unset)
                assert value is None or re.fullmatch(
                    r"\$\{" + key + r"(:[?-][^}]*)?\}", str(value)
                ), (name, key)
    text = COMPOSE_FILE.read_text()
    assert "${DJANGO_SECRET_KEY:?" in text
    assert "${POSTGRES_PASSWORD:?" in text


def test_the_inline_dockerfile_copies_paths_that_exist(compose):
    dockerfile = compose["services"]["web"]["build"]["dockerfile_inline"]
    copied = [
        source
        for line in dockerfile.splitlines()
        if line.startswith("COPY ")
        for source in line.split()[1:-1]
    ]

    assert "FROM python:3.11-slim" in dockerfile
    assert "collectstatic" in dockerfile
    assert copied
    for source in copied:
        assert (REPO / source).exists(), source


def test_stripe_keys_are_passed_through_never_defaulted_to_empty(compose):
    # An empty STRIPE_SECRET_KEY silently selects the dummy gateway (orders paid, no money).
    environment = compose["services"]["web"]["environment"]
    for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"):
        assert environment[name] is None, name
    assert environment["OCOP_ALLOW_DUMMY_PAYMENTS"] is None
    assert "${STRIPE" not in COMPOSE_FILE.read_text()


def test_the_shop_does_not_start_when_the_deploy_checks_fail(compose):
    # migrate runs `check --deploy` first; web and the workers wait for it to succeed.
    migrate = compose["services"]["migrate"]["command"]
    assert migrate[:2] == ["sh", "-c"]
    assert migrate[2].startswith("python manage.py check --deploy && ")
    for name in ("web", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name


def test_web_health_check_asks_readyz_and_metrics_add_up_every_process(compose):
    # the probes of shop.views.health, over plain HTTP from inside the container
    web = compose["services"]["web"]
    probe = " ".join(web["healthcheck"]["test"])
    assert "'/readyz'" in probe
    assert "'Host': 'localhost'" in probe
    assert "localhost" in web["environment"]["DJANGO_ALLOWED_HOSTS"]
    # gunicorn's workers and the Celery children share their figures (multiprocess mode)
    assert web["command"][-2:] == ["--config", "python:shop.gunicorn_config"]
    for name in ("web", "worker"):
        environment = compose["services"][name]["environment"]
        assert environment["PROMETHEUS_MULTIPROC_DIR"] == "/tmp/ocop-prometheus"
    assert compose["services"]["worker"]["expose"] == ["9808"]
    assert compose["services"]["worker"]["environment"]["CELERY_METRICS_PORT"] == "9808"
