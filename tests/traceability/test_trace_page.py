"""The trace page: what it shows, that it shows a broken chain, its queries and its cache."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from shop.models import Batch, BatchStatus, OrderStatus, Product
from tests.factories import BatchFactory, UserFactory
from tests.traceability.factories import add_events, gift_set_with_components
from traceability import cache as page_cache
from traceability.links import digital_link_path
from traceability.models import TraceEvent

pytestmark = pytest.mark.django_db


def path_of(batch) -> str:
    return digital_link_path(gtin=batch.variant.gtin, lot=batch.lot_code)


def page_html(client, batch, language="en") -> str:
    response = client.get(path_of(batch), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_product_cooperative_certificate_dates_and_national_minimum_data(client):
    # Given a batch with a harvest, a processing and an inspection under VietGAP
    batch = BatchFactory(lot_code="NM-2025-01")
    add_events(batch, 3)
    product = batch.variant.product

    # When its link is opened
    html = page_html(client, batch)

    # Then the page names the product, the maker, the certificate, the dates and the codes
    assert f'<h1 id="trace-title">{product.name_en}</h1>' in html
    assert product.cooperative.name in html
    assert product.cooperative.address in html
    assert "OCOP certified by decision 123/QĐ-UBND, valid until" in html
    assert "(01)" + batch.variant.gtin + "(10)NM-2025-01" in html
    assert "365 days" in html
    assert "<li>VietGAP</li>" in html
    assert "Made by the Nguyễn family." in html
    assert "Five generations of potters." in html
    assert f'href="/products/{product.slug}/"' in html
    assert "Record intact: all 3 stages below are sealed" in html
    assert html.count('class="stage stage-') == 3
    assert 'class="map-pin map-pin-primary" style="left:26.37%;top:16.01%"' in html


def test_an_expired_certificate_is_shown_as_expired(client, today):
    batch = BatchFactory(
        variant__product__ocop_certified_on=today - datetime.timedelta(days=1200),
        variant__product__ocop_valid_until=today - datetime.timedelta(days=5),
    )

    html = page_html(client, batch)

    assert "OCOP certificate expired" in html
    assert "which expired on" in html
    assert "valid until" not in html


def test_the_page_links_to_a_report_form_and_holds_no_csrf_token(client):
    batch = BatchFactory()

    html = page_html(client, batch)

    assert f'href="/trace/report/?gtin={batch.variant.gtin}&amp;lot={batch.lot_code}"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "<form" not in html


def test_a_changed_old_event_makes_the_page_report_the_break(client):
    # Given a batch whose page was seen with an intact record
    batch = BatchFactory()
    add_events(batch, 4)
    assert "Record intact" in page_html(client, batch)

    # When an old event's content is changed directly in the database (no service, no
    # cache invalidation: exactly what a tamperer would do)
    TraceEvent.objects.filter(batch=batch, sequence=1).update(actor="Somebody else")
    page_cache.invalidate_batch_page(batch_id=batch.pk)  # the page cache expires hourly

    # Then the page warns that the record was changed from stage 1 on
    html = page_html(client, batch)
    assert "Record intact" not in html
    assert "this record was changed after it was written (from stage 1 on)" in html


def test_a_gift_set_page_shows_every_components_origin(client):
    # Given a gift set assembled from three component batches from three villages
    gift_batch, components = gift_set_with_components(3)

    # When its link is opened
    html = page_html(client, gift_batch)

    # Then each component's product, cooperative, village, lot and own link are shown
    for component in components:
        product = component.variant.product
        assert product.name_en in html
        assert product.cooperative.name in html
        assert component.village.name in html
        assert f'<span class="lot">{component.lot_code}</span>' in html
        assert f'href="{path_of(component)}"' in html
    assert html.count('class="map-pin') == 4  # the gift set's own village and three more
    assert html.count("record intact") == 3


def test_a_recalled_batch_shows_the_recall_notice(client):
    batch = BatchFactory()
    assert "This batch has been recalled" not in page_html(client, batch)

    batch.status = BatchStatus.RECALLED
    batch.save(update_fields=["status"])
    page_cache.invalidate_batch_page(batch_id=batch.pk)  # as every writer does on commit

    assert "This batch has been recalled" in page_html(client, batch)


def count_queries(client, batch) -> int:
    with CaptureQueriesContext(connection) as queries:
        page_html(client, batch)
    return len(queries)


def test_query_count_is_the_same_for_one_and_twenty_events(client):
    one, twenty = BatchFactory(), BatchFactory()
    add_events(one, 1)
    add_events(twenty, 20)

    # the resolver's lookup, the batch, its events, their inputs, its latest signed head
    assert count_queries(client, one) == count_queries(client, twenty) == 4


def test_query_count_is_the_same_for_gift_sets_of_two_and_five_components(client):
    small, _ = gift_set_with_components(2, events_each=1)
    large, _ = gift_set_with_components(5, events_each=4)

    # the resolver's lookup, the box lot with its run, the run's inputs, the events of the
    # box lot and its components, those events' inputs, and the box lot's latest signed head
    assert count_queries(client, small) == count_queries(client, large) == 5


def test_a_box_lot_page_shows_each_component_lot_with_its_origin_and_live_recall_state(client):
    # given a box lot assembled from two component lots
    box_lot, components = gift_set_with_components(2)
    html = page_html(client, box_lot)
    for component in components:
        assert component.village.province.name in html
        assert component.harvest_date.strftime("%Y") in html
    assert '<span class="badge badge-expired">recalled</span>' not in html

    # when one component lot is recalled (its writers refresh its page and its boxes' pages)
    Batch.objects.filter(pk=components[0].pk).update(status=BatchStatus.RECALLED)
    page_cache.invalidate_batch_page(batch_id=components[0].pk)

    # then the box lot's page shows that component as recalled
    html = page_html(client, box_lot)
    assert html.count('<span class="badge badge-expired">recalled</span>') == 1


def test_a_cached_page_costs_no_query(client):
    batch = BatchFactory()
    add_events(batch, 5)
    page_html(client, batch)

    assert count_queries(client, batch) == 0


def test_each_language_is_cached_separately(client):
    batch = BatchFactory()

    english, vietnamese = page_html(client, batch, "en"), page_html(client, batch, "vi")

    assert batch.variant.product.name_en in english
    assert batch.variant.product.name_vi in vietnamese


def test_appending_an_event_refreshes_the_cached_page(client, django_capture_on_commit_callbacks):
    batch = BatchFactory()
    add_events(batch, 1)
    assert page_html(client, batch).count('class="stage stage-') == 1

    with django_capture_on_commit_callbacks(execute=True):
        add_events(batch, 2)

    assert page_html(client, batch).count('class="stage stage-') == 3


def test_a_new_component_event_refreshes_the_gift_set_page(
    client, django_capture_on_commit_callbacks
):
    gift_batch, components = gift_set_with_components(2)
    assert page_html(client, gift_batch).count("record intact") == 2

    TraceEvent.objects.filter(batch=components[0]).update(place="Forged")
    page_cache.invalidate_batch_page(batch_id=components[0].pk)

    assert page_html(client, gift_batch).count("record intact") == 1
    assert "record changed" in page_html(client, gift_batch)


def test_product_and_cooperative_changes_refresh_the_page_once_invalidated(client):
    batch = BatchFactory()
    product = batch.variant.product
    page_html(client, batch)

    Product.objects.filter(pk=product.pk).update(name_en="Renamed sauce")
    stale = page_html(client, batch)
    page_cache.invalidate_product(product_id=product.pk)
    fresh = page_html(client, batch)
    product.cooperative.__class__.objects.filter(pk=product.cooperative_id).update(
        name="Renamed cooperative"
    )
    page_cache.invalidate_cooperative(cooperative_id=product.cooperative_id)

    assert "Renamed sauce" not in stale
    assert "Renamed sauce" in fresh
    assert "Renamed cooperative" in page_html(client, batch)


def test_an_evicted_version_never_brings_back_an_old_page(client):
    from django.core.cache import cache

    batch = BatchFactory()
    page_html(client, batch)
    Product.objects.filter(pk=batch.variant.product_id).update(name_en="New name")

    # The version token and the link entries in front of the pages are evicted (LRU).
    cache.delete(f"trace:version:{batch.pk}")
    cache.delete_many(cache.get_many([f"trace:links:{batch.pk}:en"]).values())

    assert "New name" in page_html(client, batch)


def test_a_signed_in_first_visitor_leaves_nothing_of_theirs_in_the_cached_page(client):
    # Given a signed-in shopper is the first to open the link (so their render is cached)
    batch = BatchFactory()
    user = UserFactory(email="first.visitor@example.com")
    client.force_login(user)
    first = page_html(client, batch)

    # When an anonymous reader opens the same link
    client.logout()
    second = page_html(client, batch)

    # Then both got the same page, with nothing about the first visitor in it
    assert first == second
    assert "first.visitor" not in second
    assert "csrfmiddlewaretoken" not in second


@pytest.mark.parametrize(
    ("language", "packed_on", "status"),
    [
        ("ja", "梱包日", "梱包済み"),
        ("vi", "Ngày đóng gói", "Đã đóng gói"),
        ("de", "Verpackt am", "Verpackt"),
    ],
)
def test_the_packing_date_is_labelled_as_a_date_not_as_an_order_status(
    client, language, packed_on, status
):
    html = page_html(client, BatchFactory(), language=language)
    assert f"<dt>{packed_on}</dt>" in html
    with translation.override(language):
        assert str(OrderStatus.PACKED.label) == status
