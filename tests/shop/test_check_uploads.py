"""`manage.py check_uploads` lists media files that are not clean pictures and, with --fix,
re-encodes or deletes them."""

import io

import pytest
from django.core.management import call_command
from PIL import Image

from shop.demo import pictures
from tests.factories import BatchFactory, CooperativeFactory, ProductFactory
from tests.traceability.factories import add_events
from traceability.models import TraceEvent

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "products").mkdir()
    (tmp_path / "cooperatives").mkdir()
    (tmp_path / "products" / "fine.jpg").write_bytes(jpeg())
    (tmp_path / "products" / "c.html").write_bytes(b"<script>alert(document.cookie)</script>")
    (tmp_path / "products" / "png-named.jpg").write_bytes(
        _png(),
    )
    drawing = pictures.label_svg(slug="x", motif="food", title="Nước mắm", subtitle="Fish sauce")
    (tmp_path / "products" / "demo.svg").write_bytes(drawing)
    (tmp_path / "cooperatives" / "evil.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    return tmp_path


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16)).save(out, "PNG")
    return out.getvalue()


def run(*args) -> str:
    out = io.StringIO()
    call_command("check_uploads", *args, stdout=out)
    return out.getvalue()


def test_the_command_lists_files_that_are_not_clean_pictures_and_changes_nothing(media_root):
    output = run()

    listed = {line.split(":")[0] for line in output.splitlines() if ":" in line}
    assert listed == {"products/c.html", "products/png-named.jpg", "cooperatives/evil.svg"}
    assert "3 file(s) that are not clean pictures found." in output
    assert (media_root / "products" / "c.html").exists()


def test_fix_re_encodes_what_decodes_and_deletes_the_rest(
    media_root, django_capture_on_commit_callbacks
):
    product = ProductFactory(photo="products/png-named.jpg")
    coop = CooperativeFactory(photo="cooperatives/evil.svg")
    html_product = ProductFactory(photo="products/c.html")

    with django_capture_on_commit_callbacks(execute=True):
        run("--fix")

    product.refresh_from_db()
    coop.refresh_from_db()
    html_product.refresh_from_db()
    assert product.photo.name.startswith("products/") and product.photo.name.endswith(".png")
    assert Image.open(product.photo.path).format == "PNG"
    assert (coop.photo.name, html_product.photo.name) == ("", "")
    remaining = sorted(p.name for p in (media_root / "products").iterdir())
    assert remaining == sorted(["fine.jpg", "demo.svg", product.photo.name.split("/")[1]])
    assert list((media_root / "cooperatives").iterdir()) == []
    assert "0 file(s)" in run()


def test_fix_never_rewrites_a_trace_events_record(media_root, django_capture_on_commit_callbacks):
    (media_root / "trace-events").mkdir()
    (media_root / "trace-events" / "harvest.jpg").write_bytes(_png())
    (media_root / "trace-events" / "page.html").write_bytes(b"<script>alert(1)</script>")
    (event,) = add_events(BatchFactory(), 1)
    TraceEvent.objects.filter(pk=event.pk).update(photo="trace-events/harvest.jpg")
    (other,) = add_events(BatchFactory(), 1)
    TraceEvent.objects.filter(pk=other.pk).update(photo="trace-events/page.html")

    with django_capture_on_commit_callbacks(execute=True):
        output = run("--fix")

    assert "trace-events/harvest.jpg: a png picture named .jpg -> kept" in output
    assert (media_root / "trace-events" / "harvest.jpg").read_bytes() == _png()
    assert not (media_root / "trace-events" / "page.html").exists()
    assert TraceEvent.objects.get(pk=other.pk).photo.name == "trace-events/page.html"
