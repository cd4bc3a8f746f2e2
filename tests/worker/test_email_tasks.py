"""Email tasks as Celery runs them (eager here; a real worker in
test_celery_worker_integration.py): delivered through a real SMTP server, retried with
exponential backoff when SMTP fails, never sent twice."""

import smtplib

import pytest
from celery import signals
from django.core import mail

from shop.models import OrderEmail
from tests.factories import OrderFactory, OrderLineBatchFactory, OrderLineFactory
from worker.celery import app
from worker.tasks import emails

pytestmark = pytest.mark.django_db

# 60 s doubling, capped at 5 minutes (below the broker's 10-minute visibility timeout).
BACKOFF = [60, 120, 240, 300, 300, 300, 300, 300]


def order_with_a_batch(**fields):
    order = OrderFactory(**fields)
    OrderLineBatchFactory(line=OrderLineFactory(order=order))
    return order


@pytest.fixture
def like_a_worker(monkeypatch):
    """Eager tasks raise to the caller by default; a worker instead records the failure and
    runs the retry, which eager mode does at once (ignoring the countdown)."""
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


@pytest.fixture
def retries(like_a_worker):
    """The countdown of every retry Celery is asked for, as its task_retry signal reports."""
    countdowns: list[float] = []

    def record(sender, request, reason, **kwargs):
        countdowns.append(reason.when)

    signals.task_retry.connect(record, weak=False)
    yield countdowns
    signals.task_retry.disconnect(record)


def test_task_delivers_the_confirmation_through_smtp(smtp_settings):
    order = order_with_a_batch()

    result = emails.send_order_confirmation.delay(order_id=order.pk)

    assert result.get() is True
    [message] = smtp_settings.wait_for(1)
    assert str(message["Subject"]).strip() == f"Order {order.number} confirmed. Thank you!"
    assert smtp_settings.mailbox.envelopes == [("shop@ocop.example", [order.email])]


def test_task_run_twice_after_success_sends_one_message(smtp_settings):
    order = order_with_a_batch(carrier="DHL Express", tracking_number="JD0146000033")

    first = emails.send_shipped_notice.delay(order_id=order.pk).get()
    second = emails.send_shipped_notice.delay(order_id=order.pk).get()

    assert (first, second) == (True, False)
    assert len(smtp_settings.wait_for(2, timeout=1)) == 1
    assert list(OrderEmail.objects.values_list("order_id", "kind")) == [
        (order.pk, "shipped_notice")
    ]


def test_closed_smtp_port_is_retried_with_backoff_until_max_retries(closed_smtp_port, retries):
    order = order_with_a_batch()

    result = emails.send_order_confirmation.delay(order_id=order.pk)

    assert result.state == "FAILURE"
    assert isinstance(result.result, ConnectionRefusedError)
    assert retries == BACKOFF
    assert OrderEmail.objects.count() == 0
    assert mail.outbox == []


def test_refusing_server_is_retried_and_the_email_then_sent_once(smtp_settings, retries):
    order = order_with_a_batch()
    smtp_settings.refuse_next(2)

    result = emails.send_order_confirmation.delay(order_id=order.pk)

    assert result.get() is True
    assert retries == [60, 120]
    assert smtp_settings.mailbox.refused == 2
    assert len(smtp_settings.wait_for(2, timeout=1)) == 1
    assert OrderEmail.objects.filter(order=order, kind="order_confirmation").count() == 1


def test_retry_countdown_grows_with_the_attempt_number(smtp_settings, retries):
    """A task already retried twice (as a worker would redeliver it) waits 240 s next."""
    order = order_with_a_batch()
    smtp_settings.refuse_next(1)

    result = emails.send_order_confirmation.apply(kwargs={"order_id": order.pk}, retries=2)

    assert result.get() is True
    assert retries == [240]


def test_task_for_a_missing_order_sends_nothing_and_does_not_retry(smtp_settings, retries):
    result = emails.send_order_confirmation.delay(order_id=987654)

    assert result.get() is False
    assert retries == []
    assert smtp_settings.wait_for(1, timeout=0.5) == []


def test_tasks_are_acked_late_and_retry_only_on_smtp_errors():
    for task in (emails.send_order_confirmation, emails.send_shipped_notice):
        assert task.acks_late is True
        assert task.max_retries == 8
        assert task.autoretry_for == (smtplib.SMTPException, OSError)
