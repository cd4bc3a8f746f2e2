"""Recall notices as Celery runs them (eager here): each buyer of the recalled batch gets one
email in their order's language through a real SMTP server, unpaid orders are cancelled,
SMTP trouble is retried with backoff, and a retried or doubled task never mails twice."""

import smtplib
import threading

import pytest
from celery import signals
from django.db import connection, connections

from shop.models import AllocationState, OrderLineBatch, OrderStatus
from tests.traceability.recall_data import (
    LOT,
    REASON,
    buy,
    gift_box_with,
    honey_batch,
    staff_of,
)
from tests.worker import test_celery_worker_integration as integration
from traceability import recalls
from traceability.links import batch_digital_link
from traceability.models import NoticeStatus, RecallNotice
from worker.celery import app
from worker.tasks import recalls as recall_tasks

pytestmark = pytest.mark.django_db

# The real worker's fixtures, for the last test.
real_broker = integration.real_broker
worker_process = integration.worker_process

BACKOFF = [60, 120, 240, 300, 300, 300, 300, 300]


@pytest.fixture
def like_a_worker(monkeypatch):
    """A worker records a failed task and runs its retries (eager mode: at once)."""
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


@pytest.fixture
def retries(like_a_worker):
    countdowns: list[float] = []

    def record(sender, request, reason, **kwargs):
        countdowns.append(reason.when)

    signals.task_retry.connect(record, weak=False)
    yield countdowns
    signals.task_retry.disconnect(record)


def recalled(batch):
    """Recall the batch without running the queued task (each test runs it itself)."""
    return recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))


def parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def by_recipient(messages) -> dict:
    return {message["To"]: message for message in messages}


def test_each_buyer_gets_the_notice_in_their_orders_language(smtp_settings):
    # Given an English and a Vietnamese buyer of the batch
    batch = honey_batch()
    anna = buy((batch.variant, 3), email="anna@example.de", buyer_name="Anna Schmidt", shipped=True)
    binh = buy(
        (batch.variant, 1),
        email="binh@example.vn",
        language="vi",
        buyer_name="Trần Bình",
        shipped=True,
    )
    recall = recalled(batch)

    # When the task runs
    queued = recall_tasks.notify_recall.delay(recall_id=recall.pk).get()

    # Then each got one email in their language, with what to know and what to do
    assert queued == 2
    messages = by_recipient(smtp_settings.wait_for(2))
    link = batch_digital_link(batch)
    english, vietnamese = messages["anna@example.de"], messages["binh@example.vn"]
    assert str(english["Subject"]).strip() == f"Important: Longan honey, lot {LOT}, is recalled"
    text, html = parts(english)
    assert "Hello Anna Schmidt," in text
    assert f"has recalled lot {LOT} of Longan honey (250 g jar), which you bought from us." in text
    assert f"Reason: {REASON}" in text
    assert "- Do not eat, drink or use this product." in text
    assert f"- Order {anna.number}: 3 units (Longan honey)" in text.splitlines()
    assert f"The recall notice and the story of this lot: {link}" in text
    assert f'<a href="{link}"' in html
    assert str(vietnamese["Subject"]).strip() == f"Quan trọng: Mật ong nhãn, lô {LOT}, bị thu hồi"
    text, html = parts(vietnamese)
    assert "Xin chào Trần Bình," in text
    assert f"Lý do: {REASON}" in text
    assert f"- Đơn hàng {binh.number}: 1 sản phẩm (Mật ong nhãn)" in text.splitlines()
    assert "Không ăn, uống hoặc sử dụng sản phẩm này." in html
    assert set(RecallNotice.objects.values_list("status", flat=True)) == {NoticeStatus.SENT}


def test_a_buyer_with_several_orders_gets_one_email_naming_each(smtp_settings):
    batch = honey_batch()
    first = buy((batch.variant, 2), email="anna@example.de", shipped=True)
    boxed = buy((gift_box_with(batch), 1), email="Anna@Example.de", language="vi", shipped=True)
    recall = recalled(batch)

    recall_tasks.notify_recall.delay(recall_id=recall.pk).get()

    [message] = smtp_settings.wait_for(2, timeout=1)
    text, _html = parts(message)
    # The latest order's language, and both orders with their units (and the names their
    # lines were bought under)
    assert f"- Đơn hàng {first.number}: 2 sản phẩm (Longan honey)" in text.splitlines()
    assert f"- Đơn hàng {boxed.number}: 1 sản phẩm (Hộp quà Tết)" in text.splitlines()
    assert RecallNotice.objects.filter(status=NoticeStatus.SENT).count() == 2


