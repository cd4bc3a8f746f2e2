"""A trace event with a photo from the phone's camera, appended to the batch's chain."""

import hashlib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from traceability.events import verify_chain
from traceability.links import digital_link_path
from traceability.models import EventKind, TraceEvent

pytestmark = pytest.mark.django_db


def photo(name="harvest.jpg", fmt="JPEG", size=(64, 48)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 120, 60)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def event_data(**overrides):
    when = timezone.localtime() - timezone.timedelta(hours=1)
    data = {
        "kind": "harvest",
        "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
        "place": "Vườn nhà ông Tư",
        "notes": "Thu hoạch cá cơm buổi sáng.",
    }
    return {**data, **overrides}


def test_the_form_asks_the_phone_for_its_camera(staff_client, batch):
    html = staff_client.get(f"/coop/batches/{batch.pk}/events/add/").content.decode()

    assert 'accept="image/*"' in html
    assert 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'value="Hàm Ninh"' in html  # the place starts as the batch's village


def test_a_harvest_photo_joins_the_batchs_chain_and_its_trace_page(
    staff_client, staff, batch, client
):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/events/add/", {**event_data(), "photo": photo()}
    )

    assert response.status_code == 302
    event = TraceEvent.objects.get()
    assert (event.batch, event.kind, event.sequence) == (batch, EventKind.HARVEST, 1)
    assert event.place == "Vườn nhà ông Tư"
    assert event.notes_vi == "Thu hoạch cá cơm buổi sáng."
    assert event.notes_en == ""
    assert event.village == batch.village
    assert event.actor == "Lan"
    assert event.recorded_by == staff
    assert re.fullmatch(r"trace-events/[0-9a-f]{32}\.jpg", event.photo.name)
    with event.photo.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == event.photo_sha256
    assert verify_chain([event]).valid
    trace = client.get(digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code))
    assert "Thu hoạch cá cơm buổi sáng." in trace.content.decode()


def test_notes_written_in_english_go_to_the_english_notes(staff_client, batch, settings):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    staff_client.post(
        f"/coop/batches/{batch.pk}/events/add/", event_data(kind="packing", notes="Bottled.")
    )

    event = TraceEvent.objects.get()
    assert (event.kind, event.notes_en, event.notes_vi, event.village) == (
        "packing",
        "Bottled.",
        "",
        None,
    )


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("harvest.jpg", b"not an image at all", content_type="image/jpeg"),
        SimpleUploadedFile("harvest.pdf", b"%PDF-1.4 fake", content_type="application/pdf"),
    ],
    ids=["not-an-image", "pdf"],
)
def test_a_file_that_is_not_a_photo_is_refused(staff_client, batch, upload):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/events/add/", {**event_data(), "photo": upload}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["photo"]
    assert TraceEvent.objects.count() == 0


def test_a_gif_is_refused_even_though_it_is_an_image(staff_client, batch):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/events/add/", {**event_data(), "photo": photo("a.gif", "GIF")}
    )

    assert response.status_code == 400
    assert TraceEvent.objects.count() == 0


def test_a_photo_over_the_size_limit_is_refused(staff_client, batch, monkeypatch):
    from shop import uploads

    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 100)

    response = staff_client.post(
        f"/coop/batches/{batch.pk}/events/add/", {**event_data(), "photo": photo()}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["photo"]
    assert TraceEvent.objects.count() == 0


def test_an_event_in_the_future_is_refused_by_the_events_service(staff_client, batch):
    later = timezone.localtime() + timezone.timedelta(days=2)

    response = staff_client.post(
        f"/coop/batches/{batch.pk}/events/add/",
        event_data(occurred_at=later.strftime("%Y-%m-%dT%H:%M")),
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert TraceEvent.objects.count() == 0


def test_a_gift_set_assembly_cannot_be_added_here(staff_client, batch):
    response = staff_client.post(
        f"/coop/batches/{batch.pk}/events/add/", event_data(kind="transformation")
    )

    assert response.status_code == 400
    assert TraceEvent.objects.count() == 0
