"""Catalogue selectors and availability: filters, search, FEFO choice, and the number of SQL
queries the catalogue and product pages make as the data grows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shop import availability, card_query, inventory, product_page
from shop import cards as storefront_cards
from shop import catalogue as reads
from shop.catalogue import CatalogueFilters, Sort
from shop.models import Batch, BatchStatus, MovementKind, Product, ProductGroup
from tests.factories import (
    BatchFactory,
    CartFactory,
    CooperativeFactory,
    GiftSetComponentFactory,
    OrderLineBatchFactory,
    ProductFactory,
    VariantFactory,
    VillageFactory,
    assembled_box_lot,
)
from traceability.links import digital_link_path
from traceability.models import Province

pytestmark = pytest.mark.django_db

MAX_PAGE_QUERIES = 8


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def names(products) -> list[str]:
    return [product.name_en for product in products]


def stocked_product(**kwargs):
    """A product with one variant and one batch on sale."""
    product = ProductFactory(**kwargs)
    BatchFactory(variant=VariantFactory(product=product))
    return product


def test_product_cards_show_the_cheapest_variant_in_the_shoppers_currency():
    # given a product with two sizes
    product = ProductFactory()
    VariantFactory(product=product, price_usd=Decimal("12.50"), price_vnd=Decimal("250000"))
    VariantFactory(product=product, price_usd=Decimal("4.90"), price_vnd=Decimal("99000"))
    # when the cards are read in USD and in VND
    usd = reads.product_cards(currency="USD").get(pk=product.pk)
    vnd = reads.product_cards(currency="VND").get(pk=product.pk)
    # then each shows the cheaper size's price in that currency
    assert usd.price_from == Decimal("4.90")
    assert vnd.price_from == Decimal("99000")


def test_product_cards_refuse_an_unknown_currency():
    with pytest.raises(ValueError):
        reads.product_cards(currency="GBP")


def test_catalogue_filters_by_product_group():
    # given a food and a handicraft
    stocked_product(name_en="Fish sauce", group=ProductGroup.FOOD)
    stocked_product(name_en="Bat Trang vase", group=ProductGroup.HANDICRAFTS)
    # when the shopper picks handicrafts
    found = reads.catalogue(filters=CatalogueFilters(group="handicrafts"), currency="USD")
    # then only the vase is listed
    assert names(found) == ["Bat Trang vase"]


def test_catalogue_filters_by_province_slug():
    # given cooperatives in Hà Nội and An Giang
    an_giang = Province.objects.get(codename="an-giang")
    stocked_product(
        name_en="Phu Quoc fish sauce",
        cooperative=CooperativeFactory(village=VillageFactory(province=an_giang)),
    )
    stocked_product(name_en="Bat Trang vase")
    # when the shopper picks An Giang
    found = reads.catalogue(filters=CatalogueFilters(province="an-giang"), currency="USD")
    # then only the An Giang product is listed
    assert names(found) == ["Phu Quoc fish sauce"]


def test_provinces_offered_are_those_with_published_products():
    # given products in Hà Nội, and an unpublished one in An Giang
    stocked_product()
    an_giang = Province.objects.get(codename="an-giang")
    stocked_product(
        is_published=False,
        cooperative=CooperativeFactory(village=VillageFactory(province=an_giang)),
    )
    # when the filter's provinces are read / then only Hà Nội is offered
    assert reads.provinces_with_products() == [("ha-noi", "Thành phố Hà Nội")]


def test_minimum_stars_count_only_current_certificates(today):
    # given a current 5-star, a current 3-star and a 5-star whose certificate expired
    stocked_product(name_en="Current five", ocop_stars=5)
    stocked_product(name_en="Current three", ocop_stars=3)
    stocked_product(
        name_en="Expired five",
        ocop_stars=5,
        ocop_certified_on=today - days(1200),
        ocop_valid_until=today - days(1),
    )
    # when the shopper asks for 4 stars or more
    found = reads.catalogue(filters=CatalogueFilters(min_stars=4), currency="USD")
    # then the expired certificate does not count as a rating
    assert names(found) == ["Current five"]


def test_price_range_applies_to_the_from_price_in_the_shoppers_currency():
    # given products from $4.90, $12.50 and $30.00 (and their VND prices)
    for name, usd, vnd in [
        ("Cheap", "4.90", "99000"),
        ("Middle", "12.50", "250000"),
        ("Dear", "30.00", "700000"),
    ]:
        VariantFactory(
            product=ProductFactory(name_en=name), price_usd=Decimal(usd), price_vnd=Decimal(vnd)
        )
    # when the shopper asks for 5 to 30 USD, and for at most 250 000 VND
    in_usd = reads.catalogue(
        filters=CatalogueFilters(price_min=Decimal("5"), price_max=Decimal("30")),
        currency="USD",
    )
    in_vnd = reads.catalogue(filters=CatalogueFilters(price_max=Decimal("250000")), currency="VND")
    # then the bounds are inclusive and read in that currency
    assert names(in_usd) == ["Dear", "Middle"]
    assert names(in_vnd) == ["Cheap", "Middle"]


def test_in_stock_only_leaves_out_products_a_shopper_cannot_buy(today):
    # given one product on sale and five that cannot be bought
    stocked_product(name_en="On sale")
    ProductFactory(name_en="No batch")
    recalled = BatchFactory(variant__product__name_en="Recalled")
    Batch.objects.filter(pk=recalled.pk).update(status=BatchStatus.RECALLED)
    BatchFactory(
        variant__product__name_en="Past best-before",
        harvest_date=today - days(400),
        packing_date=today - days(390),
        best_before=today - days(1),
    )
    sold = BatchFactory(variant__product__name_en="Sold out", quantity_received=2)
    inventory.record_movement(batch_id=sold.pk, kind=MovementKind.SOLD, quantity=-2)
    held = BatchFactory(variant__product__name_en="All held", quantity_received=2)
    inventory.hold(cart=CartFactory(), variant=held.variant, quantity=2)
    # when the shopper asks for products in stock, and when a page of cards is marked
    found = reads.catalogue(filters=CatalogueFilters(in_stock=True), currency="USD")
    page = reads.catalogue_page(filters=CatalogueFilters(), currency="USD", page_number=1)
    # then only the product on sale is listed, and it alone is marked in stock
    assert names(found) == ["On sale"]
    assert [card.name for card in page.object_list if card.in_stock] == ["On sale"]
    assert len(page.object_list) == 6


def page_rows(filters: CatalogueFilters) -> list[tuple]:
    """The catalogue page's rows as the storefront reads them (every product, one page)."""
    return card_query.page_rows(filters=filters, currency="USD", offset=0, limit=500)


