"""GLNs (location trace codes): villages numbered under the shop's company prefix,
cooperatives' own GLNs validated, and each event recording where it happened."""

import datetime
import io

import pytest
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_prefixes import GS1CompanyPrefix
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    BatchFactory,
    CooperativeFactory,
    ProductFactory,
    UserFactory,
    VillageFactory,
)
from traceability import events, locations
from traceability.gs1 import normalise_gln
from traceability.models import EventKind, Village

pytestmark = pytest.mark.django_db
COOPERATIVE_GLN = "8936011000000"


@pytest.fixture
def prefix(settings):
    settings.GS1_COMPANY_PREFIX = "8934999"
    return "8934999"


def test_a_numbered_gln_is_prefix_reference_and_check_digit():
    gln = locations.numbered_gln(prefix="8934999", reference=42)

    assert gln == "8934999000425"  # 3·2+4+3·0+0+3·0+9+3·9+9+3·4+3+3·9+8 = 105
    assert normalise_gln(gln) == gln


def test_a_reference_too_long_for_the_prefix_is_refused():
    with pytest.raises(locations.LocationReferencesExhausted):
        locations.numbered_gln(prefix="893499900", reference=1000)


def test_the_default_prefix_is_a_gs1_vietnam_prefix_of_the_length_gs1_lists():
    # A placeholder to be replaced by the shop's own, but one GS1's tables would accept.
    prefix = django_settings.GS1_COMPANY_PREFIX

    extracted = GS1CompanyPrefix.extract(prefix.ljust(13, "0"))

    assert prefix.startswith("893")
    assert extracted is not None and extracted.value == prefix


def test_a_village_gets_a_gln_numbered_by_its_id(prefix):
    village = VillageFactory()

    gln = locations.assign_village_gln(village=village)

    expected = locations.numbered_gln(prefix=prefix, reference=village.pk)
    assert gln == expected
    assert Village.objects.get(pk=village.pk).gln == expected


def test_a_village_with_a_gln_keeps_it(prefix):
    village = VillageFactory(gln=COOPERATIVE_GLN)

    assert locations.assign_village_gln(village=village) == COOPERATIVE_GLN
    assert Village.objects.get(pk=village.pk).gln == COOPERATIVE_GLN


def test_ensure_glns_numbers_only_the_villages_without_one_and_is_idempotent(prefix):
    Village.objects.update(gln="")
    numbered = VillageFactory(gln=COOPERATIVE_GLN)
    without = [VillageFactory(), VillageFactory()]

    first = locations.ensure_glns()
    second = locations.ensure_glns()

    assert (first, second) == (2, 0)
    assert [Village.objects.get(pk=v.pk).gln for v in without] == [
        locations.numbered_gln(prefix=prefix, reference=v.pk) for v in without
    ]
    assert Village.objects.get(pk=numbered.pk).gln == COOPERATIVE_GLN


@pytest.mark.parametrize("bad", ["", "89", "8934999x", "893499912345", "８９３４９９９"])
def test_a_bad_company_prefix_is_refused_and_nothing_is_written(settings, bad):
    settings.GS1_COMPANY_PREFIX = bad
    village = VillageFactory()

    with pytest.raises(locations.InvalidCompanyPrefix):
        locations.assign_village_gln(village=village)

    assert Village.objects.get(pk=village.pk).gln == ""


def test_a_gln_is_published_as_a_gs1_digital_link_a_gs1_parser_reads(prefix):
    gln = locations.numbered_gln(prefix=prefix, reference=7)

    uri = locations.location_uri(gln)

    parsed = GS1DigitalLinkURI.parse(uri)
    assert uri == f"https://id.gs1.org/414/{gln}"
    assert [(e.ai.ai, e.value) for e in parsed.element_strings] == [("414", gln)]
    assert parsed.element_strings[0].gln_error is None


def test_each_event_records_the_gln_of_where_it_happened(prefix):
    # Given a lot from a numbered village of a cooperative with its own GLN
    batch = BatchFactory(variant__product__cooperative__gln=COOPERATIVE_GLN)
    village_gln = locations.assign_village_gln(village=batch.village)
    when = timezone.now() - datetime.timedelta(hours=2)

    # When a stage in the village and one at the cooperative are recorded
    harvest = events.append_event(
        batch=batch, kind=EventKind.HARVEST, occurred_at=when, place="Đồi chè",
        actor="An", village=batch.village,
    )  # fmt: skip
    packing = events.append_event(
        batch=batch, kind=EventKind.PACKING, occurred_at=when, place="Xưởng", actor="HTX"
    )

    # Then each carries its location trace code, and the chain covers it
    assert (harvest.location_gln, packing.location_gln) == (village_gln, COOPERATIVE_GLN)
    assert events.verify_chain([harvest, packing]).valid is True


