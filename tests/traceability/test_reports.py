"""Reporting a suspicious product, for any scanned code: a lot we know, a lot we have no
record of, a GTIN nobody here sells. Validated, stored, tied to whoever sells the GTIN,
never a 500."""

import pytest
from django.test import Client

from tests.factories import BatchFactory, ProductFactory, VariantFactory
from traceability import reports
from traceability.gs1 import check_digit
from traceability.models import SuspiciousProductReport

pytestmark = pytest.mark.django_db

REPORT = {"reason": "counterfeit", "details": "The seal is printed, not embossed."}
# A well-formed GTIN-14 that no variant carries (the factories number theirs from 893…).
BODY = "0489000000042"
FOREIGN_GTIN = BODY + str(check_digit(BODY))


@pytest.fixture
def batch():
    return BatchFactory()


def form_url(gtin: str, lot: str | None = None) -> str:
    return f"/trace/report/?gtin={gtin}" + (f"&lot={lot}" if lot is not None else "")


def test_the_form_page_names_the_product_and_is_not_cached(client, batch):
    response = client.get(form_url(batch.variant.gtin, batch.lot_code), HTTP_ACCEPT_LANGUAGE="vi")

    html = response.content.decode()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in html
    assert 'enctype="multipart/form-data"' in html
    assert batch.variant.product.name_vi in html
    assert "no-cache" in response["Cache-Control"]
    assert "Báo cáo sản phẩm đáng ngờ" in html


def test_a_report_of_a_known_lot_is_stored_with_its_lot_and_cooperative(client, batch):
    response = client.post(
        form_url(batch.variant.gtin, batch.lot_code),
        {
            **REPORT,
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
    assert (report.batch, report.cooperative) == (batch, batch.variant.product.cooperative)
    assert (report.gtin, report.lot, report.reason, report.language) == (
        batch.variant.gtin,
        batch.lot_code,
        "counterfeit",
        "de",
    )
    assert report.details == "The seal is printed, not embossed."
    assert report.place_of_purchase == "Market stall, Berlin"
    assert report.email == "buyer@example.com"
    assert not report.photo
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert f'href="/01/{batch.variant.gtin}/10/{batch.lot_code}"' in thanks.content.decode()


def test_a_lot_we_have_no_record_of_reaches_the_cooperative_selling_the_gtin(client, batch):
    url = form_url(batch.variant.gtin, "FAKE-99")

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(url, REPORT)

    html = page.content.decode()
    assert page.status_code == 200
    assert "with a lot code we have no record of: FAKE-99" in html
    assert batch.variant.product.name_en in html
    assert response.status_code == 302
    report = SuspiciousProductReport.objects.get()
    assert (report.batch, report.cooperative) == (None, batch.variant.product.cooperative)
    assert (report.gtin, report.lot) == (batch.variant.gtin, "FAKE-99")


def test_a_gtin_nobody_here_sells_can_be_reported_and_reaches_the_admins_only(client):
    page = client.get(form_url(FOREIGN_GTIN, "L1"), HTTP_ACCEPT_LANGUAGE="vi")
    response = client.post(form_url(FOREIGN_GTIN, "L1"), REPORT)

    assert page.status_code == 200
    assert f"mã {FOREIGN_GTIN}, lô L1" in page.content.decode()
    assert response.status_code == 302
    report = SuspiciousProductReport.objects.get()
    assert (report.batch, report.cooperative, report.gtin, report.lot) == (
        None,
        None,
        FOREIGN_GTIN,
        "L1",
    )


@pytest.mark.parametrize("lot", [None, ""])
def test_a_code_without_a_lot_is_reported_against_the_product(client, batch, lot):
    response = client.post(form_url(batch.variant.gtin, lot), REPORT)

    assert response.status_code == 302
    report = SuspiciousProductReport.objects.get()
    assert (report.batch, report.cooperative, report.lot) == (
        None,
        batch.variant.product.cooperative,
        "",
    )


def test_an_unpublished_products_gtin_still_reaches_its_cooperative():
    variant = VariantFactory(product=ProductFactory(is_published=False))

    report = reports.file_report(gtin=variant.gtin, lot="X1", language="en", **REPORT)

    assert report.cooperative == variant.product.cooperative
    assert report.batch is None


def test_a_short_gtin_is_stored_as_its_fourteen_digits(batch):
    short = batch.variant.gtin.lstrip("0")

    report = reports.file_report(gtin=short, lot=batch.lot_code, **REPORT)

    assert (report.gtin, report.batch) == (batch.variant.gtin, batch)


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
    response = client.post(form_url(batch.variant.gtin, batch.lot_code), data)

    assert response.status_code == 400
    assert "Please correct the fields marked below." in response.content.decode()
    assert SuspiciousProductReport.objects.count() == 0


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?gtin=123&lot=L1",
        "?gtin=08930000000018&lot=L1",
        f"?gtin={FOREIGN_GTIN}&lot=" + "L" * 21,
        f"?gtin={FOREIGN_GTIN}&lot=L%201",
        "?lot=LOT0001",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_garbled_code_is_a_400_page_and_stores_nothing(client, query, method):
    response = getattr(client, method)("/trace/report/" + query, REPORT)

    assert response.status_code == 400
    assert "This code could not be read" in response.content.decode()
    assert SuspiciousProductReport.objects.count() == 0


def test_the_service_refuses_a_garbled_code_with_a_typed_error():
    with pytest.raises(reports.InvalidReport) as refused:
        reports.file_report(gtin="08930000000018", lot="L1", **REPORT)

    assert refused.value.code == "gtin"
    assert SuspiciousProductReport.objects.count() == 0


def test_a_post_without_the_csrf_token_is_refused(batch):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(form_url(batch.variant.gtin, batch.lot_code), REPORT)

    assert response.status_code == 403
    assert SuspiciousProductReport.objects.count() == 0


def test_other_methods_are_refused(client, batch):
    response = client.put(form_url(batch.variant.gtin, batch.lot_code))

    assert response.status_code == 405
