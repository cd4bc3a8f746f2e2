"""The admin's village visits: a cooperative's staff list, open and change only their own;
another cooperative's visit answers like a missing one and a post changes nothing."""

import pytest
from django.urls import reverse

from shop.models.gifts import CooperativeVisit
from tests.factories import CooperativeFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visits():
    a, b = CooperativeFactory(), CooperativeFactory()
    return (
        CooperativeVisit.objects.create(cooperative=a, activities_en="Pottery with Mrs Hoa."),
        CooperativeVisit.objects.create(cooperative=b, activities_en="Tea picking at dawn."),
    )


def url(view: str, *args) -> str:
    return reverse(f"admin:shop_cooperativevisit_{view}", args=args)


def test_staff_see_and_change_only_their_cooperatives_visit(client, visits):
    mine, theirs = visits
    client.force_login(StaffFactory(cooperative=mine.cooperative))

    listing = client.get(url("changelist"))
    assert [row.pk for row in listing.context["cl"].result_list] == [mine.pk]
    assert client.get(url("change", mine.pk)).status_code == 200
    assert client.get(url("change", theirs.pk)).status_code == 302  # "doesn't exist"
    client.post(url("change", theirs.pk), {"cooperative": theirs.cooperative_id, "published": "on"})
    client.post(url("delete", theirs.pk), {"post": "yes"})

    theirs.refresh_from_db()
    assert (theirs.published, theirs.activities_en) == (False, "Tea picking at dawn.")


def test_staff_cannot_add_a_visit_for_another_cooperative(client, visits):
    mine, theirs = visits
    mine.delete()
    client.force_login(StaffFactory(cooperative=mine.cooperative))
    other = CooperativeFactory()

    response = client.post(url("add"), {"cooperative": other.pk, "best_months": "[]"})

    assert response.status_code == 200  # the form refuses the choice
    assert not CooperativeVisit.objects.filter(cooperative=other).exists()


def test_superusers_see_every_visit(client, visits):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    listing = client.get(url("changelist"))

    assert {row.pk for row in listing.context["cl"].result_list} == {v.pk for v in visits}
