"""Media files served by Django are never rendered as a page: fixed content type by
extension, nosniff, a sandboxing CSP, and a download for anything but a picture."""

import io

import pytest
from django.test import RequestFactory
from django.urls import resolve
from PIL import Image

from shop import media


@pytest.fixture
def media_root(tmp_path):
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "JPEG")
    (tmp_path / "products").mkdir()
    (tmp_path / "products" / "a.jpg").write_bytes(out.getvalue())
    (tmp_path / "products" / "c.html").write_bytes(b"<script>alert(document.cookie)</script>")
    (tmp_path / "products" / "c.svg").write_bytes(b"<svg><script>alert(1)</script></svg>")
    (tmp_path / "products" / "noext").write_bytes(b"<html><script>alert(1)</script>")
    return tmp_path


def get(root, path):
    response = media.serve_media(RequestFactory().get(f"/media/{path}"), path, str(root))
    return response


def test_the_media_route_is_served_through_serve_media():
    assert resolve("/media/products/a.jpg").func is media.serve_media


@pytest.mark.parametrize("path", ["products/c.html", "products/noext"])
def test_html_in_the_media_folder_is_a_sandboxed_download(media_root, path):
    response = get(media_root, path)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_a_picture_is_served_as_its_fixed_type_with_the_same_guards(media_root):
    response = get(media_root, "products/a.jpg")

    assert response["Content-Type"] == "image/jpeg"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_svg_is_served_sandboxed_so_its_script_cannot_run(media_root):
    response = get(media_root, "products/c.svg")

    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"].endswith("sandbox")
    assert "script-src" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "name, data, clean",
    [
        ("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(#g)"/></svg>', True),
        ("b.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', False),
        ("c.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect onload="x()"/></svg>', False),
        ("d.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', False),
        ("e.svg", b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>', False),
        ("f.html", b"<p>hi</p>", False),
    ],
)
def test_stored_problem_accepts_only_plain_drawings_among_svgs(name, data, clean):
    assert (media.stored_problem(name=name, data=data) is None) is clean


def test_through_the_whole_stack_an_uploaded_page_keeps_the_sandbox(client):
    from pathlib import Path

    root = Path(resolve("/media/x").kwargs["document_root"]) / "probe-issue12"
    root.mkdir(parents=True, exist_ok=True)
    (root / "c.html").write_bytes(b"<script>alert(document.cookie)</script>")
    try:
        response = client.get("/media/probe-issue12/c.html")
    finally:
        (root / "c.html").unlink()
        root.rmdir()

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == media.MEDIA_CSP