def test_an_event_falls_back_to_the_village_then_the_cooperative():
    cooperative = CooperativeFactory(gln=COOPERATIVE_GLN)
    batch = BatchFactory(variant__product__cooperative=cooperative)
    when = timezone.now() - datetime.timedelta(hours=2)
    harvest = events.append_event(
        batch=batch, kind=EventKind.HARVEST, occurred_at=when, place="Đồi", actor="An",
        village=batch.village,
    )  # fmt: skip
    packing = events.append_event(
        batch=batch, kind=EventKind.PACKING, occurred_at=when, place="Xưởng", actor="HTX"
    )
    # Recorded before the village was numbered, then numbered.
    batch.village.gln = "8934999000012"
    batch.village.save(update_fields=["gln"])
    harvest.refresh_from_db()

    assert harvest.location_gln == ""
    assert locations.event_gln(harvest, cooperative=cooperative) == "8934999000012"
    assert locations.event_gln(packing, cooperative=cooperative) == COOPERATIVE_GLN


def test_the_admin_validates_a_cooperatives_gln_and_a_products_brand_is_editable(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    product = ProductFactory()
    cooperative = product.cooperative

    page = client.get(reverse("admin:shop_cooperative_change", args=[cooperative.pk]))
    product_page = client.get(reverse("admin:shop_product_change", args=[product.pk]))

    assert "gln" in page.context["adminform"].form.fields
    assert "brand" in product_page.context["adminform"].form.fields
    form = page.context["adminform"].form.__class__(
        data={"gln": "8936011000001"}, instance=cooperative
    )
    assert form.is_valid() is False
    assert form.errors["gln"] == ["The check digit of 8936011000001 is wrong."]


def test_a_village_added_in_the_admin_gets_a_gln(client, prefix):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    province = VillageFactory().province

    response = client.post(
        reverse("admin:traceability_village_add"),
        {"province": province.pk, "name": "Làng nón Chuông", "latitude": "20.8",
         "longitude": "105.7", "gln": ""},
    )  # fmt: skip

    village = Village.objects.get(name="Làng nón Chuông")
    assert response.status_code == 302
    assert village.gln == locations.numbered_gln(prefix=prefix, reference=village.pk)


def test_the_admin_refuses_a_village_gln_with_a_wrong_check_digit(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    province = VillageFactory().province

    response = client.post(
        reverse("admin:traceability_village_add"),
        {"province": province.pk, "name": "Làng Sai", "latitude": "20.8",
         "longitude": "105.7", "gln": "8934999000013"},
    )  # fmt: skip

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["gln"] == [
        "The check digit of 8934999000013 is wrong."
    ]
    assert not Village.objects.filter(name="Làng Sai").exists()


def test_the_command_numbers_the_villages_left_without_a_gln(prefix):
    Village.objects.update(gln="")
    village = VillageFactory()
    out = io.StringIO()

    call_command("assign_glns", stdout=out)

    assert out.getvalue().startswith(f"Numbered {Village.objects.count()} villages")
    assert Village.objects.get(pk=village.pk).gln == locations.numbered_gln(
        prefix=prefix, reference=village.pk
    )


def test_the_command_refuses_a_bad_prefix_with_a_message(settings):
    settings.GS1_COMPANY_PREFIX = "12"

    with pytest.raises(CommandError, match="GS1_COMPANY_PREFIX must be 6 to 11 digits"):
        call_command("assign_glns", stdout=io.StringIO())


def test_a_wrong_prefix_setting_leaves_the_admins_village_unnumbered_with_a_warning(
    client, settings
):
    settings.GS1_COMPANY_PREFIX = "12"
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    province = VillageFactory().province

    response = client.post(
        reverse("admin:traceability_village_add"),
        {"province": province.pk, "name": "Làng Mới", "latitude": "20.8",
         "longitude": "105.7", "gln": ""},
        follow=True,
    )  # fmt: skip

    assert response.status_code == 200
    assert Village.objects.get(name="Làng Mới").gln == ""
    assert [str(m) for m in response.context["messages"]][0] == (
        "GS1_COMPANY_PREFIX must be 6 to 11 digits, not '12'."
    )