def marked_in_stock(product) -> bool:
    """Whether the catalogue's card of `product` says "In stock"."""
    return next(row[11] for row in page_rows(CatalogueFilters()) if row[0] == product.pk)


def test_the_stock_filter_and_the_stock_marks_agree_on_gift_sets():
    # given gift sets: one with a box lot, one whose boxes are all held, one whose
    # components are stocked but never assembled, and one without any component yet
    boxed = assembled_box_lot(boxes=2)
    Product.objects.filter(pk=boxed.variant.product_id).update(name_en="Boxed set")
    held = assembled_box_lot(boxes=1)
    Product.objects.filter(pk=held.variant.product_id).update(name_en="Held set")
    inventory.hold(cart=CartFactory(), variant=held.variant, quantity=1)
    unboxed = GiftSetComponentFactory(gift_set__product__name_en="Unboxed set")
    BatchFactory(variant=unboxed.component)
    ProductFactory(name_en="Empty set", is_gift_set=True)
    # when both forms of the rule are read
    filtered = names(reads.catalogue(filters=CatalogueFilters(in_stock=True), currency="USD"))
    cards = storefront_cards.to_cards(page_rows(CatalogueFilters()), currency="USD")
    marked = sorted(card.name for card in cards if card.in_stock)
    # then they agree: only the set with a box lot to sell, and the stocked components' products
    assert "Boxed set" in filtered
    assert not {"Held set", "Unboxed set", "Empty set"} & set(filtered)
    assert marked == sorted(filtered)
    assert len(cards) == Product.objects.published().count()


