import pytest
from django.conf import settings
from django.urls import reverse

from shop.models import Address, DestinationRule, Shipment
from tests.factories import StaffFactory, UserFactory
from tests.shop.fulfilment.shipment_data import paid_order, two_cooperatives
from tests.shop.fulfilment.test_customs import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    (coop_a, box, _), (coop_b, sauce, _) = two_cooperatives()
    order = paid_order((box, 1), (sauce, 2))
    return order, coop_a, coop_b


def test_staff_print_their_own_parcels_declaration(client, world):
    order, coop_a, _b = world
    client.force_login(StaffFactory(cooperative=coop_a))

    page = client.get(reverse("coop:order", args=[order.number])).content.decode()
    slip = client.get(reverse("coop:packing_slip", args=[order.number])).content.decode()
    response = client.get(reverse("coop:customs", args=[order.number]))

    link = reverse("coop:customs", args=[order.number])
    assert f'href="{link}"' in page and f'href="{link}"' in slip
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="CN22-{order.number}.pdf"'
    text = pdf_text(response.content)
    assert "HTX Quà Tết Hà Nội" in text
    assert "Phú Quốc fish sauce" not in text  # cooperative B's line is B's paper


def test_another_cooperatives_staff_get_404(client, world):
    order, coop_a, _b = world
    client.force_login(StaffFactory())
    assert client.get(reverse("coop:customs", args=[order.number])).status_code == 404

    client.force_login(StaffFactory(cooperative=_b))
    theirs = Shipment.objects.get(order=order, cooperative=coop_a)
    admin_url = reverse("admin:shop_shipment_customs", args=[theirs.pk])
    assert client.get(admin_url).status_code == 404


def test_a_parcel_within_vietnam_gets_a_clear_message_not_a_pdf(client, world):
    order, coop_a, _b = world
    Address.objects.filter(pk=order.shipping_address_id).update(country="VN")
    client.force_login(StaffFactory(cooperative=coop_a))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("coop:customs", args=[order.number]), follow=True)
    page = response.content.decode()

    assert response.redirect_chain == [(reverse("coop:order", args=[order.number]), 302)]
    assert "This parcel stays in Vietnam: it needs no customs declaration." in page
    assert reverse("coop:customs", args=[order.number]) not in page


def test_the_admin_shipment_page_links_the_declaration(client, world):
    order, _a, coop_b = world
    shipment = Shipment.objects.get(order=order, cooperative=coop_b)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:shop_shipment_change", args=[shipment.pk])).content.decode()
    pdf = client.get(reverse("admin:shop_shipment_customs", args=[shipment.pk]))

    assert reverse("admin:shop_shipment_customs", args=[shipment.pk]) in page
    assert pdf.status_code == 200
    assert "CUSTOMS DECLARATION CN 22" in pdf_text(pdf.content)


def test_only_operators_see_destination_rules_in_the_admin(client):
    rule = DestinationRule.objects.create(
        country="AU", hs_prefix="0409", reason_en="No honey.", reason_vi="Không mật ong."
    )
    url = reverse("admin:shop_destinationrule_change", args=[rule.pk])
    client.force_login(StaffFactory())
    assert client.get(url).status_code in (302, 403, 404)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code in (302, 403, 404)

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    posted = client.post(
        reverse("admin:shop_destinationrule_add"),
        {
            "country": "US",
            "hs_prefix": "02.01",
            "group": "",
            "reason_en": "No meat.",
            "reason_vi": "Không thịt.",
            "source": "APHIS",
        },
    )

    assert client.get(url).status_code == 200
    assert posted.status_code == 200  # "02.01" is refused: digits only
    assert DestinationRule.objects.count() == 1
