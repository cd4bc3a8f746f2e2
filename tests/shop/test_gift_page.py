"""The gift page (/gift/<token>/): what it shows, in which language, in how many queries,
and a recall first."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shop import gift_page, gifts
from shop.models import Batch, Shipment
from tests.factories import StaffFactory
from tests.shop.gift_data import deliver, gift_order
from traceability import recalls

pytestmark = pytest.mark.django_db


def _get(client, gift, query=""):
    return client.get(f"/gift/{gift.token}/{query}")


def test_the_page_shows_the_message_signature_and_every_component_with_its_lot(client):
    order, gift = gift_order(extra=1)

    response = _get(client, gift)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Chúc mừng năm mới, Anna! Thương nhiều." in html
    assert "— Oma Jane" in html
    # The box's two components, each with its own lot's trace link; and the plain product.
    for lot in ("HONEY1", "TEA1", "BOX1", "LOT0"):
        assert f'/10/{lot}"' in html
    assert "Mật ong hoa rừng Tây Bắc" in html
    assert html.count('class="gift-item') == 3
    assert 'loading="lazy"' in html
    assert "<script" not in html.split("<main")[1]


def test_lang_switches_the_page_and_links_every_shop_language(client, settings):
    _order, gift = gift_order(extra=0)

    html = _get(client, gift, "?lang=en").content.decode()

    assert '<html lang="en">' in html
    assert "Tây Bắc wildflower honey" in html
    for code, _name in settings.LANGUAGES:
        assert f'href="/gift/{gift.token}/?lang={code}"' in html


def test_an_unknown_lang_reads_the_gifts_language(client):
    _order, gift = gift_order(extra=0)

    html = _get(client, gift, "?lang=xx").content.decode()

    assert '<html lang="vi">' in html


def test_care_notes_in_the_readers_language_fall_back_to_english(client):
    _order, gift = gift_order(extra=0)
    honey = Batch.objects.get(lot_code="HONEY1").variant.product
    honey.care_notes_en = "Keep in a cool, dry place."
    honey.care_notes_vi = ""
    honey.save()
    gifts.bump_version(token=gift.token)

    assert "Keep in a cool, dry place." in _get(client, gift).content.decode()

    honey.care_notes_vi = "Bảo quản nơi khô ráo, thoáng mát."
    honey.save()
    gifts.bump_version(token=gift.token)
    html = _get(client, gift).content.decode()
    assert "Bảo quản nơi khô ráo, thoáng mát." in html
    assert "Keep in a cool, dry place." not in html


@pytest.mark.parametrize("extra", [0, 4])
def test_the_page_reads_in_a_constant_number_of_queries(extra):
    _order, gift = gift_order(extra=extra)

    with CaptureQueriesContext(connection) as queries:
        found = gift_page.find(token=gift.token)
        page = gift_page.gift_page(gift=found.gift)
        names = [(i.product.name, i.village.province.name, i.recall) for i in page.items]

    assert len(names) == 2 + extra
    assert len(queries) == 5


def test_one_and_five_items_cost_the_same_queries():
    counts = []
    for extra in (1, 5):
        _order, gift = gift_order(extra=extra, box=False)
        with CaptureQueriesContext(connection) as queries:
            page = gift_page.gift_page(gift=gift_page.find(token=gift.token).gift)
            assert len(page.items) == extra
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_recalled_component_comes_first_in_an_alert(client):
    order, gift = gift_order(extra=1)
    deliver(order)
    html = _get(client, gift).content.decode()
    assert 'role="alert"' not in html
    tea = Batch.objects.get(lot_code="TEA1")
    staff = StaffFactory(cooperative=tea.variant.product.cooperative)

    recalls.recall_batch(batch=tea, reason="Bao bì bị hở / packaging leak", actor=staff)

    html = _get(client, gift).content.decode()
    main = html.split('<main id="main">')[1]
    assert main.lstrip().startswith('<div class="recall-notice" role="alert">')
    alert = main.split("</div>")[0]
    assert "TEA1" in alert
    assert "Bao bì bị hở / packaging leak" in alert


def test_an_unknown_token_is_a_404(client):
    gift_order(extra=0)

    assert client.get("/gift/not-a-real-token/").status_code == 404
    assert client.get("/gift/" + "x" * 300 + "/").status_code == 404


def test_a_revoked_link_is_gone_and_says_nothing_more(client):
    order, gift = gift_order(extra=0)
    assert _get(client, gift).status_code == 200  # cached now

    gifts.revoke(gift=gift)

    response = _get(client, gift)
    assert response.status_code == 410
    html = response.content.decode()
    assert "Oma Jane" not in html and "Anna" not in html and "HONEY1" not in html


def test_a_year_after_the_last_delivery_the_link_expires(client):
    order, gift = gift_order(extra=0)
    delivered = timezone.now() - datetime.timedelta(days=366)
    Shipment.objects.filter(order=order).update(delivered_at=delivered)

    assert _get(client, gift).status_code == 410

    Shipment.objects.filter(order=order).update(delivered_at=timezone.now())
    assert _get(client, gift).status_code == 200


def test_the_page_is_served_from_the_cache_with_the_visitors_own_csrf_token(client):
    _order, gift = gift_order(extra=0)
    first = _get(client, gift).content.decode()

    other = client.__class__()
    with CaptureQueriesContext(connection) as queries:
        second = other.get(f"/gift/{gift.token}/").content.decode()

    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.findall(first) and token.findall(second)
    assert token.findall(first) != token.findall(second)
    assert "<!--giftpage:csrf-token-->" not in second
    # The gift and the recall check; nothing of the items read again.
    assert len([q for q in queries.captured_queries if "session" not in q["sql"]]) <= 3