def test_available_units_subtract_live_holds_and_order_allocations():
    # given 10 units received, 3 held for a cart and 2 allocated to an order
    batch = BatchFactory(quantity_received=10)
    inventory.hold(cart=CartFactory(), variant=batch.variant, quantity=3)
    OrderLineBatchFactory(line__variant=batch.variant, batch=batch, quantity=2)
    # when availability is read
    annotated = availability.annotate_available(Batch.objects.filter(pk=batch.pk)).get()
    # then 5 units are left to buy
    assert availability.available_for_batch(annotated) == 5


def test_a_gift_set_is_in_stock_when_a_box_lot_can_be_bought_not_its_components():
    # given a gift set of tea and honey, both in stock, but no box assembled yet
    component = GiftSetComponentFactory(gift_set__product__name_en="Gift set")
    honey = VariantFactory(product__cooperative=component.gift_set.product.cooperative)
    GiftSetComponentFactory(gift_set=component.gift_set, component=honey)
    BatchFactory(variant=honey)
    BatchFactory(variant=component.component)
    gift_set = component.gift_set.product
    in_stock = CatalogueFilters(in_stock=True)
    # then the set is out of stock
    assert "Gift set" not in names(reads.catalogue(filters=in_stock, currency="USD"))
    assert marked_in_stock(gift_set) is False
    # when 3 boxes are assembled / then the set is in stock, "only 3 left"
    assembled_box_lot(gift_set=component.gift_set, boxes=3)
    assert "Gift set" in names(reads.catalogue(filters=in_stock, currency="USD"))
    assert marked_in_stock(gift_set) is True
    offer = product_page.product_page(slug=gift_set.slug, currency="USD").offers[0]
    assert (offer.in_stock, offer.available, offer.only_left) == (True, 3, 3)
    # when the three boxes are held / then it is out of stock although the components are not
    inventory.hold(cart=CartFactory(), variant=component.gift_set, quantity=3)
    assert marked_in_stock(gift_set) is False
    assert product_page.product_page(slug=gift_set.slug, currency="USD").offers[0].in_stock is False
    assert Batch.objects.filter(variant=honey).with_available().get().available > 0


def test_search_matches_vietnamese_with_or_without_diacritics_and_english():
    # given Vietnamese fish sauce and a pottery vase
    stocked_product(name_en="Phu Quoc fish sauce", name_vi="Nước mắm Phú Quốc")
    stocked_product(
        name_en="Bat Trang vase",
        name_vi="Bình gốm Bát Tràng",
        description_en="Glazed stoneware.",
        description_vi="Gốm men.",
    )

    def search(text):
        return names(reads.catalogue(filters=CatalogueFilters(q=text), currency="USD"))

    # when / then
    assert search("nước mắm") == ["Phu Quoc fish sauce"]
    assert search("nuoc mam") == ["Phu Quoc fish sauce"]
    assert search("NUOC MAM phu") == ["Phu Quoc fish sauce"]
    assert search("fish sauce") == ["Phu Quoc fish sauce"]
    assert search("gom bat trang") == ["Bat Trang vase"]
    assert search("nuoc mam bat trang") == []


def test_unpublished_products_are_never_listed():
    stocked_product(name_en="Hidden", is_published=False)
    stocked_product(name_en="Shown")
    assert names(reads.catalogue(filters=CatalogueFilters(), currency="USD")) == ["Shown"]


