"""Serving the media folder (uploaded pictures) when Django serves it at all (SERVE_MEDIA).

Whatever a file holds, it is never rendered as a page from the shop's origin: its content
type comes from a fixed table by extension (never sniffed from the bytes), the browser is
told not to sniff (`nosniff`), every answer carries `Content-Security-Policy: sandbox`
with no sources allowed (a script in an SVG, or HTML stored before uploads were re-encoded,
cannot run or reach the shop's cookies), and anything but a picture is sent as a download.
"""

from collections.abc import Iterator
from pathlib import PurePosixPath
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.http import HttpRequest, HttpResponse
from django.views.static import serve

from shop import uploads

# The demo's drawings are SVG written by the shop itself (shop/demo/pictures.py); uploads
# never are (shop/uploads.py). The sandbox below disarms any SVG left from before.
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


def serve_media(request: HttpRequest, path: str, document_root: str) -> HttpResponse:
    """django.views.static.serve with a fixed content type and headers that forbid scripts."""
    response = serve(request, path, document_root=document_root)
    suffix = PurePosixPath(path).suffix.lower()
    content_type = IMAGE_TYPES.get(suffix)
    if content_type is None:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    else:
        response["Content-Type"] = content_type
    response.headers.pop("Content-Encoding", None)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    return response


# What a drawing of the demo's (shop/demo/pictures.py) is made of; any other element or an
# event handler, a link or an external reference makes an SVG file "not clean".
SVG_ELEMENTS = {
    "svg", "defs", "linearGradient", "radialGradient", "stop", "rect", "path", "circle",
    "ellipse", "line", "polyline", "polygon", "text", "tspan", "g", "title", "desc",
}  # fmt: skip


def _plain_drawing(data: bytes) -> bool:
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return False  # no entity expansion, no external DTD
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return False
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.rsplit("}", 1)[-1] not in SVG_ELEMENTS:
            return False
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            lowered = value.lower()
            if local.startswith("on") or local == "href" or "javascript:" in lowered:
                return False
            if "url(" in lowered and "url(#" not in lowered:
                return False
    return True


def stored_problem(*, name: str, data: bytes) -> str | None:
    """Why a stored media file is not a clean picture, or None when it is.

    Clean: a JPEG, PNG or WebP within shop.uploads' limits whose extension says so, or an
    SVG drawn only with plain shapes and text (the demo's). Reads only `data`."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".svg":
        return None if _plain_drawing(data) else "SVG with scripts, links or unknown elements"
    if suffix not in IMAGE_TYPES:
        return f"not a picture's extension ({suffix or 'none'})"
    try:
        clean = uploads.reencode_image(ContentFile(data, name=name))
    except ValidationError as refused:
        return " ".join(refused.messages)
    if suffix.replace(".jpeg", ".jpg") != PurePosixPath(clean.name).suffix:
        return f"a {clean.name.rsplit('.', 1)[-1]} picture named {suffix}"
    return None


def media_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name under `folder` of the storage, depth first."""
    folders, files = storage.listdir(folder)
    for file in sorted(files):
        yield f"{folder}/{file}" if folder else file
    for sub in sorted(folders):
        yield from media_names(storage, f"{folder}/{sub}" if folder else sub)
