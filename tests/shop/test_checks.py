"""`check --deploy` refuses production settings that would run the dummy gateway (its "Pay"
button marks orders paid with no money taken) unless a demo shop explicitly allows it."""

import base64
import secrets

from tests.shop.test_settings import clean_env, run_python


def production_env(tmp_path, **extra):
    return clean_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="shop.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="shop.example",
        SITE_URL="https://shop.example",
        TRACE_SIGNING_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        **extra,
    )


def test_check_deploy_refuses_the_dummy_gateway_in_production(tmp_path):
    # given production settings with no Stripe keys
    env = production_env(tmp_path)

    # when the deployment checks run
    result = run_python(["manage.py", "check", "--deploy"], env)

    # then they fail and say why
    assert result.returncode == 1, result.stdout + result.stderr
    assert "shop.E001" in result.stderr
    assert "dummy payment gateway is active" in result.stderr


def test_check_deploy_accepts_the_dummy_gateway_when_explicitly_allowed(tmp_path):
    # given a demo shop that says it takes no money
    env = production_env(tmp_path, OCOP_ALLOW_DUMMY_PAYMENTS="true")

    # when the deployment checks run, then nothing is wrong
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "shop.E001" not in result.stdout + result.stderr


def test_check_deploy_accepts_stripe(tmp_path):
    env = production_env(
        tmp_path,
        STRIPE_SECRET_KEY="sk_test_123",
        STRIPE_PUBLISHABLE_KEY="pk_test_123",
        STRIPE_WEBHOOK_SECRET="whsec_123",
    )

    result = run_python(["manage.py", "check", "--deploy"], env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_plain_check_does_not_refuse_the_embedded_shop(tmp_path):
    # given the embedded default (no settings at all)
    env = clean_env(tmp_path)

    # when the ordinary checks run, then the dummy gateway is fine there
    result = run_python(["manage.py", "check"], env)

    assert result.returncode == 0, result.stdout + result.stderr