def test_sort_by_price_high_to_low_and_newest():
    # given three products made one after another
    for name, usd in [("A", "5.00"), ("B", "20.00"), ("C", "10.00")]:
        VariantFactory(product=ProductFactory(name_en=name), price_usd=Decimal(usd))

    def listed(sort):
        return names(reads.catalogue(filters=CatalogueFilters(sort=sort), currency="USD"))

    assert listed(Sort.PRICE_HIGH) == ["B", "C", "A"]
    assert listed(Sort.PRICE_LOW) == ["A", "C", "B"]
    assert listed(Sort.NEWEST) == ["C", "B", "A"]
    assert listed(Sort.NAME) == ["A", "B", "C"]


def test_product_page_offers_the_fefo_batch_among_buyable_batches(today):
    # given batches of one variant: the earliest best-before ones cannot be bought
    variant = VariantFactory()

    def batch(lot, best_before_in, **kwargs):
        return BatchFactory(
            variant=variant,
            lot_code=lot,
            harvest_date=today - days(100),
            packing_date=today - days(90),
            best_before=today + days(best_before_in),
            **kwargs,
        )

    expired = batch("EXPIRED", -1)
    recalled = batch("RECALLED", 10)
    Batch.objects.filter(pk=recalled.pk).update(status=BatchStatus.RECALLED)
    held = batch("HELD", 20, quantity_received=1)
    inventory.hold(cart=CartFactory(), variant=variant, quantity=1)
    batch("LATER", 300)
    batch("FIRST", 30)
    # when the product page is read
    page = product_page.product_page(slug=variant.product.slug, currency="USD")
    # then the buyer would receive the earliest best-before batch still buyable
    offer = page.offers[0]
    assert offer.current_batch.lot_code == "FIRST"
    assert [row.batch.lot_code for row in offer.other_rows] == [
        "EXPIRED",
        "RECALLED",
        "HELD",
        "LATER",
    ]
    assert [row.status for row in offer.other_rows] == [
        "expired",
        "recalled",
        "sold_out",
        "on_sale",
    ]
    assert expired.pk and held.pk


def test_is_buyable_agrees_with_buyable_batches(today):
    # given batches in every state a shopper can meet
    variant = VariantFactory()

    def batch(lot, **kwargs):
        return BatchFactory(variant=variant, lot_code=lot, quantity_received=3, **kwargs)

    batch("ON-SALE")
    batch("HALF-HELD")
    batch(
        "PAST",
        harvest_date=today - days(30),
        packing_date=today - days(20),
        best_before=today - days(1),
    )
    for lot, status in [
        ("RECALLED", BatchStatus.RECALLED),
        ("MARKED-SOLD", BatchStatus.SOLD_OUT),
        ("MARKED-EXPIRED", BatchStatus.EXPIRED),
    ]:
        Batch.objects.filter(pk=batch(lot).pk).update(status=status)
    sold = batch("SOLD")
    inventory.record_movement(batch_id=sold.pk, kind=MovementKind.SOLD, quantity=-3)
    Batch.objects.filter(lot_code="HALF-HELD").update(best_before=today + days(1))
    inventory.hold(cart=CartFactory(), variant=variant, quantity=2)
    # when both forms of the rule are read
    annotated = availability.annotate_available(Batch.objects.filter(variant=variant))
    in_python = {b.lot_code for b in annotated if availability.is_buyable(b)}
    in_sql = set(
        availability.buyable_batches().filter(variant=variant).values_list("lot_code", flat=True)
    )
    # then they agree, and a batch with one unit left after a hold is still buyable
    assert in_python == in_sql == {"ON-SALE", "HALF-HELD"}


def test_only_n_left_shows_at_the_low_stock_threshold(settings):
    settings.LOW_STOCK_THRESHOLD = 5
    few = BatchFactory(quantity_received=5)
    many = BatchFactory(quantity_received=6)
    few_offer = product_page.product_page(slug=few.variant.product.slug, currency="USD").offers[0]
    many_offer = product_page.product_page(slug=many.variant.product.slug, currency="USD").offers[0]
    assert few_offer.only_left == 5
    assert many_offer.only_left is None


