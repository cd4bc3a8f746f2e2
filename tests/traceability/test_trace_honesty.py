"""A recalled or expired batch's trace page: a banner first, no green seal, no buy button,
and the shop's contact and refund route. A batch on sale keeps its seal and buy button."""

import datetime

import pytest
from django.urls import reverse

from shop.models import Batch, BatchStatus
from tests.factories import BatchFactory
from tests.traceability.factories import add_events
from traceability.links import digital_link_path

pytestmark = pytest.mark.django_db

CONTACT = "care@ocop.example"


def page_html(client, batch, language="en") -> str:
    path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def buy_href(batch) -> str:
    return f'href="{reverse("shop:product", kwargs={"slug": batch.variant.product.slug})}"'


def test_a_recalled_batch_shows_the_banner_first_no_seal_no_buy_link_and_the_refund_route(
    client, settings
):
    # Given a recalled batch with an intact record
    settings.SHOP_CONTACT_EMAIL = CONTACT
    batch = BatchFactory()
    add_events(batch, 3)
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RECALLED)

    # When its trace page is read
    html = page_html(client, batch)

    # Then the recall banner comes before the product picture and the title
    banner = html.index("This batch has been recalled")
    assert banner < html.index('class="trace-hero"')
    assert banner < html.index('id="trace-title"')
    # and the record is shown as checked, not as a green seal
    assert "seal-ok" not in html
    assert "Record intact" not in html
    assert "Record checked: none of the 3 stages below has been changed." in html
    # and nothing offers to sell it
    assert "Buy this product" not in html
    assert buy_href(batch) not in html
    # and the buyer is told how to get their money back
    assert "If you bought this lot, you get your money back" in html
    assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in html
    assert f'<a href="{reverse("shop:account_orders")}">open your order</a>' in html


def test_an_expired_batch_shows_the_best_before_banner_first_and_no_buy_link(client, today):
    # Given a batch whose best-before date has passed
    batch = BatchFactory(
        harvest_date=today - datetime.timedelta(days=100),
        packing_date=today - datetime.timedelta(days=90),
        best_before=today - datetime.timedelta(days=1),
    )
    add_events(batch, 2)

    # When its trace page is read
    html = page_html(client, batch)

    # Then the banner says so before the product picture, with the refund route
    banner = html.index("This batch is past its best-before date")
    assert banner < html.index('class="trace-hero"')
    assert "This batch has been recalled" not in html
    assert "If you bought this lot, you get your money back" in html
    assert 'href="mailto:' in html
    # and neither a green seal nor a buy button
    assert "seal-ok" not in html
    assert "Record checked: none of the 2 stages below has been changed." in html
    assert "Buy this product" not in html
    assert buy_href(batch) not in html


def test_a_withdrawn_batch_with_a_broken_record_keeps_the_warning(client):
    from traceability.models import TraceEvent

    batch = BatchFactory()
    add_events(batch, 3)
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RECALLED)
    TraceEvent.objects.filter(batch=batch, sequence=1).update(actor="Somebody else")

    html = page_html(client, batch)

    assert "this record was changed after it was written (from stage 1 on)" in html
    assert "Record checked" not in html


def test_a_batch_on_sale_keeps_its_seal_and_buy_button_and_shows_no_banner(client):
    batch = BatchFactory()
    add_events(batch, 3)

    html = page_html(client, batch)

    assert 'class="seal seal-ok"' in html
    assert "Record intact" in html
    assert "Buy this product" in html
    assert buy_href(batch) in html
    assert "recall-notice" not in html
    assert "you get your money back" not in html


def test_the_recall_banner_and_refund_route_are_translated(client, settings):
    settings.SHOP_CONTACT_EMAIL = CONTACT
    batch = BatchFactory()
    Batch.objects.filter(pk=batch.pk).update(status=BatchStatus.RECALLED)

    html = page_html(client, batch, language="vi")

    assert "Nếu bạn đã mua lô này, bạn sẽ được hoàn tiền" in html
    assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in html
    assert "mở đơn hàng của bạn" in html
