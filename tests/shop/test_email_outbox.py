"""The order emails' outbox: the email an event owes is written with the event, so a broker
that is down at the commit delays the email and never loses it; beat queues it again and it
is sent exactly once."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from shop import notifications
from shop.fulfilment import payment as paying
from shop.models import Order, OrderEmail, OrderStatus, PendingEmail
from tests.factories import BatchFactory
from tests.shop.checkout_data import honey, placed_order
from worker.celery import app
from worker.tasks import emails as email_tasks

LATER = datetime.timedelta(minutes=10)


@pytest.fixture
def broker_down(monkeypatch):
    """Queuing any order email fails as kombu fails when Redis refuses the connection."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    for name in ("send_order_confirmation", "send_shipped_notice", "send_apology"):
        monkeypatch.setattr(getattr(email_tasks, name), "apply_async", refuse)


def paid_order() -> Order:
    batch = BatchFactory(variant=honey(), lot_code="HONEY1", quantity_received=10)
    order = placed_order((batch.variant, 2))
    paying.pay_order(order_id=order.pk, note="card")
    return order


@pytest.mark.django_db(transaction=True)
def test_a_paid_order_whose_email_cannot_be_queued_keeps_it_pending(broker_down, caplog):
    # given the broker is unreachable when the payment commits
    order = paid_order()

    # then the order is paid, nothing was sent, and the email waits in the outbox
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert mail.outbox == []
    assert list(PendingEmail.objects.values_list("order_id", "kind")) == [
        (order.pk, "order_confirmation")
    ]
    assert OrderEmail.objects.count() == 0
    assert any("in on_commit()" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_beat_sends_a_pending_email_later_exactly_once(broker_down, monkeypatch):
    # given a paid order whose confirmation could not be queued at the commit
    order = paid_order()
    # and the broker is back
    monkeypatch.undo()

    # when beat runs too early, nothing is queued yet
    assert notifications.requeue_pending_emails(older_than=LATER) == 0
    assert mail.outbox == []

    # when it runs once the row has waited long enough, then the email is sent once
    later = timezone.now() + LATER
    assert notifications.requeue_pending_emails(older_than=LATER, now=later) == 1
    assert [m.subject for m in mail.outbox] == [f"Order {order.number} confirmed. Thank you!"]
    assert PendingEmail.objects.count() == 0
    assert list(OrderEmail.objects.values_list("order_id", "kind")) == [
        (order.pk, "order_confirmation")
    ]

    # and later runs send nothing more
    assert notifications.requeue_pending_emails(older_than=LATER, now=later + LATER) == 0
    assert email_tasks.send_order_confirmation.delay(order_id=order.pk).get() is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_beat_with_the_broker_still_down_leaves_the_email_pending(broker_down):
    order = paid_order()

    queued = notifications.requeue_pending_emails(older_than=LATER, now=timezone.now() + LATER)

    assert queued == 0
    assert mail.outbox == []
    assert PendingEmail.objects.get().order_id == order.pk


@pytest.mark.django_db(transaction=True)
def test_an_email_sent_meanwhile_only_loses_its_outbox_row(broker_down, monkeypatch):
    # given a pending confirmation that a redelivered task sent meanwhile
    order = paid_order()
    monkeypatch.undo()
    PendingEmail.objects.update(queued_at=timezone.now())
    OrderEmail.objects.create(order=order, kind="order_confirmation")

    # when beat runs, then it queues nothing and drops the row
    assert notifications.requeue_pending_emails(older_than=LATER, now=timezone.now() + LATER) == 0
    assert PendingEmail.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_event_leaves_nothing_in_the_outbox():
    order = placed_order((BatchFactory(variant=honey(), quantity_received=5).variant, 1))

    with pytest.raises(RuntimeError), transaction.atomic():
        paying.pay_order(order_id=order.pk, note="card")
        raise RuntimeError("the gateway's row could not be written")

    assert PendingEmail.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_each_kind_finds_its_task_again():
    assert notifications._task("order_confirmation") == ("send_order_confirmation", {})
    assert notifications._task("apology") == ("send_apology", {})
    assert notifications._task("shipped:42") == ("send_shipped_notice", {"shipment_id": 42})
    assert notifications._task("shipped_notice") == ("send_shipped_notice", {})


def test_beat_runs_the_outbox_every_minute_and_workers_ack_late():
    schedule = app.conf.beat_schedule["requeue-pending-emails"]
    assert schedule["task"] == "worker.tasks.emails.requeue_pending_emails"
    assert schedule["schedule"] == 60
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.broker_transport_options["visibility_timeout"] == 600
