"""Password reset by email and a sign-up that never tells whether an address has an
account (shop.accounts): emails go through the Celery task after the commit."""

import re

import pytest

from shop.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh-pepper-4821"


@pytest.fixture
def sent(django_capture_on_commit_callbacks, mailoutbox):
    """Run the on-commit email tasks of each request, as the worker would."""

    def post(client, url, data, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **headers)

    return post


def link_in(message) -> str:
    return re.search(r"http://\S+/account/reset/\S+/", message.body).group(0)


def test_a_password_reset_email_sets_a_new_password_that_signs_in(client, sent, mailoutbox):
    user = UserFactory(email="jane@example.com")

    response = sent(client, "/account/password-reset/", {"email": "Jane@Example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/sent/"
    assert [m.to for m in mailoutbox] == [["jane@example.com"]]
    assert mailoutbox[0].subject == "Reset your OCOP Village Shop password"
    link = link_in(mailoutbox[0])
    assert link in mailoutbox[0].alternatives[0][0]

    form = client.get(link.removeprefix("http://127.0.0.1:8000"), follow=True)
    assert form.status_code == 200
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == "/account/reset/done/"
    assert "You can now sign in" in client.get(done["Location"]).content.decode()

    signed_in = client.post("/account/login/", {"username": user.email, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    used_again = client.get(link.removeprefix("http://127.0.0.1:8000"), follow=True)
    assert "no longer valid" in used_again.content.decode()


def test_a_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(
    client, sent, mailoutbox
):
    response = sent(client, "/account/password-reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/account/password-reset/sent/"
    assert mailoutbox == []


def test_the_reset_pages_and_email_speak_vietnamese(client, sent, mailoutbox):
    UserFactory(email="lan@example.com")
    page = client.get("/account/password-reset/", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Đặt lại mật khẩu" in page.content.decode()

    sent(
        client, "/account/password-reset/", {"email": "lan@example.com"}, HTTP_ACCEPT_LANGUAGE="vi"
    )

    assert mailoutbox[0].subject == "Đặt lại mật khẩu tại Cửa hàng Làng OCOP"
    assert "mật khẩu mới" in mailoutbox[0].body


def signup(client, sent, email, password="a-Long-pass-987", **headers):
    data = {"email": email, "password1": password, "password2": password}
    return sent(client, "/account/signup/", data, **headers)


def test_sign_up_answers_the_same_for_a_new_and_an_existing_address(client, sent, mailoutbox):
    owner = UserFactory(email="jane@example.com")
    old_hash = owner.password

    new = signup(client, sent, "new@example.com")
    existing = signup(client, sent, "Jane@Example.com")

    assert new.status_code == existing.status_code == 302
    assert new["Location"] == existing["Location"]
    assert client.get(new["Location"]).content == client.get(existing["Location"]).content
    assert "_auth_user_id" not in client.session
    owner.refresh_from_db()
    assert owner.password == old_hash
    assert User.objects.filter(email__iexact="jane@example.com").count() == 1
    assert User.objects.get(email="new@example.com").check_password("a-Long-pass-987")
    welcome, warning = mailoutbox
    assert welcome.to == ["new@example.com"]
    assert welcome.subject == "Your OCOP Village Shop account is ready"
    assert warning.to == ["jane@example.com"]
    assert warning.subject == "Someone tried to sign up with your email address"
    assert "http://127.0.0.1:8000/account/password-reset/" in warning.body
    assert "nothing was changed" in warning.body


def test_the_owners_warning_speaks_the_visitors_language(client, sent, mailoutbox):
    UserFactory(email="lan@example.com")

    signup(client, sent, "lan@example.com", HTTP_ACCEPT_LANGUAGE="vi")

    assert mailoutbox[0].subject == "Có người đã thử đăng ký bằng địa chỉ email của bạn"


def test_an_invalid_sign_up_still_shows_its_errors(client, sent, mailoutbox):
    response = signup(client, sent, "new@example.com", password="short")

    assert response.status_code == 400
    assert not User.objects.exists()
    assert mailoutbox == []


def test_a_new_account_signs_in_and_keeps_the_guest_cart_from_the_done_page(client, sent):
    response = signup(client, sent, "new@example.com")
    page = client.get(response["Location"]).content.decode()
    assert "Check your email" in page

    signed_in = client.post(
        "/account/login/", {"username": "new@example.com", "password": "a-Long-pass-987"}
    )
    assert signed_in.status_code == 302
