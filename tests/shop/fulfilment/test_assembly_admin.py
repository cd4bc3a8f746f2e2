"""Assembly runs in the admin: superusers read them; nobody adds, changes or deletes one."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory, assembled_box_lot

pytestmark = pytest.mark.django_db


def test_a_superuser_reads_runs_with_their_inputs_but_cannot_change_them(client):
    box_lot = assembled_box_lot(boxes=3, lot_code="TET-3")
    run = box_lot.assembly
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get(reverse("admin:shop_assemblyrun_changelist"))
    page = client.get(reverse("admin:shop_assemblyrun_change", args=[run.pk]))

    assert listing.status_code == page.status_code == 200
    assert "TET-3" in listing.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:shop_assemblyrun_add")).status_code == 403


def test_cooperative_staff_do_not_see_runs_in_the_admin(client):
    run = assembled_box_lot(boxes=1).assembly
    client.force_login(StaffFactory(cooperative=run.assembler))

    assert client.get(reverse("admin:shop_assemblyrun_change", args=[run.pk])).status_code in (
        302,
        403,
    )
