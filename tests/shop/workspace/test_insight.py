"""Sales per batch and per product, QR scans per batch by day and country, drawn as SVG on
the server."""

import datetime
import re

import pytest

from shop.fulfilment.payment import pay_order
from shop.workspace import charts, insight
from tests.factories import BatchFactory, VariantFactory
from tests.shop.checkout_data import placed_order
from traceability import scans

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales(variant, batch, other_variant, other_batch):
    second = BatchFactory(variant=variant, lot_code="NMPQ-2", quantity_received=10)
    small = VariantFactory(product=variant.product, sku="NM-250")
    BatchFactory(variant=small, lot_code="NM250-1", quantity_received=10)
    for items in [((variant, 5),), ((small, 2), (other_variant, 4))]:
        pay_order(order_id=placed_order(*items).pk)
    placed_order((variant, 7))  # unpaid: allocated, not sold
    return second


def test_sales_count_sold_units_per_batch_and_per_product_of_this_cooperative(coop, sales):
    per_batch = insight.sales_per_batch(cooperative_id=coop.pk)
    per_product = insight.sales_per_product(cooperative_id=coop.pk)

    assert [(row.label, row.units) for row in per_batch] == [
        ("NMPQ-1 · Phu Quoc fish sauce", 5),
        ("NM250-1 · Phu Quoc fish sauce", 2),
    ]
    assert [(row.label, row.units) for row in per_product] == [("Phu Quoc fish sauce", 7)]


def test_scans_are_counted_by_day_and_country_over_thirty_days(coop, batch, today):
    two_days_ago, long_ago = today - datetime.timedelta(days=2), today - datetime.timedelta(days=40)
    counts = [(today, "DE", 3), (today, "VN", 1), (two_days_ago, "DE", 2), (long_ago, "FR", 9)]
    for day, country, times in counts:
        for _ in range(times):
            scans.record_scan(batch_id=batch.pk, country=country, day=day)
    scans.flush_scans()

    result = insight.batch_scans(cooperative_id=coop.pk, batch_id=batch.pk, today=today)

    assert result.total == 6
    assert len(result.days) == 30
    assert result.days[-1] == (today, 4)
    assert result.days[-3] == (today - datetime.timedelta(days=2), 2)
    assert result.days[0] == (today - datetime.timedelta(days=29), 0)
    assert result.countries == [("Germany", 5), ("Vietnam", 1)]


def test_the_insight_page_draws_svg_charts_in_the_page(staff_client, coop, batch, sales, today):
    scans.record_scan(batch_id=batch.pk, country="JP", day=today)
    scans.flush_scans()

    response = staff_client.get(f"/coop/insight/?batch={batch.pk}")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<svg class="chart"') == 4
    assert "<script" not in html
    assert "NMPQ-1 · Nước mắm Phú Quốc" in html
    assert "Nhật Bản" in html


def test_a_bar_chart_scales_bars_to_the_largest_value_and_escapes_labels():
    svg = str(charts.bar_chart([("<b>Trà</b>", 10), ("Mật ong", 5)], title="Bán <ra>"))

    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert "&lt;b&gt;Trà&lt;/b&gt;" in svg
    assert "<b>" not in svg
    assert 'aria-label="Bán &lt;ra&gt;"' in svg
    assert svg.startswith("<svg") and svg.endswith("</svg>")


def test_a_line_chart_puts_the_highest_day_at_the_top_and_zero_days_on_the_axis():
    start = datetime.date(2025, 3, 1)
    points = [(start + datetime.timedelta(days=i), value) for i, value in enumerate([0, 4, 2])]

    svg = str(charts.line_chart(points, title="Scans"))

    [line] = re.findall(r'<polyline points="([^"]+)"', svg)
    ys = [float(pair.split(",")[1]) for pair in line.split()]
    assert ys[1] < ys[2] < ys[0]
    assert ">01/03<" in svg and ">03/03<" in svg
    assert svg.count("<circle") == 2


def test_charts_without_data_draw_nothing():
    assert charts.bar_chart([], title="x") == ""
    assert charts.line_chart([], title="x") == ""


def test_the_page_opens_on_the_most_scanned_batch(staff_client, coop, batch, variant, today):
    newest = BatchFactory(variant=variant, lot_code="NMPQ-NEW")
    for _ in range(3):
        scans.record_scan(batch_id=batch.pk, country="DE", day=today)
    scans.record_scan(batch_id=newest.pk, country="DE", day=today)
    scans.flush_scans()

    response = staff_client.get("/coop/insight/")

    assert insight.most_scanned_batch(cooperative_id=coop.pk) == batch.pk
    assert response.context["scans"].batch.pk == batch.pk
    assert response.context["scans"].total == 3


def test_the_page_opens_on_the_newest_batch_when_nothing_was_scanned(staff_client, batch, variant):
    newest = BatchFactory(variant=variant, lot_code="NMPQ-NEW")

    response = staff_client.get("/coop/insight/")

    assert response.context["scans"].batch.pk == newest.pk
    assert "day_chart" not in response.context
