"""A report's optional photo: only a JPEG, PNG or WebP within the upload limits, stored
re-encoded (no metadata, a generated name); anything else is a form error, never a 500."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shop import uploads
from tests.factories import BatchFactory
from traceability import reports
from traceability.models import SuspiciousProductReport

pytestmark = pytest.mark.django_db

REPORT = {"reason": "label", "details": "The label's print is blurred and crooked."}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def url():
    batch = BatchFactory()
    return f"/trace/report/?gtin={batch.variant.gtin}&lot={batch.lot_code}"


def picture(fmt="JPEG", size=(64, 48), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 90, 30))
    image.save(out, format=fmt, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (21.0, 2.0, 3.0)}
    return exif


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_photo_is_stored_re_encoded_without_its_metadata(client, url, media):
    sent = picture(exif=gps_exif())
    upload = SimpleUploadedFile("IMG_0001.jpg", sent, content_type="image/jpeg")

    response = client.post(url, {**REPORT, "photo": upload})

    assert response.status_code == 302
    report = SuspiciousProductReport.objects.get()
    assert report.photo.name.startswith("reports/")
    assert report.photo.name.endswith(".jpg")
    assert "IMG_0001" not in report.photo.name
    with report.photo.open("rb") as stored:
        data = stored.read()
    assert data != sent
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("JPEG", (64, 48))
        assert dict(image.getexif()) == {}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("c.jpg", b"<html><script>alert(1)</script></html>", "Send a JPEG, PNG or WebP picture."),
        (
            "c.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Send a JPEG, PNG or WebP picture.",
        ),
        ("c.gif", b"GIF89a" + b"\x00" * 40, "Send a JPEG, PNG or WebP picture."),
        ("c.png", b"", "The submitted file is empty."),
    ],
    ids=["html-named-jpg", "svg", "gif", "empty"],
)
def test_anything_but_a_picture_is_a_form_error_and_nothing_is_stored(
    client, url, media, name, data, message
):
    response = client.post(url, {**REPORT, "photo": SimpleUploadedFile(name, data)})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert SuspiciousProductReport.objects.count() == 0
    assert stored_files(media) == []


def test_a_picture_over_five_megabytes_is_refused(client, url, media, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)
    upload = SimpleUploadedFile("big.png", picture("PNG", size=(400, 400)))
    assert upload.size > 1000

    response = client.post(url, {**REPORT, "photo": upload})

    assert response.status_code == 400
    assert "The picture is larger than 5 MB." in response.content.decode()
    assert SuspiciousProductReport.objects.count() == 0


def test_a_pixel_bomb_is_refused(client, url, media):
    bomb = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(bomb, format="PNG")  # 50 megapixels, a few kB

    response = client.post(url, {**REPORT, "photo": SimpleUploadedFile("b.png", bomb.getvalue())})

    assert response.status_code == 400
    assert "too many pixels" in response.content.decode()
    assert SuspiciousProductReport.objects.count() == 0


def test_the_service_refuses_a_photo_that_is_not_a_picture(media):
    batch = BatchFactory()

    with pytest.raises(reports.InvalidReport) as refused:
        reports.file_report(
            gtin=batch.variant.gtin,
            lot=batch.lot_code,
            photo=ContentFile(b"%PDF-1.4 not a picture", name="x.jpg"),
            **REPORT,
        )

    assert refused.value.code == "photo"
    assert SuspiciousProductReport.objects.count() == 0
    assert stored_files(media) == []


def test_the_service_stores_a_webp_photo_as_webp(media):
    batch = BatchFactory()

    report = reports.file_report(
        gtin=batch.variant.gtin,
        lot=batch.lot_code,
        photo=ContentFile(picture("WEBP"), name="x.webp"),
        **REPORT,
    )

    assert report.photo.name.startswith("reports/") and report.photo.name.endswith(".webp")
    assert len(stored_files(media)) == 1
