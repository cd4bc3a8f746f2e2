import io
import os
import uuid

import pypdf
import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.utils import translation

from shop.models import Batch, BatchStatus
from tests.factories import BatchFactory, ProductFactory, StaffFactory
from traceability import labels
from worker.tasks.labels import build_label_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield tmp_path
    cache.clear()


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def batches(staff):
    product = ProductFactory(cooperative=staff.cooperative, name_vi="Mật ong bạc hà")
    return [BatchFactory(variant__product=product, lot_code=f"MH{n}") for n in range(3)]


def label_files(media) -> list[str]:
    folder = media / "labels"
    return sorted(os.listdir(folder)) if folder.exists() else []


def start(staff, items, per_sheet=40, language="vi"):
    return labels.start_label_job(
        items=items, per_sheet=per_sheet, language=language, requested_by_id=staff.pk
    )


def test_a_large_sheet_is_built_by_the_task_and_reaches_100_percent(
    staff, batches, media, django_capture_on_commit_callbacks
):
    items = [(batches[0].pk, 1000), (batches[1].pk, 250), (batches[2].pk, 10)]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job_id = start(staff, items)

    job = labels.job_status(job_id=job_id, requested_by_id=staff.pk)
    assert len(callbacks) == 1
    assert (job.status, job.progress, job.total_labels, job.pages) == ("done", 100, 1260, 32)
    assert job.path == f"labels/{job_id}.pdf"
    assert label_files(media) == [f"{job_id}.pdf"]
    with default_storage.open(job.path) as pdf:
        reader = pypdf.PdfReader(io.BytesIO(pdf.read()))
    assert len(reader.pages) == 32
    last_page = " ".join(reader.pages[-1].extract_text().split())
    assert last_page.count("Mật ong bạc hà") == 20
    assert last_page.count("(10) MH2") == 10


def test_a_queued_job_waits_at_zero_until_the_task_runs(staff, batches):
    job_id = start(staff, [(batches[0].pk, 300)])

    job = labels.job_status(job_id=job_id, requested_by_id=staff.pk)

    assert (job.status, job.progress, job.path) == ("queued", 0, "")


def test_running_the_task_again_rebuilds_nothing(
    staff, batches, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job_id = start(staff, [(batches[0].pk, 300)])
    path = media / "labels" / f"{job_id}.pdf"
    before = (path.stat().st_mtime_ns, path.read_bytes())

    result = build_label_sheet.delay(job_id=job_id).get()

    assert result == "done"
    assert label_files(media) == [f"{job_id}.pdf"]
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_a_partial_file_from_a_crashed_run_is_replaced_not_kept_beside(staff, batches, media):
    job_id = start(staff, [(batches[0].pk, 300)])
    default_storage.save(f"labels/{job_id}.pdf", io.BytesIO(b"%PDF-1.4 half written"))

    build_label_sheet.delay(job_id=job_id)

    assert label_files(media) == [f"{job_id}.pdf"]
    reader = pypdf.PdfReader(media / "labels" / f"{job_id}.pdf")
    assert len(reader.pages) == 8


def test_a_second_delivery_while_the_first_runs_does_nothing(staff, batches, media):
    job_id = start(staff, [(batches[0].pk, 300)])
    cache.add(f"labels:job:{job_id}:lock", 1)

    result = build_label_sheet.delay(job_id=job_id).get()

    assert result == "queued"
    assert label_files(media) == []


def test_a_batch_recalled_before_the_task_runs_fails_the_job(
    staff, batches, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job_id = start(staff, [(batches[0].pk, 250), (batches[1].pk, 5)])
    Batch.objects.filter(pk=batches[1].pk).update(status=BatchStatus.RECALLED)

    for callback in callbacks:
        callback()

    job = labels.job_status(job_id=job_id, requested_by_id=staff.pk)
    assert (job.status, job.path) == ("failed", "")
    assert job.error == "Batch MH1 is recalled: no labels are printed for it."
    assert label_files(media) == []


def test_a_failure_is_explained_in_the_language_the_job_was_asked_in(
    staff, batches, django_capture_on_commit_callbacks
):
    with translation.override("vi"), django_capture_on_commit_callbacks() as callbacks:
        job_id = start(staff, [(batches[0].pk, 250)], language="en")
    Batch.objects.filter(pk=batches[0].pk).update(status=BatchStatus.RECALLED)

    callbacks[0]()

    job = labels.job_status(job_id=job_id, requested_by_id=staff.pk)
    assert job.error == "Lô MH0 đã bị thu hồi: không in nhãn cho lô này."


@pytest.mark.parametrize(
    "items", [[(1, 1001)], [(n, 1000) for n in range(1, 7)], [(987654, 300)], []]
)
def test_a_refused_job_queues_and_stores_nothing(
    staff, items, media, monkeypatch, django_capture_on_commit_callbacks
):
    job_id = uuid.UUID(int=42)
    monkeypatch.setattr(labels.uuid, "uuid4", lambda: job_id)

    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(labels.InvalidLabelRequest):
            start(staff, items)

    assert callbacks == []
    assert label_files(media) == []
    assert cache.get(f"labels:job:{job_id.hex}") is None


def test_progress_is_reported_page_by_page_while_running(
    staff, batches, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job_id = start(staff, [(batches[0].pk, 400)], per_sheet=40)
    seen = []
    draw_sheets = labels.draw_sheets

    def observed(*, on_page, **kwargs):
        def report(done, total):
            on_page(done, total)
            job = labels.job_status(job_id=job_id, requested_by_id=staff.pk)
            seen.append((job.status, job.progress))

        return draw_sheets(on_page=report, **kwargs)

    monkeypatch.setattr(labels, "draw_sheets", observed)
    callbacks[0]()

    assert seen == [("running", done * 99 // 10) for done in range(1, 11)]
    assert labels.job_status(job_id=job_id, requested_by_id=staff.pk).progress == 100


def test_another_user_cannot_see_the_job(staff, batches):
    job_id = start(staff, [(batches[0].pk, 300)])
    colleague = StaffFactory(cooperative=staff.cooperative)

    with pytest.raises(labels.LabelJobNotFound):
        labels.job_status(job_id=job_id, requested_by_id=colleague.pk)


@pytest.mark.parametrize("job_id", ["../../etc/passwd", "0" * 32, "", "x" * 300])
def test_an_unknown_or_malformed_job_id_is_not_found(staff, job_id):
    with pytest.raises(labels.LabelJobNotFound):
        labels.job_status(job_id=job_id, requested_by_id=staff.pk)


def test_the_task_for_an_expired_job_does_nothing(media):
    assert build_label_sheet.delay(job_id="0" * 32).get() is None
    assert label_files(media) == []