def test_product_page_links_the_batch_you_will_receive_to_its_trace_page(client, today):
    # given a variant whose FEFO batch is FIRST, with a later batch LATER
    variant = VariantFactory()
    first = BatchFactory(variant=variant, lot_code="FIRST", best_before=today + days(30))
    BatchFactory(variant=variant, lot_code="LATER", best_before=today + days(300))
    # when the product page is shown
    response = client.get(variant.product.get_absolute_url())
    # then the "You will receive this batch" box links to FIRST's trace page, relatively
    html = response.content.decode()
    path = digital_link_path(gtin=variant.gtin, lot=first.lot_code)
    assert f'<a href="{path}">' + "See this batch's origin and journey</a>" in html
    assert html.index("You will receive this batch") < html.index(f'href="{path}"')
    assert digital_link_path(gtin=variant.gtin, lot="LATER") not in html


def test_product_page_of_an_unpublished_product_does_not_exist():
    product = ProductFactory(is_published=False)
    with pytest.raises(product.DoesNotExist):
        product_page.product_page(slug=product.slug, currency="USD")


def test_gift_set_page_lists_components_and_sells_from_its_box_lot(today):
    # given a gift set of 2 lotus teas, with two tea batches on sale, and a box lot of 4
    component = GiftSetComponentFactory(quantity=2, component__product__name_en="Lotus tea")
    tea = component.component
    BatchFactory(variant=tea, lot_code="TEA-LATE", best_before=today + days(400))
    BatchFactory(variant=tea, lot_code="TEA-SOON", best_before=today + days(100))
    assembled_box_lot(gift_set=component.gift_set, boxes=4, lot_code="BOX-4")
    # when the gift set's page is read
    page = product_page.product_page(slug=component.gift_set.product.slug, currency="USD")
    # then it lists what each box holds, and offers the box lot
    assert [(c.component.product.name_en, c.quantity) for c in page.components] == [
        ("Lotus tea", 2)
    ]
    assert page.offers[0].current_batch.lot_code == "BOX-4"
    assert (page.offers[0].in_stock, page.offers[0].available) == (True, 4)


def test_a_gift_set_without_a_box_lot_is_out_of_stock():
    component = GiftSetComponentFactory()
    BatchFactory(variant=component.component)
    page = product_page.product_page(slug=component.gift_set.product.slug, currency="USD")
    assert page.offers[0].in_stock is False


# Query counts: the hot pages must not grow with the data.


def build_products(
    count: int, *, batches_per_variant: int = 3, start: int = 0, cooperative=None
) -> list:
    """`count` products, each with 2 variants and several batches, one unit of each held."""
    cart = CartFactory()
    today = timezone.localdate()
    products = []
    for n in range(start, start + count):
        extra = {"cooperative": cooperative} if cooperative else {}
        product = ProductFactory(name_en=f"Product {n:03d}", **extra)
        for size in (250, 500):
            variant = VariantFactory(product=product, weight_grams=size)
            for b in range(batches_per_variant):
                BatchFactory(
                    variant=variant,
                    quantity_received=10 + b,
                    best_before=today + days(200 + 30 * b),
                )
        inventory.hold(cart=cart, variant=variant, quantity=1)
        products.append(product)
    return products


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("query", "first"),
    [("", 5), ("?in_stock=on&sort=-price", 5), ("?q=product&stars=3&page=2", 25)],
)
def test_catalogue_page_makes_the_same_few_queries_as_products_grow(client, query, first):
    # given a few products (enough for the page asked for)
    build_products(first)
    before = count_queries(client, reverse("shop:catalogue") + query)
    # when 45 more arrive (three pages of them)
    build_products(45, start=first)
    after = count_queries(client, reverse("shop:catalogue") + query)
    # then the page makes the same number of queries, at most 8
    assert before == after
    assert after <= MAX_PAGE_QUERIES
    print(f"catalogue{query or ''}: {after} queries")


