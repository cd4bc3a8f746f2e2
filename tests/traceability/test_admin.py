"""Provinces and villages in the admin: shared reference data cooperative staff may read."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory, VillageFactory
from traceability.models import Province, Village

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = StaffFactory()
    client.force_login(user)
    return user


def test_cooperative_staff_look_up_every_province_and_village(client, staff):
    other = VillageFactory(name="Làng lụa Vạn Phúc")

    provinces = client.get(reverse("admin:traceability_province_changelist"))
    villages = client.get(reverse("admin:traceability_village_changelist"))

    assert provinces.context["cl"].result_count == Province.objects.count() == 34
    assert other in villages.context["cl"].result_list


def test_cooperative_staff_add_a_village_but_change_or_delete_none(client, staff):
    village = VillageFactory(name="Làng gốm Phù Lãng")
    province = village.province

    added = client.post(
        reverse("admin:traceability_village_add"),
        {
            "province": province.pk,
            "name": "Làng nón Chuông",
            "latitude": "20.8",
            "longitude": "105.7",
        },
    )
    changed = client.post(
        reverse("admin:traceability_village_change", args=[village.pk]),
        {"province": province.pk, "name": "Renamed", "latitude": "20.8", "longitude": "105.7"},
    )
    deleted = client.post(
        reverse("admin:traceability_village_delete", args=[village.pk]), {"post": "yes"}
    )

    assert (added.status_code, changed.status_code, deleted.status_code) == (302, 403, 403)
    assert Village.objects.filter(name="Làng nón Chuông").exists()
    village.refresh_from_db()
    assert village.name == "Làng gốm Phù Lãng"


def test_nobody_adds_or_deletes_a_province(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    province = Province.objects.first()

    added = client.post(
        reverse("admin:traceability_province_add"),
        {"code": 99, "name": "Nowhere", "codename": "nowhere"},
    )
    deleted = client.post(
        reverse("admin:traceability_province_delete", args=[province.pk]), {"post": "yes"}
    )

    assert (added.status_code, deleted.status_code) == (403, 403)
    assert Province.objects.count() == 34
