"""Reporting a suspicious product from its trace page: validated, stored, never a 500."""

import pytest
from django.test import Client

from tests.factories import BatchFactory
from traceability.models import SuspiciousProductReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch():
    return BatchFactory()


def form_url(batch) -> str:
    return f"/trace/report/?gtin={batch.variant.gtin}&lot={batch.lot_code}"


def test_the_form_page_names_the_product_and_is_not_cached(client, batch):
    response = client.get(form_url(batch), HTTP_ACCEPT_LANGUAGE="vi")

    html = response.content.decode()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in html
    assert batch.variant.product.name_vi in html
    assert "no-cache" in response["Cache-Control"]
    assert "Báo cáo sản phẩm đáng ngờ" in html


def test_a_valid_report_is_stored_and_thanked(client, batch):
    response = client.post(
        form_url(batch),
        {
            "reason": "counterfeit",
            "details": "The seal is printed, not embossed, and the lot differs.",
            "place_of_purchase": "Market stall, Berlin",
            "email": "buyer@example.com",
        },
        HTTP_ACCEPT_LANGUAGE="de-DE,vi;q=0.8",
    )

    assert response.status_code == 302
    assert response["Location"] == (
        f"/trace/report/sent/?gtin={batch.variant.gtin}&lot={batch.lot_code}"
    )
    report = SuspiciousProductReport.objects.get()
    assert (report.batch, report.reason, report.language) == (batch, "counterfeit", "vi")
    assert report.details == "The seal is printed, not embossed, and the lot differs."
    assert report.place_of_purchase == "Market stall, Berlin"
    assert report.email == "buyer@example.com"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "counterfeit", "details": ""},
        {"reason": "nonsense", "details": "Something long enough to pass."},
        {"reason": "quality", "details": "x" * 2001},
        {"reason": "quality", "details": "Tasted off.", "email": "not-an-email"},
        {"reason": "quality", "details": "Tasted off, sour.", "place_of_purchase": "p" * 201},
        {},
    ],
)
def test_invalid_or_overlong_input_shows_the_form_again_and_stores_nothing(client, batch, data):
    response = client.post(form_url(batch), data)

    assert response.status_code == 400
    assert "Please correct the fields marked below." in response.content.decode()
    assert SuspiciousProductReport.objects.count() == 0


@pytest.mark.parametrize(
    "query",
    ["", "?gtin=123&lot=L1", "?gtin=08930000000019&lot=" + "L" * 500, "?lot=LOT0001"],
)
def test_an_unknown_or_garbled_product_is_a_404_not_a_500(client, batch, query):
    response = client.get("/trace/report/" + query)

    assert response.status_code == 404
    assert SuspiciousProductReport.objects.count() == 0


def test_a_post_without_the_csrf_token_is_refused(batch):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(form_url(batch), {"reason": "other", "details": "Looks wrong to me."})

    assert response.status_code == 403
    assert SuspiciousProductReport.objects.count() == 0
