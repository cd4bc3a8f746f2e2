"""Trace links where people look: the order confirmation email and page carry each batch's
Digital Link, and the packing slip each batch's QR code as inline SVG; a gift box's link is
its box lot's, whose trace page lists the component lots inside."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop import orders
from shop.models import Batch
from tests.factories import BatchFactory
from tests.traceability.recall_data import buy, gift_box_with, honey_batch, staff_of
from traceability.links import batch_digital_link, digital_link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def boxed_order():
    """A paid order of one jar of honey and a Tết box (a jar of honey and two tins of tea)."""
    batch = honey_batch()
    box = gift_box_with(batch)
    return buy((batch.variant, 1), (box, 1), email="anna@example.de")


def batches_of(order) -> list:
    return list(
        Batch.objects.filter(allocations__line__order=order)
        .select_related("variant")
        .distinct()
        .order_by("lot_code")
    )


def test_the_confirmation_email_links_every_batch(django_capture_on_commit_callbacks):
    batch = honey_batch()
    box = gift_box_with(batch)
    order = buy((batch.variant, 1), (box, 1), email="anna@example.de", paid=False)

    with django_capture_on_commit_callbacks(execute=True):
        orders.mark_paid(order_id=order.pk)

    [message] = mail.outbox
    html = message.alternatives[0][0]
    for traced in batches_of(order):
        link = batch_digital_link(traced)
        assert f"Trace this batch: {link}" in message.body
        assert f'<a href="{link}"' in html
    # the honey jar's lot and the box lot (its page shows the honey and the tea inside)
    assert message.body.count("Trace this batch: ") == 2


def test_the_packing_slip_carries_each_batchs_link_and_qr_code(client, boxed_order):
    response = client.get(reverse("shop:packing_slip", args=[boxed_order.token]))

    html = response.content.decode()
    assert response.status_code == 200
    traced = batches_of(boxed_order)
    assert [b.lot_code for b in traced] == ["BOX2503", "HN2503"]
    for batch in traced:
        link = batch_digital_link(batch)
        path = digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)
        assert f'<a class="trace-link" href="{path}">Trace this batch</a>' in html
        assert f'aria-label="{link}"' in html  # the QR code's own label: what it encodes
    assert html.count('<span class="trace-qr"><svg xmlns="http://www.w3.org/2000/svg"') == 2


def test_the_order_page_links_every_batch_without_qr_codes(client, boxed_order):
    html = client.get(reverse("shop:order", args=[boxed_order.token])).content.decode()

    assert html.count('class="trace-link"') == 2
    assert "<svg" not in html.split("<main", 1)[1]


def test_the_cooperatives_packing_slip_has_the_qr_codes_too(client, boxed_order):
    honey = batches_of(boxed_order)[1]
    client.force_login(staff_of(honey))

    response = client.get(reverse("coop:packing_slip", args=[boxed_order.number]))

    html = response.content.decode()
    assert f'href="{digital_link_path(gtin=honey.variant.gtin, lot=honey.lot_code)}"' in html
    assert html.count('<span class="trace-qr"><svg') >= 1


def test_the_packing_slip_costs_the_same_queries_for_one_and_four_batches(client):
    def slip_queries(order) -> int:
        url = reverse("shop:packing_slip", args=[order.token])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = buy((BatchFactory(lot_code="ONE1").variant, 1), email="a@example.com")
    large = buy(
        *[(BatchFactory(lot_code=f"MANY{n}").variant, 1) for n in range(4)],
        email="b@example.com",
    )

    assert slip_queries(small) == slip_queries(large)
