"""Label sheets from the workspace: a small sheet as a PDF at once, a large one through the
worker with a page that refreshes itself until the PDF is ready."""

import io

import pypdf
import pytest
from django.utils import timezone

from shop.models import BatchStatus
from tests.factories import BatchFactory, StaffFactory
from traceability import labels

pytestmark = pytest.mark.django_db


def pages(content: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_form_lists_batches_in_stock_and_preselects_the_one_asked_for(staff_client, batch):
    response = staff_client.get(f"/coop/labels/?batch={batch.pk}")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="count_{batch.pk}"' in html
    assert 'value="40"' in html  # one label per unit on hand
    assert 'value="24" selected' in html
    assert '<option value="vi" selected>' in html


def test_a_small_sheet_comes_back_as_a_pdf_at_once(staff_client, batch):
    response = staff_client.post(
        "/coop/labels/", {f"count_{batch.pk}": "30", "per_sheet": "24", "language": "vi"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ocop-labels-{timezone.localdate():%Y%m%d}.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    assert pages(response.content) == 2


def test_no_labels_asked_for_is_answered_on_the_form(staff_client, batch):
    response = staff_client.post(
        "/coop/labels/", {f"count_{batch.pk}": "0", "per_sheet": "24", "language": "vi"}
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


def test_a_layout_that_does_not_exist_is_refused(staff_client, batch):
    response = staff_client.post(
        "/coop/labels/", {f"count_{batch.pk}": "3", "per_sheet": "7", "language": "vi"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["per_sheet"]


def test_a_large_sheet_is_built_by_the_worker_and_the_page_refreshes_until_ready(
    staff_client, batch, variant, django_capture_on_commit_callbacks
):
    second = BatchFactory(variant=variant, lot_code="NMPQ-2", quantity_received=500)
    data = {
        f"count_{batch.pk}": "150",
        f"count_{second.pk}": "150",
        "per_sheet": "40",
        "language": "en",
    }

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = staff_client.post("/coop/labels/", data)
    job_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    waiting = staff_client.get(response["Location"]).content.decode()
    for callback in queued:
        callback()  # the worker runs the task (eager Celery)
    done = staff_client.get(response["Location"]).content.decode()
    pdf = staff_client.get(f"/coop/labels/jobs/{job_id}/sheet.pdf")

    assert response.status_code == 302
    assert response["Location"] == f"/coop/labels/jobs/{job_id}/"
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert 'http-equiv="refresh"' not in done
    assert f"/coop/labels/jobs/{job_id}/sheet.pdf" in done
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pages(b"".join(pdf.streaming_content)) == 8


def test_someone_elses_job_and_an_unknown_job_are_404(staff_client, batch, coop):
    colleague = StaffFactory(cooperative=coop)
    job_id = labels.start_label_job(
        items=[(batch.pk, 300)], per_sheet=40, language="vi", requested_by_id=colleague.pk
    )

    assert staff_client.get(f"/coop/labels/jobs/{job_id}/").status_code == 404
    assert staff_client.get(f"/coop/labels/jobs/{job_id}/sheet.pdf").status_code == 404
    assert (
        staff_client.get("/coop/labels/jobs/0123456789abcdef0123456789abcdef/").status_code == 404
    )
    assert staff_client.get("/coop/labels/jobs/not-a-job/").status_code == 404


def test_a_pdf_of_a_job_not_finished_is_404(staff_client, staff, batch):
    job_id = labels.start_label_job(
        items=[(batch.pk, 300)], per_sheet=40, language="vi", requested_by_id=staff.pk
    )

    assert staff_client.get(f"/coop/labels/jobs/{job_id}/sheet.pdf").status_code == 404


def test_recalled_batches_are_not_offered(staff_client, batch, variant):
    recalled = BatchFactory(variant=variant, lot_code="GONE")
    type(recalled).objects.filter(pk=recalled.pk).update(status=BatchStatus.RECALLED)

    html = staff_client.get("/coop/labels/").content.decode()

    assert f'name="count_{batch.pk}"' in html
    assert f'name="count_{recalled.pk}"' not in html


def test_posting_another_cooperatives_batch_prints_nothing_of_it(staff_client, batch, other_batch):
    response = staff_client.post(
        "/coop/labels/", {f"count_{other_batch.pk}": "5", "per_sheet": "24", "language": "vi"}
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