def test_an_unknown_order_language_falls_back_to_english(smtp_settings):
    batch = honey_batch()
    buy((batch.variant, 1), email="dirk@example.nl", language="nl", shipped=True)
    recall = recalled(batch)

    recall_tasks.notify_recall.delay(recall_id=recall.pk).get()

    [message] = smtp_settings.wait_for(1)
    assert str(message["Subject"]).strip() == f"Important: Longan honey, lot {LOT}, is recalled"


def test_unpaid_orders_are_cancelled_their_units_released_and_the_buyer_told(smtp_settings):
    # Given a paid (and shipped) and an unpaid order of the batch
    batch = honey_batch()
    paid = buy((batch.variant, 2), email="anna@example.de", shipped=True)
    unpaid = buy((batch.variant, 3), email="binh@example.vn", paid=False)
    recall = recalled(batch)

    # When the task runs
    recall_tasks.notify_recall.delay(recall_id=recall.pk).get()

    # Then the unpaid order is cancelled with its units back, the paid one untouched
    paid.refresh_from_db()
    unpaid.refresh_from_db()
    assert (paid.status, unpaid.status) == (OrderStatus.SHIPPED, OrderStatus.CANCELLED)
    assert unpaid.history.last().shown_note == "Cancelled: a batch in this order was recalled"
    assert list(
        OrderLineBatch.objects.order_by("line__order_id").values_list("state", flat=True)
    ) == [AllocationState.SOLD, AllocationState.RELEASED]
    assert list(
        RecallNotice.objects.order_by("order_id").values_list("order_cancelled", "status")
    ) == [(False, NoticeStatus.SENT), (True, NoticeStatus.SENT)]
    # and both buyers were told; the unpaid one that they will not be charged
    messages = by_recipient(smtp_settings.wait_for(2))
    cancelled_text, _ = parts(messages["binh@example.vn"])
    paid_text, _ = parts(messages["anna@example.de"])
    promise = "This order was still awaiting payment: we have cancelled it, and you will not be"
    assert promise in cancelled_text
    assert promise not in paid_text


def test_running_the_task_twice_mails_nobody_twice(smtp_settings):
    batch = honey_batch()
    buy((batch.variant, 2), email="anna@example.de", shipped=True)
    buy((batch.variant, 1), email="binh@example.vn", paid=False)
    recall = recalled(batch)

    first = recall_tasks.notify_recall.delay(recall_id=recall.pk).get()
    second = recall_tasks.notify_recall.delay(recall_id=recall.pk).get()
    notice = RecallNotice.objects.first()
    again = recall_tasks.send_recall_notice.delay(notice_id=notice.pk).get()

    assert (first, second, again) == (2, 0, 0)
    assert len(smtp_settings.wait_for(3, timeout=1)) == 2


def test_the_recall_queues_the_task_on_commit_and_it_runs(
    smtp_settings, django_capture_on_commit_callbacks
):
    batch = honey_batch()
    buy((batch.variant, 2), email="anna@example.de", shipped=True)

    with django_capture_on_commit_callbacks(execute=True):
        recalled(batch)

    [message] = smtp_settings.wait_for(1)
    assert message["To"] == "anna@example.de"


def test_a_refusing_server_is_retried_with_backoff_and_the_notice_then_sent_once(
    smtp_settings, retries
):
    batch = honey_batch()
    buy((batch.variant, 2), email="anna@example.de", shipped=True)
    recall = recalled(batch)
    smtp_settings.refuse_next(2)

    recall_tasks.notify_recall.delay(recall_id=recall.pk)

    assert retries == [60, 120]
    assert smtp_settings.mailbox.refused == 2
    assert len(smtp_settings.wait_for(2, timeout=1)) == 1
    assert RecallNotice.objects.get().status == NoticeStatus.SENT


def test_one_buyers_failing_delivery_holds_nobody_else_back(smtp_settings, retries):
    # Given two buyers, and a server that refuses the first buyer's message every time
    batch = honey_batch()
    buy((batch.variant, 2), email="anna@example.de", shipped=True)
    buy((batch.variant, 1), email="binh@example.vn", shipped=True)
    recall = recalled(batch)
    smtp_settings.refuse_next(1 + len(BACKOFF))

    recall_tasks.notify_recall.delay(recall_id=recall.pk)

    # Then the first buyer's task gave up after its retries, and the second was still told
    assert retries == BACKOFF
    assert [m["To"] for m in smtp_settings.wait_for(2, timeout=1)] == ["binh@example.vn"]
    assert list(RecallNotice.objects.order_by("order_id").values_list("email", "status")) == [
        ("anna@example.de", NoticeStatus.PENDING),
        ("binh@example.vn", NoticeStatus.SENT),
    ]


