"""Reports in the admin: the shop's admins see every report (those of GTINs nobody here sells
included) and filter them; a cooperative's staff see their own cooperative's only."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from tests.factories import BatchFactory
from tests.traceability.recall_data import staff_of, superuser
from traceability import reports

pytestmark = pytest.mark.django_db

LIST = "admin:traceability_suspiciousproductreport_changelist"
FOREIGN_GTIN = "04890000000423"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def filed():
    ours, theirs = BatchFactory(), BatchFactory()

    def report(gtin, lot, **extra):
        return reports.file_report(gtin=gtin, lot=lot, reason="label", details="Odd.", **extra)

    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="PNG")
    return {
        "ours": ours,
        "known": report(
            ours.variant.gtin, ours.lot_code, photo=ContentFile(out.getvalue(), "p.png")
        ),
        "unknown_lot": report(ours.variant.gtin, "FAKE-1"),
        "theirs": report(theirs.variant.gtin, theirs.lot_code),
        "nobodys": report(FOREIGN_GTIN, "Z9"),
    }


def listed(client, query: str = "") -> list[int]:
    response = client.get(reverse(LIST) + query)
    assert response.status_code == 200
    return sorted(row.pk for row in response.context["cl"].result_list)


def test_the_admin_lists_every_report_and_filters_them(client, filed):
    client.force_login(superuser())

    everything = listed(client)
    unknown_lots = listed(client, "?lot_known=no")
    known_lots = listed(client, "?lot_known=yes")
    of_nobody = listed(client, f"?q={FOREIGN_GTIN}")
    of_ours = listed(
        client, f"?cooperative__id__exact={filed['ours'].variant.product.cooperative_id}"
    )

    pk = {name: report.pk for name, report in filed.items() if name != "ours"}
    assert everything == sorted(pk.values())
    assert unknown_lots == sorted([pk["unknown_lot"], pk["nobodys"]])
    assert known_lots == sorted([pk["known"], pk["theirs"]])
    assert of_nobody == [pk["nobodys"]]
    assert of_ours == sorted([pk["known"], pk["unknown_lot"]])


def test_cooperative_staff_see_their_own_reports_only(client, filed):
    client.force_login(staff_of(filed["ours"]))

    mine = listed(client)
    nobodys = client.get(
        reverse("admin:traceability_suspiciousproductreport_change", args=[filed["nobodys"].pk])
    )

    assert mine == sorted([filed["known"].pk, filed["unknown_lot"].pk])
    assert nobodys.status_code == 302  # "doesn't exist": back to the admin index
    assert client.get(reverse(LIST)).context["cl"].has_filters


def test_the_change_page_shows_the_photo(client, filed):
    client.force_login(superuser())
    known = filed["known"]

    response = client.get(
        reverse("admin:traceability_suspiciousproductreport_change", args=[known.pk])
    )

    assert f'<img src="{known.photo.url}"' in response.content.decode()
