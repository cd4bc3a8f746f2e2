"""A recall whose notify task was lost (broker down at the commit) still tells every buyer:
its pending notices are the outbox, and beat's requeue_recall_notices queues it again."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from tests.traceability.recall_data import REASON, buy, honey_batch, staff_of
from traceability import recalls
from traceability.models import NoticeStatus, Recall, RecallNotice
from worker.celery import app
from worker.tasks import recalls as recall_tasks

pytestmark = pytest.mark.django_db


def test_a_lost_recall_task_is_queued_again_and_each_buyer_told_once():
    # given a recall whose notify task never ran (its on_commit queuing failed)
    batch = honey_batch()
    buy((batch.variant, 2), email="anna@example.de", shipped=True)
    buy((batch.variant, 1), email="binh@example.vn", language="vi", shipped=True)
    recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))
    assert set(RecallNotice.objects.values_list("status", flat=True)) == {NoticeStatus.PENDING}

    # when beat runs within the first minutes, then it waits
    assert recall_tasks.requeue_recall_notices.delay().get() == 0
    assert mail.outbox == []

    # when it runs once the recall is older than the requeue delay
    Recall.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    assert recall_tasks.requeue_recall_notices.delay().get() == 1

    # then each buyer got one notice, and later runs send nothing more
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.de", "binh@example.vn"]
    assert set(RecallNotice.objects.values_list("status", flat=True)) == {NoticeStatus.SENT}
    assert recall_tasks.requeue_recall_notices.delay().get() == 0
    assert len(mail.outbox) == 2


def test_a_recall_older_than_a_week_is_left_to_staff():
    batch = honey_batch()
    buy((batch.variant, 1), email="anna@example.de", shipped=True)
    recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))
    Recall.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))

    assert recall_tasks.requeue_recall_notices.delay().get() == 0
    assert mail.outbox == []


def test_beat_runs_the_recall_outbox():
    schedule = app.conf.beat_schedule["requeue-recall-notices"]
    assert schedule["task"] == "worker.tasks.recalls.requeue_recall_notices"
