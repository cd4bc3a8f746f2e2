"""The daily digest: low stock, batches near best-before and orders waiting, to each staff
member in their language, once a day."""

import datetime
import socket

import pytest
from django.core import mail
from django.utils import timezone

from shop.fulfilment.payment import pay_order
from shop.models import DigestSent
from shop.workspace import digest
from tests.factories import BatchFactory, StaffFactory, UserFactory
from tests.shop.checkout_data import placed_order
from worker.tasks.digest import send_daily_digests

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_day(coop, staff, variant, batch, today, settings):
    """An order to pack, a batch with 3 weeks left, and the variant below the threshold."""
    settings.LOW_STOCK_THRESHOLD = 60
    order = pay_order(order_id=placed_order((variant, 2)).pk)
    BatchFactory(
        variant=variant,
        lot_code="NMPQ-OLD",
        harvest_date=today - datetime.timedelta(days=200),
        packing_date=today - datetime.timedelta(days=200),
        best_before=today + datetime.timedelta(days=21),
        quantity_received=4,
    )
    return order


def test_each_staff_member_gets_the_digest_in_their_language(coop, staff, busy_day):
    StaffFactory(cooperative=coop, email="tom@hamninh.example", preferred_language="en")
    staff.preferred_language = "vi"
    staff.save()
    UserFactory(cooperative=coop, email="notstaff@example.com")  # not staff: no digest
    StaffFactory(cooperative=coop, email="gone@example.com", is_active=False)

    sent = digest.send_digest(cooperative_id=coop.pk)

    assert sent == 2
    by_person = {message.to[0]: message for message in mail.outbox}
    assert set(by_person) == {"lan@hamninh.example", "tom@hamninh.example"}
    vietnamese, english_mail = by_person["lan@hamninh.example"], by_person["tom@hamninh.example"]
    assert (
        vietnamese.subject
        == "HTX Nước mắm Hàm Ninh hôm nay: 1 đơn cần đóng gói, 1 sắp hết hàng, 1 sắp hết hạn"
    )
    assert busy_day.number in vietnamese.body
    assert "NMPQ-OLD" in vietnamese.body
    assert "còn 21 ngày" in vietnamese.body
    assert "Sắp hết hàng:" in vietnamese.body
    assert "https://ocop.example/coop/" in vietnamese.body
    assert english_mail.subject == "HTX Nước mắm Hàm Ninh today: 1 to pack, 1 low, 1 expiring"
    assert "21 days left" in english_mail.body
    html, kind = english_mail.alternatives[0]
    assert kind == "text/html"
    assert busy_day.number in html


def test_a_staff_member_without_a_known_language_gets_vietnamese(coop, staff, busy_day):
    staff.preferred_language = "pt"
    staff.save()

    digest.send_digest(cooperative_id=coop.pk)

    assert "hôm nay" in mail.outbox[0].subject


def test_a_second_run_the_same_day_sends_nothing(coop, staff, busy_day):
    first = digest.send_digest(cooperative_id=coop.pk)
    second = digest.send_digest(cooperative_id=coop.pk)

    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1
    sent = DigestSent.objects.get()
    assert (sent.cooperative, sent.day, sent.recipients) == (coop, timezone.localdate(), 1)


def test_the_next_day_sends_again(coop, staff, busy_day):
    digest.send_digest(cooperative_id=coop.pk)
    tomorrow = timezone.now() + datetime.timedelta(days=1)

    assert digest.send_digest(cooperative_id=coop.pk, now=tomorrow) == 1
    assert DigestSent.objects.count() == 2


def test_a_day_with_nothing_to_report_sends_and_records_nothing(coop, staff, batch, settings):
    settings.LOW_STOCK_THRESHOLD = 5

    assert digest.send_digest(cooperative_id=coop.pk) == 0
    assert mail.outbox == []
    assert DigestSent.objects.count() == 0


def test_an_smtp_failure_keeps_no_claim_so_a_retry_sends(coop, staff, busy_day, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2

    with pytest.raises(OSError):
        digest.send_digest(cooperative_id=coop.pk)
    assert DigestSent.objects.count() == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digest.send_digest(cooperative_id=coop.pk) == 1


def test_the_beat_task_without_arguments_sends_each_cooperatives_digest_once(
    coop, staff, busy_day, other_coop, other_variant, other_batch
):
    StaffFactory(cooperative=other_coop, email="hoa@tancuong.example")
    pay_order(order_id=placed_order((other_variant, 1)).pk)

    queued = send_daily_digests.delay().get()
    again = send_daily_digests.delay().get()

    assert queued == again == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "hoa@tancuong.example",
        "lan@hamninh.example",
    ]
    assert DigestSent.objects.count() == 2


def test_the_task_with_a_cooperative_id_sends_only_that_one(coop, staff, busy_day, other_coop):
    StaffFactory(cooperative=other_coop)

    assert send_daily_digests.delay(cooperative_id=coop.pk).get() == 1
    assert send_daily_digests.delay(cooperative_id=999999).get() == 0
    assert [message.to for message in mail.outbox] == [["lan@hamninh.example"]]


def test_the_beat_schedule_runs_the_digest_each_morning_in_vietnam():
    from worker.celery import app

    entry = app.conf.beat_schedule["cooperative-daily-digest"]
    assert entry["task"] == "worker.tasks.digest.send_daily_digests"
    assert entry["schedule"].hour == {23}
    assert entry["schedule"].minute == {0}
