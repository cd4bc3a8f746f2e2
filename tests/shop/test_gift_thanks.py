"""The receiver's thank-you (issue 16, part 3): one per gift, written with its outbox email,
sent to the giver only, in the giver's language; refused input changes nothing."""

import datetime
import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shop import gift_thanks, gifts, notifications
from shop.models import OrderEmail, PendingEmail, Shipment
from shop.models.gifts import Gift, GiftThankYou
from tests.factories import CooperativeFactory, OrderFactory
from worker.tasks import emails as email_tasks

pytestmark = pytest.mark.django_db

VIETNAMESE = "Cảm ơn bà nhiều lắm! Nước mắm thơm và trà ngon tuyệt vời."
LATER = datetime.timedelta(minutes=10)


def a_gift(**order) -> Gift:
    order = OrderFactory(is_gift=True, email="oma@example.com", **order)
    return Gift.objects.create(order=order, message="Für dich", language="vi")


def png(name: str = "me.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 20)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def send(gift: Gift, text: str = VIETNAMESE, **kwargs) -> GiftThankYou:
    return gift_thanks.send_thank_you(
        token=gift.token, name=kwargs.pop("name", "Anna"), text=text, **kwargs
    )


def test_a_thank_you_reaches_the_giver_once_with_its_photo(django_capture_on_commit_callbacks):
    gift = a_gift()

    with django_capture_on_commit_callbacks(execute=True):
        thanks = send(gift, photo=png())

    thanks.refresh_from_db()
    assert (thanks.name, thanks.text) == ("Anna", VIETNAMESE)
    assert thanks.photo.name.startswith("thanks/") and thanks.photo.name.endswith(".png")
    assert thanks.emailed_at is not None
    [message] = mail.outbox
    assert message.to == ["oma@example.com"]
    assert message.subject == "A thank-you for your gift"
    assert VIETNAMESE in message.body and "Anna" in message.body
    assert VIETNAMESE in message.alternatives[0][0]
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".png") and mimetype == "image/png"
    assert Image.open(io.BytesIO(content)).size == (40, 30)
    assert PendingEmail.objects.count() == 0
    assert list(OrderEmail.objects.values_list("order_id", "kind")) == [
        (gift.order_id, "gift_thank_you")
    ]
    # a redelivered task sends nothing more
    assert email_tasks.send_gift_thank_you.delay(order_id=gift.order_id).get() is False
    assert len(mail.outbox) == 1


def test_the_email_is_in_the_givers_language(django_capture_on_commit_callbacks):
    gift = a_gift(language="vi")

    with django_capture_on_commit_callbacks(execute=True):
        send(gift)

    [message] = mail.outbox
    assert '<html lang="vi">' in message.alternatives[0][0]
    assert VIETNAMESE in message.body


def test_a_second_thank_you_is_refused_and_changes_nothing(django_capture_on_commit_callbacks):
    gift = a_gift()
    with django_capture_on_commit_callbacks(execute=True):
        first = send(gift)

    with (
        pytest.raises(gift_thanks.AlreadyThanked),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send(gift, text="Again!", name="Someone else")

    assert list(GiftThankYou.objects.values_list("pk", "name", "text")) == [
        (first.pk, "Anna", VIETNAMESE)
    ]
    assert len(mail.outbox) == 1
    assert PendingEmail.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "photo", "field"),
    [("   ", None, "text"), ("x" * 1001, None, "text"), ("Thanks", "not", "photo")],
)
def test_refused_input_writes_nothing(text, photo, field, django_capture_on_commit_callbacks):
    gift = a_gift()
    upload = SimpleUploadedFile("me.png", b"<html>not a picture</html>") if photo else None

    with (
        pytest.raises(gift_thanks.InvalidThankYou) as refused,
        django_capture_on_commit_callbacks(execute=True),
    ):
        send(gift, text=text, photo=upload)

    assert list(refused.value.errors) == [field]
    assert GiftThankYou.objects.count() == 0
    assert PendingEmail.objects.count() == 0
    assert mail.outbox == []


def test_a_revoked_expired_or_unknown_gift_takes_no_thank_you():
    revoked = a_gift()
    gifts.revoke(gift=revoked)
    expired = a_gift()
    delivered = timezone.now() - datetime.timedelta(days=366)
    Shipment.objects.create(
        order=expired.order, cooperative=CooperativeFactory(), delivered_at=delivered
    )

    with pytest.raises(gift_thanks.GiftClosed) as closed:
        send(revoked)
    assert closed.value.state == gifts.LinkState.REVOKED
    with pytest.raises(gift_thanks.GiftClosed) as closed:
        send(expired)
    assert closed.value.state == gifts.LinkState.EXPIRED
    with pytest.raises(gift_thanks.GiftNotFound):
        gift_thanks.send_thank_you(token="nope", name="", text="Thanks")
    assert GiftThankYou.objects.count() == 0
    assert PendingEmail.objects.count() == 0