def test_a_page_past_the_end_shows_the_last_page_with_a_few_more_queries(client):
    # given 25 products: two pages of 20
    build_products(25)
    # when page 7 (or page 0, or "x") is asked for
    past = client.get(reverse("shop:catalogue") + "?page=7")
    zero = client.get(reverse("shop:catalogue") + "?page=0")
    nonsense = client.get(reverse("shop:catalogue") + "?page=x")
    huge = client.get(reverse("shop:catalogue") + "?page=" + "9" * 30)
    # then the last page (5 cards) or the first (20) is shown, counted from all 25
    assert (past.context["page"].number, len(past.context["page"].object_list)) == (2, 5)
    assert (zero.context["page"].number, len(zero.context["page"].object_list)) == (2, 5)
    assert (nonsense.context["page"].number, len(nonsense.context["page"].object_list)) == (1, 20)
    assert (huge.context["page"].number, len(huge.context["page"].object_list)) == (2, 5)
    assert past.context["page"].paginator.count == 25
    assert count_queries(client, reverse("shop:catalogue") + "?page=7") <= MAX_PAGE_QUERIES


def test_product_page_makes_the_same_few_queries_with_5_and_50_products(client):
    # given 5 products of 2 variants and 3 batches each
    first = build_products(5)[0]
    with_5 = count_queries(client, first.get_absolute_url())
    # when 45 more products arrive, this one with 8 batches per variant
    build_products(44, start=5)
    big = build_products(1, batches_per_variant=8, start=49)[0]
    with_50 = count_queries(client, big.get_absolute_url())
    # then the page makes the same number of queries, at most 8
    assert with_5 == with_50
    # The product with its variants and lots, the photos, the delivery schedule.
    assert with_50 == 3
    print(f"product page: {with_50} queries")


def test_a_variant_without_lots_and_a_product_without_variants_read_in_one_query(today):
    # given a product with one variant that has lots and one that has none, and a product
    # with no variant at all
    jar = VariantFactory(name_en="250 g jar", weight_grams=300)
    BatchFactory(variant=jar, quantity_received=4)
    VariantFactory(product=jar.product, name_en="1 kg jar", weight_grams=1100)
    bare = ProductFactory()
    # when their pages are read
    page = product_page.product_page(slug=jar.product.slug, currency="USD")
    empty = product_page.product_page(slug=bare.slug, currency="USD")
    # then the lightest variant offers its lot, the other is out of stock, the bare one none
    assert [(o.variant.name, o.in_stock, len(o.other_batches)) for o in page.offers] == [
        ("250 g jar", True, 0),
        ("1 kg jar", False, 0),
    ]
    assert page.offers[0].current_batch.variant is page.offers[0].variant
    assert page.offers[0].variant.product is page.product
    assert empty.offers == []


def test_home_and_cooperative_pages_make_the_same_queries_as_data_grows(client):
    cooperative = CooperativeFactory()
    build_products(5, cooperative=cooperative)
    home_5 = count_queries(client, reverse("shop:home"))
    coop_5 = count_queries(client, cooperative.get_absolute_url())
    build_products(20, start=5, cooperative=cooperative)
    build_products(5, start=25)
    assert count_queries(client, reverse("shop:home")) == home_5 <= MAX_PAGE_QUERIES
    assert count_queries(client, cooperative.get_absolute_url()) == coop_5 <= MAX_PAGE_QUERIES


def test_gift_set_page_queries_do_not_grow_with_its_components(client):
    # given a gift set of one component, with a box lot
    first = GiftSetComponentFactory()
    gift_set = first.gift_set
    BatchFactory(variant=first.component)
    assembled_box_lot(gift_set=gift_set, boxes=1)
    with_1 = count_queries(client, gift_set.product.get_absolute_url())
    # when it gets three more components, each with batches, and more box lots
    for _ in range(3):
        component = GiftSetComponentFactory(gift_set=gift_set).component
        BatchFactory(variant=component)
        BatchFactory(variant=component)
    assembled_box_lot(gift_set=gift_set, boxes=2)
    with_4 = count_queries(client, gift_set.product.get_absolute_url())
    # then the page makes the same number of queries, at most 8
    assert with_1 == with_4 <= MAX_PAGE_QUERIES
    print(f"gift set page: {with_4} queries")