def test_a_closed_smtp_port_is_retried_until_max_retries_and_the_notice_stays_pending(
    closed_smtp_port, retries
):
    batch = honey_batch()
    buy((batch.variant, 2), email="anna@example.de", shipped=True)
    recall = recalled(batch)

    recall_tasks.notify_recall.delay(recall_id=recall.pk)

    assert retries == BACKOFF
    notice = RecallNotice.objects.get()
    assert (notice.status, notice.sent_at) == (NoticeStatus.PENDING, None)


def test_a_missing_notice_sends_nothing_and_is_not_retried(smtp_settings, retries):
    assert recall_tasks.send_recall_notice.delay(notice_id=987654).get() == 0
    assert retries == []
    assert smtp_settings.wait_for(1, timeout=0.5) == []


def test_the_notice_task_retries_only_smtp_errors_and_is_acked_late():
    task = recall_tasks.send_recall_notice
    assert (task.acks_late, task.max_retries) == (True, 8)
    assert task.autoretry_for == (smtplib.SMTPException, OSError)
    assert recall_tasks.notify_recall.acks_late is True


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_once_send_one_email(smtp_settings):
    """A redelivered task running while the first still talks to SMTP waits on the locked
    notice, then finds it sent."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with CI=true)")
    batch = honey_batch()
    buy((batch.variant, 2), email="anna@example.de", shipped=True)
    recall = recalled(batch)  # commits, so the eager task has told the buyer already
    smtp_settings.wait_for(1)
    RecallNotice.objects.update(status=NoticeStatus.PENDING, sent_at=None)
    smtp_settings.mailbox.messages.clear()
    smtp_settings.mailbox.in_data.clear()
    notice = RecallNotice.objects.get(recall=recall)
    release = smtp_settings.hold_data()
    outcomes = {}

    def deliver(name):
        try:
            outcomes[name] = recalls.send_notice(notice_id=notice.pk)
        finally:
            connections.close_all()

    first = threading.Thread(target=deliver, args=("first",))
    first.start()
    assert smtp_settings.mailbox.in_data.wait(10)
    second = threading.Thread(target=deliver, args=("second",))
    second.start()
    second.join(timeout=1)
    assert second.is_alive(), "the second run should wait on the first one's lock"
    release.set()
    first.join(timeout=20)
    second.join(timeout=20)

    assert outcomes == {"first": 1, "second": 0}
    assert len(smtp_settings.wait_for(2, timeout=1)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_tells_each_buyer(request, smtp_server):
    """The recall's commit queues the task on Redis; a real worker cancels nothing here
    (the orders are paid) and emails both buyers through SMTP."""
    from tests.factories import OrderLineBatchFactory

    worker = request.getfixturevalue("worker_process")

    batch = honey_batch()
    for email, language in (("anna@example.de", "en"), ("binh@example.vn", "vi")):
        OrderLineBatchFactory(
            line__order__email=email,
            line__order__language=language,
            line__order__status=OrderStatus.PAID,
            line__variant=batch.variant,
            batch=batch,
            quantity=2,
            state=AllocationState.SOLD,
        )

    recalled(batch)  # commits: the task goes to the broker

    messages = smtp_server.wait_for(2, timeout=integration.DELIVERY_TIMEOUT)
    recipients = sorted(m["To"] for m in messages)
    assert recipients == ["anna@example.de", "binh@example.vn"], integration.worker_log(worker)
    subjects = sorted(str(m["Subject"]).strip() for m in messages)
    assert subjects == [
        f"Important: Longan honey, lot {LOT}, is recalled",
        f"Quan trọng: Mật ong nhãn, lô {LOT}, bị thu hồi",
    ]


def test_a_withdrawn_line_is_refunded_once_however_often_the_task_runs(smtp_settings):
    # Given a paid order waiting to be packed, of a lot no other lot can replace
    from shop.models import Refund

    batch = honey_batch()
    order = buy((batch.variant, 2), email="anna@example.de")
    recall = recalled(batch)

    # When the task runs twice
    first = recall_tasks.notify_recall.delay(recall_id=recall.pk).get()
    second = recall_tasks.notify_recall.delay(recall_id=recall.pk).get()

    # Then the order was refunded once and its buyer told so once
    assert (first, second) == (1, 0)
    assert list(Refund.objects.values_list("payment__order_id", "amount")) == [
        (order.pk, order.total)
    ]
    [message] = smtp_settings.wait_for(2, timeout=1)
    text, _html = parts(message)
    assert f"we refunded ${order.total} for it." in text
    assert "Do not eat" not in text
