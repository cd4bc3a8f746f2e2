"""The product list's whole answer, every field, exactly: a varied catalogue (translations
missing in one language, a variant without batches, a product without variants, held,
recalled, expired and sold-out batches, a photo, an expired certificate) read in two
languages and currencies. The rows and the executor's shortcut (shop.graphql.product_reads,
shop.graphql.execution) must answer as the model instances and graphql-core did."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from shop import inventory
from shop.models import Batch, BatchStatus
from shop.money import format_money
from tests.factories import (
    BatchFactory,
    CartFactory,
    CooperativeFactory,
    ProductFactory,
    VariantFactory,
    VillageFactory,
)
from tests.shop.graphql.api import data_of

pytestmark = pytest.mark.django_db

EVERY_FIELD = """
query($language: Language, $currency: Currency) {
  products(first: 10, currency: $currency) { totalCount edges { cursor node {
    id slug name nameVi: name(language: VI) description(language: $language)
    story(language: $language) group isGiftSet ocopStars ocopDecisionNumber ocopValidUntil
    ocopIsCurrent hsCode photoUrl inStock
    priceFrom(currency: $currency) { amount currency formatted(language: $language) }
    cooperative { slug name address story(language: $language) province { code name slug } }
    variants { id sku gtin name(language: $language) weightGrams available
      price(currency: $currency) { amount currency formatted }
      batches { lotCode harvestDate packingDate bestBefore status available
        village { id name commune latitude longitude province { code name slug } } } }
  } } }
}
"""


def catalogue():
    today = timezone.localdate()
    village_a = VillageFactory(name="Làng A")
    village_b = VillageFactory(name="Làng B", province=village_a.province, commune="")
    coop = CooperativeFactory(slug="coop-a", name="HTX A", village=village_a)
    other = CooperativeFactory(slug="coop-b", name="HTX B", village=village_b, story_vi="")
    sauce = ProductFactory(
        cooperative=coop, slug="sauce", name_en="A fish sauce", name_vi="Nước mắm",
        photo="products/sauce.jpg",
    )  # fmt: skip
    small = VariantFactory(
        product=sauce, sku="S-250", name_en="250 ml", name_vi="", weight_grams=250,
        price_usd=Decimal("5.00"), price_eur=Decimal("4.60"), price_vnd=Decimal("120000"),
    )  # fmt: skip
    large = VariantFactory(product=sauce, sku="S-600", weight_grams=600)
    soon = BatchFactory(
        variant=small, lot_code="SOON", village=village_a, quantity_received=5,
        best_before=today + datetime.timedelta(days=20),
    )  # fmt: skip
    later = BatchFactory(
        variant=small, lot_code="LATER", village=village_b, quantity_received=7,
        best_before=today + datetime.timedelta(days=90),
    )  # fmt: skip
    recalled = BatchFactory(variant=small, lot_code="RECALLED", village=village_a)
    Batch.objects.filter(pk=recalled.pk).update(status=BatchStatus.RECALLED)
    BatchFactory(
        variant=large, lot_code="EXPIRED", village=village_a,
        harvest_date=today - datetime.timedelta(days=100),
        packing_date=today - datetime.timedelta(days=90),
        best_before=today - datetime.timedelta(days=1),
    )  # fmt: skip
    inventory.hold(cart=CartFactory(), variant=small, quantity=2)
    cake = ProductFactory(cooperative=other, slug="cake", name_en="B cake", name_vi="")
    tea = ProductFactory(
        cooperative=coop, slug="tea", name_en="C tea", name_vi="Trà",
        ocop_certified_on=today - datetime.timedelta(days=800),
        ocop_valid_until=today - datetime.timedelta(days=10),
    )  # fmt: skip
    tin = VariantFactory(product=tea, sku="T-100", weight_grams=100)
    sold_out = BatchFactory(variant=tin, lot_code="GONE", village=village_b, quantity_received=2)
    inventory.hold(cart=CartFactory(), variant=tin, quantity=2)
    for row in (soon, later, sold_out):
        row.refresh_from_db()
    return {"sauce": sauce, "small": small, "large": large, "soon": soon, "later": later,
            "cake": cake, "tea": tea, "tin": tin}  # fmt: skip


def province(p):
    return {"code": p.code, "name": p.name, "slug": p.codename}


def money(amount, currency, language):
    return {"amount": str(amount), "currency": currency,
            "formatted": format_money(amount, currency, language)}  # fmt: skip


def batch(b, available):
    v = b.village
    return {
        "lotCode": b.lot_code, "harvestDate": b.harvest_date.isoformat(),
        "packingDate": b.packing_date.isoformat(), "bestBefore": b.best_before.isoformat(),
        "status": "on_sale", "available": available,
        "village": {"id": str(v.pk), "name": v.name, "commune": v.commune,
                    "latitude": float(v.latitude), "longitude": float(v.longitude),
                    "province": province(v.province)},
    }  # fmt: skip


def variant(v, name, price, available, batches):
    return {"id": str(v.pk), "sku": v.sku, "gtin": v.gtin, "name": name,
            "weightGrams": v.weight_grams, "available": available, "price": price,
            "batches": batches}  # fmt: skip


def node(p, *, language, name, name_vi, story, coop_story, price_from, in_stock, current, photo,
         variants):  # fmt: skip
    c = p.cooperative
    return {
        "id": to_global_id("Product", p.pk), "slug": p.slug, "name": name, "nameVi": name_vi,
        "description": p.description_en if language == "en" else p.description_vi,
        "story": story, "group": "FOOD", "isGiftSet": False, "ocopStars": p.ocop_stars,
        "ocopDecisionNumber": p.ocop_decision_number,
        "ocopValidUntil": p.ocop_valid_until.isoformat(), "ocopIsCurrent": current,
        "hsCode": p.hs_code, "photoUrl": photo, "inStock": in_stock, "priceFrom": price_from,
        "cooperative": {"slug": c.slug, "name": c.name, "address": c.address,
                        "story": coop_story, "province": province(c.province)},
        "variants": variants,
    }  # fmt: skip


def expected(rows, language: str, currency: str) -> list:
    """The answer, field by field, from the rows as created."""
    code = currency.lower()
    sauce, small, large, tea, tin = (rows[k] for k in ("sauce", "small", "large", "tea", "tin"))
    en = language == "en"

    def price(v):
        return getattr(v, f"price_{code}")

    def offer(v, name, available, batches):
        return variant(v, name, money(price(v), currency, language), available, batches)

    batches = [batch(rows["soon"], 3), batch(rows["later"], 7)]
    return [
        node(
            sauce, language=language, name="A fish sauce" if en else "Nước mắm", name_vi="Nước mắm",
            story=sauce.story_en if en else sauce.story_vi,
            coop_story=sauce.cooperative.story_en if en else sauce.cooperative.story_vi,
            price_from=money(min(price(small), price(large)), currency, language),
            in_stock=True, current=True, photo="http://testserver/media/products/sauce.jpg",
            variants=[offer(small, "250 ml", 10, batches),
                      offer(large, "500 ml bottle" if en else "Chai 500 ml", 0, [])],
        ),
        node(
            rows["cake"], language=language, name="B cake", name_vi="B cake",
            story=rows["cake"].story_en if en else rows["cake"].story_vi,
            coop_story="Five generations of potters.", price_from=None, in_stock=False,
            current=True, photo=None, variants=[],
        ),
        node(
            tea, language=language, name="C tea" if en else "Trà", name_vi="Trà",
            story=tea.story_en if en else tea.story_vi,
            coop_story=tea.cooperative.story_en if en else tea.cooperative.story_vi,
            price_from=money(price(tin), currency, language), in_stock=False, current=False,
            photo=None, variants=[offer(tin, "500 ml bottle" if en else "Chai 500 ml", 0, [])],
        ),
    ]  # fmt: skip


@pytest.mark.parametrize(("language", "currency"), [("en", "USD"), ("vi", "VND"), ("en", "EUR")])
def test_every_field_of_the_product_list_is_exactly_the_catalogue(client, language, currency):
    # given a varied catalogue
    rows = catalogue()

    # when the whole list is read in a language and a currency
    data = data_of(
        client, EVERY_FIELD, {"language": language.upper(), "currency": currency},
        HTTP_ACCEPT_LANGUAGE=language,
    )  # fmt: skip

    # then every field is what the rows hold, in that language and currency, by name in
    # that language (the cake has no Vietnamese name)
    products = data["products"]
    sauce, cake, tea = expected(rows, language, currency)
    assert products["totalCount"] == 3
    nodes = [edge["node"] for edge in products["edges"]]
    assert nodes == ([sauce, cake, tea] if language == "en" else [cake, sauce, tea])


def test_a_product_by_slug_is_the_same_node_as_in_the_list(client):
    # given the catalogue
    catalogue()
    query = EVERY_FIELD.replace("$language", "VI").replace("$currency", "EUR")
    query = query.replace("query(VI: Language, EUR: Currency)", "")
    fields = query.split("edges { cursor node {")[1].rsplit("} } }", 1)[0]

    # when one product is read by slug, and the list
    one = data_of(client, f'{{ product(slug: "sauce") {{ {fields} }} }}')
    listed = data_of(client, query)

    # then both give the same product
    assert one["product"] == listed["products"]["edges"][0]["node"]
