"""Sign-in lockouts (django-axes): after repeated failures an account, and separately a
client IP, is refused with the 429 page, even with the right password, until the cool-off
ends. Both the shop's and the admin's sign-in forms; both axes handlers (the database one of
the embedded shop, the cache one used with Redis in production)."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Word-123"
SHOP_LOGIN = "/account/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(
    params=["axes.handlers.database.AxesDatabaseHandler", "axes.handlers.cache.AxesCacheHandler"]
)
def axes_handler(request, settings):
    settings.AXES_HANDLER = request.param
    settings.AXES_FAILURE_LIMIT = 5
    cache.clear()
    yield request.param
    cache.clear()


def sign_in(client, url, email, password, ip="203.0.113.7", **headers):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=ip, **headers)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", [SHOP_LOGIN, ADMIN_LOGIN])
def test_sixty_wrong_passwords_then_the_right_one_is_still_refused(client, axes_handler, url):
    user = UserFactory(email="jane@example.com", is_staff=True, is_superuser=True)

    answers = [sign_in(client, url, user.email, f"wrong-{i}").status_code for i in range(60)]
    response = sign_in(client, url, user.email, PASSWORD)

    assert answers[:4] == [200] * 4
    assert set(answers[5:]) == {429}
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_account_stays_locked_from_another_address_and_in_another_case(client, axes_handler):
    user = UserFactory(email="jane@example.com")
    for i in range(5):
        sign_in(client, SHOP_LOGIN, "Jane@Example.com ", f"wrong-{i}", ip=f"198.51.100.{i}")

    response = sign_in(client, SHOP_LOGIN, user.email, PASSWORD, ip="192.0.2.99")

    assert response.status_code == 429
    assert not signed_in(client)


def test_one_address_guessing_many_accounts_is_locked_out_for_every_account(client, axes_handler):
    victims = [UserFactory(email=f"victim{i}@example.com") for i in range(5)]
    other = UserFactory(email="other@example.com")
    for victim in victims:
        sign_in(client, SHOP_LOGIN, victim.email, "guess")

    refused = sign_in(client, SHOP_LOGIN, other.email, PASSWORD)
    from_elsewhere = sign_in(client, SHOP_LOGIN, other.email, PASSWORD, ip="192.0.2.1")

    assert refused.status_code == 429
    assert from_elsewhere.status_code == 302
    assert signed_in(client)


def test_the_right_password_signs_in_after_the_cool_off(client, axes_handler, settings):
    user = UserFactory(email="jane@example.com")
    for i in range(5):
        sign_in(client, SHOP_LOGIN, user.email, f"wrong-{i}")
    assert sign_in(client, SHOP_LOGIN, user.email, PASSWORD).status_code == 429

    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=0)
    if axes_handler.endswith("AxesCacheHandler"):
        cache.clear()  # the cache handler's counters expire with the cool-off

    assert sign_in(client, SHOP_LOGIN, user.email, PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_lockout_page_is_friendly_in_english_and_vietnamese(client, axes_handler):
    UserFactory(email="jane@example.com")
    for i in range(5):
        sign_in(client, SHOP_LOGIN, "jane@example.com", f"wrong-{i}")

    english = sign_in(client, SHOP_LOGIN, "jane@example.com", PASSWORD)
    vietnamese = sign_in(
        client, SHOP_LOGIN, "jane@example.com", PASSWORD, HTTP_ACCEPT_LANGUAGE="vi"
    )

    assert english.status_code == vietnamese.status_code == 429
    assert "Too many attempts" in english.content.decode()
    assert "about 30 minutes" in english.content.decode()
    assert int(english["Retry-After"]) == 30 * 60
    assert "Quá nhiều lần thử" in vietnamese.content.decode()
    assert reverse("shop:password_reset") in english.content.decode()


def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(client, axes_handler, settings):
    UserFactory(email="jane@example.com")
    for i in range(5):
        # A client that writes its own X-Forwarded-For still counts as its REMOTE_ADDR.
        sign_in(
            client, SHOP_LOGIN, f"x{i}@example.com", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}"
        )
    assert sign_in(client, SHOP_LOGIN, "jane@example.com", PASSWORD).status_code == 429

    settings.TRUST_X_FORWARDED_FOR = True
    behind_proxy = sign_in(
        client, SHOP_LOGIN, "jane@example.com", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.5, 10.0.0.1"
    )
    assert behind_proxy.status_code == 302
