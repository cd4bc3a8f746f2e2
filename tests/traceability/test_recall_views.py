"""The recall report (/trace/recalls/...) and the recall admin: the affected orders, their
units and whether each buyer was told, as a page and as CSV, for superusers and the batch's
own cooperative staff only."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from shop.models import BatchStatus, OrderStatus
from tests.factories import BatchFactory, StaffFactory, UserFactory
from tests.shop.admin_forms import change_form_data
from tests.traceability.factories import add_events
from tests.traceability.recall_data import REASON, buy, honey_batch, staff_of, superuser
from traceability import recalls
from traceability.models import NoticeStatus, Recall, RecallNotice, ScanCount, TraceEvent

REASON_VI = "Phòng thí nghiệm tỉnh tìm thấy dấu vết chất gây dị ứng (đậu phộng) không ghi nhãn."

pytestmark = pytest.mark.django_db


@pytest.fixture
def recall():
    """Lot HN2503 recalled: Anna's paid order (3 jars) was told, Binh's (1 jar) not yet."""
    batch = honey_batch()
    buy((batch.variant, 3), email="anna@example.de")
    buy((batch.variant, 1), email="binh@example.vn", language="vi")
    recall = recalls.recall_batch(batch=batch, reason=REASON, actor=staff_of(batch))
    first = recall.notices.order_by("pk").first()
    recalls.send_notice(notice_id=first.pk)
    return recall


def report_url(recall) -> str:
    return reverse("traceability:recall", args=[recall.pk])


def csv_url(recall) -> str:
    return reverse("traceability:recall_csv", args=[recall.pk])


def test_the_cooperatives_staff_read_the_report(client, recall):
    client.force_login(staff_of(recall.batch))

    response = client.get(report_url(recall), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    anna, binh = recall.notices.order_by("pk").select_related("order")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert REASON in html
    assert '<dd class="recall-orders">2</dd>' in html
    assert '<dd class="recall-units">4</dd>' in html
    assert '<dd class="recall-notified">1 / 2</dd>' in html
    assert f'<th scope="row">{anna.order.number}</th>' in html
    assert f'<th scope="row">{binh.order.number}</th>' in html
    assert html.count('<span class="status status-on_sale">yes</span>') == 1
    assert html.count('<span class="status status-recalled">not yet</span>') == 1


def test_the_report_downloads_as_csv(client, recall):
    client.force_login(superuser())
    anna, binh = recall.notices.order_by("pk").select_related("order")

    response = client.get(csv_url(recall), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="recall-{recall.pk}-HN2503.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    anna.refresh_from_db()
    placed = [timezone.localtime(n.order.created_at).isoformat() for n in (anna, binh)]
    assert rows == [
        [
            "Order", "Placed at", "Order status", "Buyer email", "Language", "Units",
            "Cancelled by the recall", "Buyer notified", "Notified at",
        ],
        [
            anna.order.number, placed[0], "Paid", "anna@example.de", "en", "3", "no", "yes",
            timezone.localtime(anna.sent_at).isoformat(),
        ],
        [binh.order.number, placed[1], "Paid", "binh@example.vn", "vi", "1", "no", "no", ""],
    ]  # fmt: skip


def test_the_csv_header_speaks_vietnamese_to_a_vietnamese_reader(client, recall):
    client.force_login(superuser())

    response = client.get(csv_url(recall), HTTP_ACCEPT_LANGUAGE="vi")

    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header[:3] == ["Đơn hàng", "Thời điểm đặt", "Trạng thái đơn hàng"]


def test_a_cell_that_a_spreadsheet_would_run_is_defused(client, recall):
    RecallNotice.objects.filter(recall=recall).update(email="=cmd@example.com")
    client.force_login(superuser())

    rows = list(csv.reader(io.StringIO(client.get(csv_url(recall)).content.decode())))

    assert [row[3] for row in rows[1:]] == ["'=cmd@example.com", "'=cmd@example.com"]


@pytest.mark.parametrize("who", ["other_cooperative", "shopper", "central_staff_no_coop"])
def test_anyone_else_signed_in_gets_404_from_page_csv_and_list(client, recall, who):
    user = {
        "other_cooperative": lambda: StaffFactory(),
        "shopper": lambda: UserFactory(),
        "central_staff_no_coop": lambda: UserFactory(is_staff=True),
    }[who]()
    client.force_login(user)

    answers = [client.get(url).status_code for url in (report_url(recall), csv_url(recall))]

    assert answers == [404, 404]
    if who != "other_cooperative":
        assert client.get(reverse("traceability:recalls")).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, recall):
    response = client.get(report_url(recall))

    assert response.status_code == 302
    assert response["Location"] == f"/account/login/?next={report_url(recall)}"


def test_an_unknown_recall_is_404(client):
    client.force_login(superuser())

    assert client.get(reverse("traceability:recall", args=[987654])).status_code == 404


def test_the_list_shows_a_cooperative_only_its_own_recalls(client, recall):
    theirs = BatchFactory(lot_code="THEIRS1")
    recalls.recall_batch(batch=theirs, reason=REASON, actor=superuser())
    client.force_login(staff_of(recall.batch))

    html = client.get(reverse("traceability:recalls")).content.decode()

    assert f'href="{report_url(recall)}">HN2503</a>' in html
    assert "THEIRS1" not in html
    assert '<td data-label="Buyers notified">1 / 2</td>' in html


def test_the_report_page_costs_the_same_queries_for_two_and_six_orders(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for buyers in (2, 6):
        batch = BatchFactory(quantity_received=20)
        for n in range(buyers):
            buy((batch.variant, 1), email=f"buyer{n}@example.com")
        recall = recalls.recall_batch(batch=batch, reason=REASON, actor=superuser())
        client.force_login(superuser())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(report_url(recall)).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


# The admin


def test_staff_recall_a_batch_in_the_admin_and_buyers_are_told(
    client, django_capture_on_commit_callbacks
):
    # Given a paid order of the batch and its cooperative's staff in the admin
    batch = honey_batch()
    buy((batch.variant, 2), email="anna@example.de")
    client.force_login(staff_of(batch))

    # When they add a recall
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:traceability_recall_add"),
            {"batch": batch.pk, "reason_vi": REASON_VI, "reason_en": REASON},
        )

    # Then the batch is recalled and the buyer emailed
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RECALLED
    recall = Recall.objects.get()
    assert (recall.reason_vi, recall.reason_en) == (REASON_VI, REASON)
    assert [m.to for m in mail.outbox] == [["anna@example.de"]]
    assert RecallNotice.objects.get().status == NoticeStatus.SENT


def test_the_admin_offers_only_their_own_batches_not_yet_recalled(client):
    batch = honey_batch()
    recalled = BatchFactory(variant=batch.variant, lot_code="GONE1")
    recalls.recall_batch(batch=recalled, reason=REASON, actor=superuser())
    other = BatchFactory(lot_code="OTHER1")
    client.force_login(staff_of(batch))

    form = client.get(reverse("admin:traceability_recall_add")).context["adminform"].form
    refused = client.post(
        reverse("admin:traceability_recall_add"),
        {"batch": other.pk, "reason_vi": REASON_VI, "reason_en": REASON},
    )

    assert list(form.fields["batch"].queryset) == [batch]
    assert refused.status_code == 200
    other.refresh_from_db()
    assert other.status == BatchStatus.ON_SALE
    assert Recall.objects.count() == 1


def test_the_recall_admin_shows_the_affected_orders_read_only(client, recall):
    client.force_login(staff_of(recall.batch))
    change = reverse("admin:traceability_recall_change", args=[recall.pk])

    page = client.get(change)
    posted = client.post(change, {"reason": "Changed"})

    html = page.content.decode()
    assert page.status_code == 200
    for notice in recall.notices.select_related("order"):
        assert notice.email in html
        assert notice.order.number in html
    assert f'href="{csv_url(recall)}"' in html
    assert posted.status_code == 403
    recall.refresh_from_db()
    assert recall.reason == REASON


def test_another_cooperatives_staff_cannot_open_the_recall_in_the_admin(client, recall):
    client.force_login(StaffFactory())

    listing = client.get(reverse("admin:traceability_recall_changelist"))
    opened = client.get(reverse("admin:traceability_recall_change", args=[recall.pk]))

    assert listing.context["cl"].result_count == 0
    assert opened.status_code == 302  # the admin's "no such object" redirect


@pytest.mark.parametrize("model", ["traceevent", "scancount", "suspiciousproductreport"])
def test_the_read_only_admins_list_only_the_cooperatives_rows(client, model):
    import datetime

    from traceability.models import SuspiciousProductReport

    ours, theirs = BatchFactory(), BatchFactory()
    for batch in (ours, theirs):
        add_events(batch, 1)
        ScanCount.objects.create(batch=batch, day=datetime.date(2026, 1, 5), country="DE", count=3)
        SuspiciousProductReport.objects.create(
            batch=batch,
            cooperative=batch.variant.product.cooperative,
            reason="label",
            details="Label differs",
            language="en",
        )
    client.force_login(staff_of(ours))

    listing = client.get(reverse(f"admin:traceability_{model}_changelist"))

    rows = listing.context["cl"].result_list
    assert [row.batch_id for row in rows] == [ours.pk]
    assert client.get(reverse(f"admin:traceability_{model}_add")).status_code == 403


def test_trace_events_cannot_be_changed_or_deleted_in_the_admin(client):
    batch = BatchFactory()
    [event] = add_events(batch, 1)
    client.force_login(superuser())
    change = reverse("admin:traceability_traceevent_change", args=[event.pk])

    posted = client.post(change, {"place": "Forged"})
    deleted = client.post(
        reverse("admin:traceability_traceevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert (posted.status_code, deleted.status_code) == (403, 403)
    assert TraceEvent.objects.get().place == event.place


def test_a_report_can_be_marked_resolved_but_not_rewritten(client):
    from traceability.models import SuspiciousProductReport

    batch = BatchFactory()
    report = SuspiciousProductReport.objects.create(
        batch=batch,
        cooperative=batch.variant.product.cooperative,
        reason="label",
        details="Label differs",
        language="en",
    )
    client.force_login(staff_of(batch))
    change = reverse("admin:traceability_suspiciousproductreport_change", args=[report.pk])
    data = change_form_data(client.get(change))
    data.update(resolved="on", details="Rewritten")

    response = client.post(change, data)

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.resolved, report.details) == (True, "Label differs")


def test_the_workspace_recall_goes_through_the_service(client, django_capture_on_commit_callbacks):
    batch = honey_batch()
    order = buy((batch.variant, 2), email="anna@example.de", paid=False)
    client.force_login(staff_of(batch))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coop:recall", args=[batch.pk]),
            {"reason_vi": REASON_VI, "reason_en": REASON, "confirm": "True"},
        )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert [m.to for m in mail.outbox] == [["anna@example.de"]]
