"""The workspace's "Visits" page (the cooperative's invitation to its village) and its care
and use notes: Vietnamese first, English beside it, each cooperative only its own."""

import pytest
from django.conf import settings

from shop.models import Product
from shop.models.gifts import CooperativeVisit

pytestmark = pytest.mark.django_db

ACTIVITIES_VI = "Tham quan nhà thùng, xem ủ chượp cá cơm và nếm nước mắm nhĩ."
VISIT = {
    "published": "on",
    "activities_vi": ACTIVITIES_VI,
    "activities_en": "Visit the barrel house and taste the first pressing.",
    "best_months": ["12", "1", "3"],
    "nearest_city_vi": "Dương Đông",
    "nearest_city_en": "Duong Dong",
    "travel_minutes": "25",
    "getting_there_vi": "Đi xe máy theo đường 46.",
    "getting_there_en": "By motorbike along road 46.",
    "contact_name": "Chị Lan",
    "contact_phone": "0297 384 6000",
    "contact_email": "lan@hamninh.example",
}


def test_the_page_speaks_vietnamese_first(staff_client):
    response = staff_client.get("/coop/visit/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="vi"' in html
    assert "Tháng" in html or "tháng" in html  # months named by babel in Vietnamese


def test_staff_publish_their_visit_and_shoppers_see_it(staff_client, coop, client):
    response = staff_client.post("/coop/visit/", VISIT)

    assert response.status_code == 302
    visit = CooperativeVisit.objects.get()
    assert visit.cooperative_id == coop.pk
    assert visit.published is True
    assert visit.activities_vi == ACTIVITIES_VI
    assert visit.best_months == [1, 3, 12]
    assert (visit.travel_minutes, visit.nearest_city_vi) == (25, "Dương Đông")

    page = client.get(f"/cooperatives/{coop.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Visit the village" in page
    assert "Visit the barrel house and taste the first pressing." in page
    assert "January, March, December" in page
    assert 'href="tel:02973846000"' in page


def test_a_visit_cannot_be_published_empty(staff_client):
    response = staff_client.post("/coop/visit/", {"published": "on", "activities_vi": ""})

    assert response.status_code == 400
    assert CooperativeVisit.objects.count() == 0


def test_bad_months_and_minutes_are_form_errors(staff_client):
    data = {**VISIT, "best_months": ["13"], "travel_minutes": "-4"}

    response = staff_client.post("/coop/visit/", data)

    assert response.status_code == 400
    assert CooperativeVisit.objects.count() == 0


def test_a_posted_cooperative_never_moves_the_visit(staff_client, coop, other_coop):
    staff_client.post("/coop/visit/", {**VISIT, "cooperative": other_coop.pk})

    assert list(CooperativeVisit.objects.values_list("cooperative_id", flat=True)) == [coop.pk]


def test_an_unpublished_visit_is_not_on_the_cooperative_page(staff_client, coop, client):
    staff_client.post("/coop/visit/", {**VISIT, "published": ""})

    page = client.get(f"/cooperatives/{coop.slug}/").content.decode()

    assert "Visit the village" not in page
    assert CooperativeVisit.objects.get().published is False


def test_staff_of_a_see_and_change_only_their_own(staff_client, other_coop, other_variant):
    # given cooperative B's visit and product care notes
    theirs = CooperativeVisit.objects.create(
        cooperative=other_coop, published=True, activities_vi="Hái chè Tân Cương."
    )
    product = other_variant.product
    Product.objects.filter(pk=product.pk).update(care_notes_vi="Bảo quản nơi khô ráo.")

    # then A's staff cannot read B's visit or product, and cannot change them
    assert "Hái chè Tân Cương." not in staff_client.get("/coop/visit/").content.decode()
    assert "Chè Tân Cương" not in staff_client.get("/coop/care-notes/").content.decode()
    assert staff_client.get(f"/coop/care-notes/{product.pk}/").status_code == 404
    changed = staff_client.post(
        f"/coop/care-notes/{product.pk}/", {"care_notes_vi": "x", "care_notes_en": "y"}
    )
    assert changed.status_code == 404
    staff_client.post("/coop/visit/", VISIT)
    theirs.refresh_from_db()
    product.refresh_from_db()
    assert theirs.activities_vi == "Hái chè Tân Cương."
    assert product.care_notes_vi == "Bảo quản nơi khô ráo."
    assert not product.care_notes_en


def test_care_notes_in_both_languages(staff_client, variant):
    product = variant.product
    assert "Nước mắm Phú Quốc" in staff_client.get("/coop/care-notes/").content.decode()

    response = staff_client.post(
        f"/coop/care-notes/{product.pk}/",
        {
            "care_notes_vi": "Đậy nắp kín, để nơi thoáng mát.",
            "care_notes_en": "Keep the cap closed, somewhere cool.",
        },
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.care_notes_vi == "Đậy nắp kín, để nơi thoáng mát."
    assert product.care_notes_en == "Keep the cap closed, somewhere cool."


def test_too_long_care_notes_are_a_form_error(staff_client, variant):
    product = variant.product

    response = staff_client.post(
        f"/coop/care-notes/{product.pk}/", {"care_notes_vi": "x" * 2001, "care_notes_en": ""}
    )

    assert response.status_code == 400
    product.refresh_from_db()
    assert not product.care_notes_vi


def test_the_workspace_speaks_english_when_chosen(staff_client):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = staff_client.get("/coop/visit/").content.decode()

    assert "Show this invitation to shoppers" in html
    assert "December" in html
