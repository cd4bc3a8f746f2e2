"""Uploaded pictures: only JPEG, PNG or WebP, decoded and re-encoded before they are stored.

A file is never stored as the bytes that were sent: Pillow opens it (only its JPEG, PNG and
WebP decoders are tried), its size and pixel count are checked before the pixels are
decoded, and a fresh file is written from the pixels alone, so metadata (EXIF, GPS, text
chunks) and whatever hid behind a picture's header (HTML, script, a polyglot) are gone. The
stored name is generated; the extension follows the format actually written.

`reencode_image` is the one door; `ImageUploadField` (a form field) and `PhotoField` (the
model field whose forms use it) call it, and services that store a photo call it too.
Serving the media folder lives in shop/media.py.
"""

import io
import uuid
import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A phone's 24-megapixel photo passes; a 1 kB PNG that claims 100 million pixels does not.
MAX_PIXELS = 40_000_000
# Stored pictures are shown at most a few hundred pixels wide; a bounded side keeps the
# decoded image (and the stored file) small.
MAX_SIDE = 2400
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPT = "image/jpeg,image/png,image/webp"


class CleanImage(ContentFile):
    """Bytes written by reencode_image; passing one through it again returns it unchanged."""


def _refuse(message, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _read_bounded(file: File, max_bytes: int) -> bytes:
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise _refuse(_("The picture is larger than 5 MB."), "image_too_large")
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _refuse(_("The picture is larger than 5 MB."), "image_too_large")
    if not data:
        raise _refuse(_("The file is empty."), "image_empty")
    return data


def _open(data: bytes) -> Image.Image:
    not_a_picture = _refuse(_("Send a JPEG, PNG or WebP picture."), "image_format")
    try:
        # Pillow's own bomb check only warns below twice its limit: make any warning fatal.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _refuse(
                    _("The picture has too many pixels (at most 40 megapixels)."),
                    "image_too_many_pixels",
                )
            if image.format == "JPEG":
                # Decode at a reduced scale straight away: far less memory for a big photo.
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(
            _("The picture has too many pixels (at most 40 megapixels)."), "image_too_many_pixels"
        ) from None
    except (Image.UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_a_picture from None
    if image.format not in FORMATS:
        raise not_a_picture
    return image


def reencode_image(file: File, *, max_bytes: int | None = None) -> CleanImage:
    """The picture in `file`, decoded and written afresh, under a generated name.

    Rule: at most `max_bytes` (MAX_UPLOAD_BYTES; more only for files already stored) and
    MAX_PIXELS, JPEG/PNG/WebP; turned upright by its EXIF orientation, then written without
    metadata, at most MAX_SIDE pixels a side. Raises ValidationError (codes image_too_large,
    image_too_many_pixels, image_format, image_empty). No side effects: the caller stores
    the result.
    """
    if isinstance(file, CleanImage):
        return file
    image = _open(_read_bounded(file, max_bytes or MAX_UPLOAD_BYTES))
    source_format = image.format
    try:
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, TypeError, KeyError, SyntaxError):
        pass  # a broken orientation tag: keep the pixels as they were sent
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if source_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif source_format == "PNG":
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "WEBP", quality=85)
    return CleanImage(out.getvalue(), name=f"{uuid.uuid4().hex}.{FORMATS[source_format]}")


class ImageUploadField(forms.FileField):
    """A form field whose cleaned value is the re-encoded picture (a CleanImage)."""

    widget = forms.ClearableFileInput(attrs={"accept": ACCEPT})

    def to_python(self, data):
        data = super().to_python(data)
        if data is None:
            return None
        return reencode_image(data)


class PhotoField(models.FileField):
    """A FileField whose forms (admin, workspace, any ModelForm) take only re-encoded pictures.

    Files already stored are not re-checked on save (see `manage.py check_uploads`)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadField, **kwargs})