def test_beat_sends_a_lost_thank_you_and_not_an_order_email(monkeypatch):
    gift = a_gift()
    # the task never reached the broker: the row waits in the outbox
    monkeypatch.setattr(email_tasks.send_gift_thank_you, "apply_async", lambda *a, **k: None)
    send(gift)
    monkeypatch.undo()
    assert mail.outbox == []

    later = timezone.now() + LATER
    assert notifications.requeue_pending_emails(older_than=LATER, now=later) == 1

    assert [m.subject for m in mail.outbox] == ["A thank-you for your gift"]
    assert notifications._task("gift_thank_you") == ("send_gift_thank_you", {})


# The door: POST /gift/<token>/thanks/


@pytest.fixture
def _no_limits(settings):
    cache.clear()
    yield
    cache.clear()


def post(client, gift, data, ip="203.0.113.9"):
    return client.post(f"/gift/{gift.token}/thanks/", data, REMOTE_ADDR=ip)


def test_the_form_sends_and_goes_back_to_the_gift_page(
    client, _no_limits, django_capture_on_commit_callbacks
):
    gift = a_gift()

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, gift, {"text": VIETNAMESE, "name": "Anna", "photo": png()})

    assert response.status_code == 302
    assert response["Location"] == f"/gift/{gift.token}/#thanks"
    assert GiftThankYou.objects.get().text == VIETNAMESE
    assert len(mail.outbox) == 1


def test_a_file_that_is_not_a_picture_is_a_form_error(client, _no_limits):
    gift = a_gift()
    bad = SimpleUploadedFile("me.jpg", b"GIF89a<script>alert(1)</script>", "image/jpeg")

    response = post(client, gift, {"text": VIETNAMESE, "photo": bad})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Send a JPEG, PNG or WebP picture." in html
    assert VIETNAMESE in html  # what was typed comes back
    assert "oma@example.com" not in html
    assert GiftThankYou.objects.count() == 0
    assert mail.outbox == []


def test_a_second_post_changes_nothing(client, _no_limits, django_capture_on_commit_callbacks):
    gift = a_gift()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, gift, {"text": "First"})

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, gift, {"text": "Second"})

    assert response.status_code == 302
    assert list(GiftThankYou.objects.values_list("text", flat=True)) == ["First"]
    assert len(mail.outbox) == 1


def test_unknown_and_revoked_gifts(client, _no_limits):
    gift = a_gift()
    gifts.revoke(gift=gift)

    assert client.post("/gift/unknown-token/thanks/", {"text": "Hi"}).status_code == 404
    assert post(client, gift, {"text": "Hi"}).status_code == 410
    assert client.get(f"/gift/{gift.token}/thanks/").status_code == 405
    assert GiftThankYou.objects.count() == 0


def test_posts_are_rate_limited(client, settings, _no_limits):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "gift_thanks": (2, 3600)}
    gift = a_gift()

    answers = [post(client, gift, {"text": ""}).status_code for _ in range(3)]

    assert answers == [400, 400, 429]


def test_the_form_needs_the_csrf_token(_no_limits):
    from django.test import Client

    gift = a_gift()
    response = Client(enforce_csrf_checks=True).post(f"/gift/{gift.token}/thanks/", {"text": "Hi"})

    assert response.status_code == 403
    assert GiftThankYou.objects.count() == 0


def test_only_the_giver_reads_the_thank_you(client, _no_limits, django_capture_on_commit_callbacks):
    gift = a_gift()
    gift_page = client.get(f"/gift/{gift.token}/").content.decode()
    assert f'action="/gift/{gift.token}/thanks/"' in gift_page
    assert 'enctype="multipart/form-data"' in gift_page
    with django_capture_on_commit_callbacks(execute=True):
        post(client, gift, {"text": VIETNAMESE, "name": "Anna"})

    gift_page = client.get(f"/gift/{gift.token}/").content.decode()
    order_page = client.get(f"/orders/{gift.order.token}/").content.decode()

    assert VIETNAMESE not in gift_page and "oma@example.com" not in gift_page
    assert "/thanks/" not in gift_page
    assert VIETNAMESE in order_page and "Only you can see it." in order_page


def test_the_thank_you_reaches_a_real_mailbox_with_its_photo(
    smtp_settings, django_capture_on_commit_callbacks
):
    gift = a_gift(language="vi")

    with django_capture_on_commit_callbacks(execute=True):
        send(gift, photo=png())

    [message] = smtp_settings.wait_for(1)
    assert message["To"] == "oma@example.com"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert VIETNAMESE in text
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "image/png"
    assert GiftThankYou.objects.get().emailed_at is not None


def test_a_refusing_smtp_server_leaves_the_email_to_send_again(
    smtp_settings, django_capture_on_commit_callbacks
):
    gift = a_gift()
    smtp_settings.refuse_next(1)

    with django_capture_on_commit_callbacks(execute=True):
        send(gift)

    # the eager task's first try was refused: the claim rolled back, the outbox row stays
    assert OrderEmail.objects.count() == 0
    assert PendingEmail.objects.filter(kind="gift_thank_you").count() == 1
    assert email_tasks.send_gift_thank_you.delay(order_id=gift.order_id).get() is True
    assert len(smtp_settings.wait_for(1)) == 1
    assert PendingEmail.objects.count() == 0
