"""The workspace's Reports page: a cooperative reads the buyers' reports of the GTINs it
sells (photo, reason, code, date in Vietnam time) and marks them resolved; it never sees or
touches another cooperative's reports, nor those of GTINs nobody here sells."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from tests.factories import StaffFactory
from traceability import reports
from traceability.models import SuspiciousProductReport

pytestmark = pytest.mark.django_db

FOREIGN_GTIN = "04890000000423"


def jpeg() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 60)).save(out, format="JPEG")
    return ContentFile(out.getvalue(), name="photo.jpg")


def report_of(gtin: str, lot: str, details: str, **extra) -> SuspiciousProductReport:
    return reports.file_report(gtin=gtin, lot=lot, reason="counterfeit", details=details, **extra)


@pytest.fixture
def filed(batch, other_batch):
    """One report of each kind: our lot (with a photo, at 20:30 UTC on 1 March), a lot of ours
    we have no record of, another cooperative's lot, and a GTIN nobody here sells."""
    ours = report_of(batch.variant.gtin, batch.lot_code, "Seal looks printed.", photo=jpeg())
    SuspiciousProductReport.objects.filter(pk=ours.pk).update(
        created_at=datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC)
    )
    unknown_lot = report_of(batch.variant.gtin, "FAKE-1", "Lot printed on a sticker.")
    theirs = report_of(other_batch.variant.gtin, other_batch.lot_code, "Tea smells of smoke.")
    nobodys = report_of(FOREIGN_GTIN, "Z9", "Sold as OCOP at a market.")
    return {"ours": ours, "unknown_lot": unknown_lot, "theirs": theirs, "nobodys": nobodys}


def test_the_page_lists_only_the_cooperatives_reports_with_photo_code_and_vietnam_time(
    staff_client, filed, batch
):
    response = staff_client.get("/coop/reports/")

    html = response.content.decode()
    assert response.status_code == 200
    assert [r.pk for r in response.context["reports"]] == [
        filed["unknown_lot"].pk,
        filed["ours"].pk,
    ]
    assert "Seal looks printed." in html
    assert "Lot printed on a sticker." in html
    assert "Tea smells of smoke." not in html
    assert "Sold as OCOP at a market." not in html
    # 20:30 UTC is 03:30 the next morning in Vietnam.
    assert "02/03/2026 03:30" in html
    assert f'src="{filed["ours"].photo.url}"' in html
    assert f"{batch.variant.gtin} · FAKE-1" in html
    assert "Mã lô mà bạn không có ghi nhận" in html  # the workspace speaks Vietnamese
    assert response["Cache-Control"] == "private, no-store"


def test_marking_resolved_moves_the_report_to_the_resolved_list(staff_client, filed):
    ours = filed["ours"]

    response = staff_client.post(f"/coop/reports/{ours.pk}/resolved/", {"resolved": "1"})

    assert response.status_code == 302
    assert response["Location"] == "/coop/reports/"
    ours.refresh_from_db()
    assert ours.resolved is True
    open_list = staff_client.get("/coop/reports/").context["reports"]
    resolved_list = staff_client.get("/coop/reports/?show=resolved").context["reports"]
    assert [r.pk for r in open_list] == [filed["unknown_lot"].pk]
    assert [r.pk for r in resolved_list] == [ours.pk]


def test_a_resolved_report_can_be_opened_again(staff_client, filed):
    ours = filed["ours"]
    reports.mark_resolved(report_id=ours.pk, cooperative_id=ours.cooperative_id)

    response = staff_client.post(f"/coop/reports/{ours.pk}/resolved/", {"resolved": "0"})

    assert response["Location"] == "/coop/reports/?show=resolved"
    ours.refresh_from_db()
    assert ours.resolved is False


@pytest.mark.parametrize("which", ["theirs", "nobodys"])
def test_another_cooperatives_or_nobodys_report_cannot_be_resolved(staff_client, filed, which):
    report = filed[which]

    response = staff_client.post(f"/coop/reports/{report.pk}/resolved/", {"resolved": "1"})

    assert response.status_code == 404
    report.refresh_from_db()
    assert report.resolved is False


def test_the_other_cooperatives_staff_see_only_theirs(client, filed, other_coop):
    client.force_login(StaffFactory(cooperative=other_coop))

    listed = client.get("/coop/reports/").context["reports"]

    assert [r.pk for r in listed] == [filed["theirs"].pk]


def test_marking_needs_a_post_and_a_signed_in_staff_member(client, staff_client, filed):
    pk = filed["ours"].pk

    assert staff_client.get(f"/coop/reports/{pk}/resolved/").status_code == 405
    client.logout()
    assert client.post(f"/coop/reports/{pk}/resolved/").status_code == 302
    assert SuspiciousProductReport.objects.get(pk=pk).resolved is False


def test_an_empty_list_says_so(staff_client, coop):
    staff_client.cookies["django_language"] = "en"

    response = staff_client.get("/coop/reports/")

    assert "No open reports." in response.content.decode()
