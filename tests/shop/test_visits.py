"""The village invitation's reads (shop.visits) and its partial (shop/_visit.html)."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from shop import visits
from shop.models.gifts import CooperativeVisit
from shop.workspace import visit_edits
from tests.factories import CooperativeFactory, VillageFactory

pytestmark = pytest.mark.django_db


def a_visit(**fields) -> CooperativeVisit:
    village = VillageFactory(name=fields.pop("village", "Bát Tràng"))
    cooperative = CooperativeFactory(village=village)
    values = {"published": True, "activities_en": "Throw a bowl on the wheel.", **fields}
    return CooperativeVisit.objects.create(cooperative=cooperative, **values)


def test_published_visits_of_many_cooperatives_in_one_query(django_assert_num_queries):
    shown = [a_visit(village="Bát Tràng"), a_visit(village="Phù Lãng"), a_visit(village="Chu Đậu")]
    hidden = a_visit(published=False, village="Thổ Hà")

    with django_assert_num_queries(1):
        found = visits.published_visits(
            cooperative_ids=[v.cooperative_id for v in [*shown, hidden]], language="en"
        )

    assert sorted(v.cooperative_id for v in found) == sorted(v.cooperative_id for v in shown)
    assert sorted(v.village for v in found) == ["Bát Tràng", "Chu Đậu", "Phù Lãng"]
    assert visits.published_visit(cooperative_id=hidden.cooperative_id) is None
    assert visits.published_visits(cooperative_ids=[]) == []


def test_words_in_the_readers_language_with_english_falling_back():
    row = a_visit(
        activities_vi="Tự tay nặn một chiếc bát.",
        nearest_city_en="Hanoi",
        best_months=[3, 10, 13, "x"],
        travel_minutes=45,
    )

    vi = visits.published_visit(cooperative_id=row.cooperative_id, language="vi")
    ja = visits.published_visit(cooperative_id=row.cooperative_id, language="ja")

    assert (vi.activities.value, vi.activities.language) == ("Tự tay nặn một chiếc bát.", "vi")
    assert (vi.nearest_city.value, vi.nearest_city.language) == ("Hanoi", "en")
    assert vi.months == ["Tháng 3", "Tháng 10"]
    assert (ja.activities.value, ja.activities.language) == ("Throw a bowl on the wheel.", "en")
    assert ja.months == ["3月", "10月"]
    with translation.override("en"):
        assert visits.travel_time(45) == "45 minutes"
        assert visits.travel_time(60) == "1 hour"
        assert visits.travel_time(135) == "2 hours 15 min"


def test_the_partial_draws_a_row_or_a_visit_alike_and_nothing_unpublished():
    row = a_visit(contact_phone="+84 (24) 3874 0000", contact_email="gom@battrang.example")
    hidden = a_visit(published=False, village="Thổ Hà")

    with translation.override("en"):
        from_row = render_to_string("shop/_visit.html", {"visit": row})
        from_visit = render_to_string(
            "shop/_visit.html", {"visit": visits.present(row, language="en")}
        )
        nothing = render_to_string("shop/_visit.html", {"visit": hidden})

    assert from_row == from_visit
    assert "Visit the village" in from_row
    assert 'href="tel:+842438740000"' in from_row
    assert 'href="mailto:gom@battrang.example"' in from_row
    assert "<svg" in from_row and "<circle" in from_row
    assert nothing.strip() == ""


def test_the_partial_escapes_what_the_cooperative_wrote():
    row = a_visit(activities_en='<script>alert("x")</script>')

    html = render_to_string("shop/_visit.html", {"visit": row})

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_the_gift_page_invites_the_receiver_to_each_cooperatives_village(client):
    from tests.shop.gift_data import gift_order

    _order, gift = gift_order(extra=1, box=False)
    cooperative = gift.order.lines.get().variant.product.cooperative
    CooperativeVisit.objects.create(
        cooperative=cooperative,
        published=True,
        activities_en="Join the morning harvest.",
        activities_vi="Cùng thu hoạch buổi sáng.",
        best_months=[4, 5],
    )

    vi = client.get(f"/gift/{gift.token}/").content.decode()  # the giver chose Vietnamese
    ja = client.get(f"/gift/{gift.token}/?lang=ja").content.decode()

    assert "Cùng thu hoạch buổi sáng." in vi and "Tháng 4, Tháng 5" in vi
    assert "Join the morning harvest." in ja and "4月, 5月" in ja
    assert 'lang="en"' in ja


def test_an_edited_visit_shows_on_a_cached_gift_page_at_once(
    client, django_capture_on_commit_callbacks
):
    from tests.shop.gift_data import gift_order

    _order, gift = gift_order(extra=1, box=False)
    cooperative = gift.order.lines.get().variant.product.cooperative
    values = {"published": True, "activities_en": "Join the morning harvest."}
    with django_capture_on_commit_callbacks(execute=True):
        visit_edits.save_visit(cooperative_id=cooperative.pk, values=values)
    page = f"/gift/{gift.token}/?lang=en"
    assert "Join the morning harvest." in client.get(page).content.decode()

    # when the cooperative changes its invitation while the page is in the cache
    values["activities_en"] = "Roast tea with the Nguyễn family."
    with django_capture_on_commit_callbacks(execute=True):
        visit_edits.save_visit(cooperative_id=cooperative.pk, values=values)

    html = client.get(page).content.decode()
    assert "Roast tea with the Nguyễn family." in html
    assert "Join the morning harvest." not in html
