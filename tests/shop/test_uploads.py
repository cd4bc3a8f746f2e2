"""Uploaded pictures are decoded and re-encoded before they are stored: HTML, SVG, huge
files and pixel bombs are refused with a form error, in the admin and the workspace."""

import io
import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from django.test import RequestFactory
from PIL import Image

from shop import uploads
from shop.models import Cooperative, Product
from traceability.models import TraceEvent

SCRIPT_SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)


def picture(fmt="JPEG", size=(64, 48), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 90, 30))
    if exif is not None:
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 2.0, 3.0)}  # GPS latitude
    return exif


def photo_form(model=Product):
    return modelform_factory(model, fields=["photo"])


@pytest.mark.parametrize(
    "name, data",
    [
        ("c.html", b"<html><script>alert(document.cookie)</script></html>"),
        ("c.svg", SCRIPT_SVG),
        ("c.jpg", b"<html><script>alert(1)</script></html>"),
        ("c.gif", b"GIF89a" + b"\x00" * 40),
    ],
    ids=["html", "svg-with-script", "html-named-jpg", "gif"],
)
def test_anything_but_a_jpeg_png_or_webp_is_refused_with_a_form_error(name, data):
    form = photo_form()(files={"photo": SimpleUploadedFile(name, data)})

    assert not form.is_valid()
    assert form.errors.as_data()["photo"][0].code == "image_format"


def test_a_twenty_megabyte_photo_is_refused_before_it_is_decoded(monkeypatch):
    data = picture() + b"\x00" * (20 * 1024 * 1024)
    decoded = []
    monkeypatch.setattr(uploads, "_open", decoded.append)

    form = photo_form()(files={"photo": SimpleUploadedFile("big.jpg", data)})

    assert not form.is_valid()
    assert form.errors.as_data()["photo"][0].code == "image_too_large"
    assert decoded == []


def test_a_picture_claiming_too_many_pixels_is_refused_without_decoding_it():
    # 12,000 x 12,000 one-bit pixels compress to a few kilobytes of PNG.
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG")
    assert len(out.getvalue()) < 100_000

    form = photo_form(Cooperative)(files={"photo": SimpleUploadedFile("bomb.png", out.getvalue())})

    assert not form.is_valid()
    assert form.errors.as_data()["photo"][0].code == "image_too_many_pixels"


def test_a_jpeg_is_re_encoded_without_its_exif_under_a_generated_name():
    sent = picture(exif=gps_exif()) + b"<script>alert(1)</script>"
    assert Image.open(io.BytesIO(sent)).getexif()

    form = photo_form()(files={"photo": SimpleUploadedFile("../../my house.jpg", sent)})

    assert form.is_valid(), form.errors
    clean = form.cleaned_data["photo"]
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", clean.name)
    stored = clean.read()
    assert b"<script>" not in stored
    again = Image.open(io.BytesIO(stored))
    assert (again.format, again.size) == ("JPEG", (64, 48))
    assert not again.getexif()
    assert "exif" not in again.info


def test_the_extension_follows_the_format_actually_sent():
    clean = uploads.reencode_image(SimpleUploadedFile("photo.jpg", picture("PNG")))

    assert clean.name.endswith(".png")
    assert Image.open(io.BytesIO(clean.read())).format == "PNG"


def test_a_webp_is_kept_as_webp_and_a_big_one_is_scaled_down():
    clean = uploads.reencode_image(SimpleUploadedFile("p.webp", picture("WEBP", (3000, 1500))))

    image = Image.open(io.BytesIO(clean.read()))
    assert (image.format, image.size) == ("WEBP", (2400, 1200))


def test_re_encoding_twice_returns_the_same_clean_file():
    clean = uploads.reencode_image(SimpleUploadedFile("a.jpg", picture()))

    assert uploads.reencode_image(clean) is clean


@pytest.mark.parametrize("model", [Product, Cooperative])
def test_the_admin_takes_photos_through_the_re_encoding_field(model, rf: RequestFactory):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = type("Superuser", (), {"is_superuser": True, "is_active": True})()

    field = model_admin.formfield_for_dbfield(model._meta.get_field("photo"), request=request)

    assert isinstance(field, uploads.ImageUploadField)


def test_trace_event_photos_are_photo_fields_too():
    assert isinstance(TraceEvent._meta.get_field("photo"), uploads.PhotoField)
