"""Who gets into /coop/, and in which language it answers."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_signed_out_visitors_are_sent_to_the_shops_sign_in_page_and_back(client):
    response = client.get("/coop/batches/receive/")

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/coop/batches/receive/"


def test_after_signing_in_staff_land_back_in_the_workspace(client, staff):
    response = client.post(
        reverse("shop:login"),
        {"username": staff.email, "password": "pass-Word-123", "next": "/coop/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/coop/"
    assert client.get("/coop/").status_code == 200


@pytest.mark.parametrize(
    "user_kwargs",
    [
        {},  # a shopper
        {"is_staff": True},  # central staff without a cooperative
        {"is_staff": True, "is_superuser": True},  # the shop's superuser
    ],
    ids=["shopper", "central-staff", "superuser"],
)
def test_people_who_are_not_cooperative_staff_get_403(client, user_kwargs):
    client.force_login(UserFactory(**user_kwargs))

    response = client.get("/coop/")

    assert response.status_code == 403
    assert "Chỉ dành cho nhân viên hợp tác xã" in response.content.decode()


def test_an_inactive_staff_member_of_a_cooperative_is_refused(client, coop):
    staff = StaffFactory(cooperative=coop, is_active=False)
    client.force_login(staff)

    assert client.get("/coop/").status_code in (302, 403)


def test_a_member_who_is_not_marked_staff_gets_403(client, coop):
    client.force_login(UserFactory(cooperative=coop, is_staff=False))

    assert client.get("/coop/").status_code == 403


def test_the_workspace_speaks_vietnamese_even_to_an_english_browser(staff_client):
    response = staff_client.get("/coop/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Nhập lô mới" in html
    assert response["Content-Language"] == "vi"


def test_english_chosen_through_the_language_cookie_is_respected(staff_client, settings):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = staff_client.get("/coop/").content.decode()

    assert '<html lang="en">' in html
    assert "Receive a batch" in html


def test_the_workspace_switcher_sets_the_language_and_comes_back(staff_client, settings):
    html = staff_client.get("/coop/").content.decode()
    assert "/preferences/?language=en&amp;next=/coop/" in html

    response = staff_client.get("/preferences/", {"language": "en", "next": "/coop/"})

    assert response["Location"] == "/coop/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in staff_client.get("/coop/").content.decode()


def test_workspace_pages_are_private_and_vary_on_the_cookie(staff_client):
    response = staff_client.get("/coop/")

    assert "Cookie" in response["Vary"]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_renders_in_both_languages(staff_client, settings, batch, language):
    from shop.fulfilment.payment import pay_order
    from tests.shop.checkout_data import placed_order

    order = pay_order(order_id=placed_order((batch.variant, 1)).pk)
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = [
        "/coop/",
        "/coop/batches/",
        "/coop/batches/receive/",
        f"/coop/batches/{batch.pk}/",
        f"/coop/batches/{batch.pk}/adjust/",
        f"/coop/batches/{batch.pk}/events/add/",
        f"/coop/batches/{batch.pk}/recall/",
        "/coop/import/",
        "/coop/orders/",
        f"/coop/orders/{order.number}/",
        f"/coop/orders/{order.number}/slip/",
        "/coop/labels/",
        "/coop/insight/",
    ]

    for url in pages:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode(), url
        assert response["Content-Language"] == language, url
