import datetime
import io
import os
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Sum
from django.http import HttpRequest
from django.test import override_settings
from unidecode import unidecode

from shop import inventory
from shop.demo import data, loader
from shop.demo.specs import Stock
from shop.demo.stock import plan_batches
from shop.models import (
    Batch,
    Cooperative,
    Product,
    ProductGroup,
    StockMovement,
    User,
    Variant,
)
from shop.models.catalogue import OCOP_CERTIFICATE_MONTHS, add_months
from tests.factories import VariantFactory, next_gtin
from traceability.gs1 import normalise_gtin
from traceability.models import Village

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo load shared by this module's tests (a load takes seconds), inside a
    transaction rolled back after the last test; each test still runs in its own savepoint,
    so what a test writes is undone before the next."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield loader.load_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()


def snapshot() -> dict:
    """Everything a second load could change: row counts, the ledger, the rows' values."""
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (Cooperative, Village, Product, Variant, Batch, StockMovement, User)
        },
        "ledger": StockMovement.objects.aggregate(total=Sum("quantity"))["total"],
        "on_hand": sorted(Batch.objects.values_list("variant__sku", "lot_code", "on_hand")),
        "products": sorted(
            Product.objects.values_list(
                "slug", "name_vi", "ocop_certified_on", "ocop_valid_until", "photo", "search_text"
            )
        ),
        "variants": sorted(Variant.objects.values_list("sku", "gtin", "price_vnd", "price_usd")),
        "users": sorted(User.objects.values_list("email", "password", "is_superuser")),
    }


def test_cooperatives_spread_over_provinces_with_real_communes(demo):
    cooperatives = Cooperative.objects.select_related("village", "province")

    assert cooperatives.count() == 15
    assert cooperatives.values("province").distinct().count() == 14
    assert (demo.cooperatives, demo.provinces) == (15, 14)
    for cooperative in cooperatives:
        village = cooperative.village
        assert village.province_id == cooperative.province_id
        assert village.ward_code is not None
        assert Decimal("8") <= village.latitude <= Decimal("24")
        assert Decimal("102") <= village.longitude <= Decimal("110")
        assert cooperative.story_en and cooperative.story_vi
        assert cooperative.story_en != cooperative.story_vi


def test_catalogue_has_24_products_and_3_gift_sets_in_every_group(demo):
    products = Product.objects.filter(is_gift_set=False)
    gift_sets = Product.objects.filter(is_gift_set=True)

    assert (products.count(), gift_sets.count()) == (24, 3)
    assert (demo.products, demo.gift_sets) == (24, 3)
    assert set(products.values_list("group", flat=True)) == set(ProductGroup.values)
    assert sorted(gift_sets.values_list("name_en", flat=True)) == [
        "Mekong flavours",
        "Tea lovers' set",
        "Tết gift box",
    ]
    assert not gift_sets.annotate(n=Count("variants")).exclude(n=1).exists()
    assert not Product.objects.annotate(n=Count("variants")).filter(n__gt=3).exists()


def test_products_carry_certificates_of_at_most_36_months_and_one_has_expired(demo, today):
    for product in Product.objects.all():
        assert 3 <= product.ocop_stars <= 5
        assert product.ocop_decision_number.endswith("/QĐ-UBND")
        assert product.ocop_valid_until <= add_months(
            product.ocop_certified_on, OCOP_CERTIFICATE_MONTHS
        )
        assert len(product.hs_code) in (6, 8, 10)
        product.full_clean()

    expired = [p.slug for p in Product.objects.all() if not p.ocop_is_current]
    assert expired == ["kim-son-sedge-basket"]


def test_vietnamese_names_keep_their_diacritics_and_fold_for_search(demo):
    for spec in data.CATALOGUE:
        product = Product.objects.get(slug=spec.slug)
        assert product.name_vi == spec.name_vi
        assert product.description_vi == spec.description_vi
        assert unidecode(product.name_vi) != product.name_vi

    found = Product.objects.search("nuoc mam phu quoc 40").values_list("slug", flat=True)
    assert list(found) == ["phu-quoc-fish-sauce-40n"]


def test_variants_have_gs1_gtins_and_quantised_prices(demo):
    variants = Variant.objects.all()

    assert variants.count() == sum(len(spec.variants) for spec in data.CATALOGUE) == 51
    for variant in variants:
        assert normalise_gtin(variant.gtin) == variant.gtin
        assert variant.gtin.startswith("0893")
        assert variant.price_vnd == variant.price_vnd.to_integral_value()
        assert variant.price_usd.as_tuple().exponent == -2
        assert variant.price_eur.as_tuple().exponent == -2


def test_every_variant_has_batches_of_different_dates(demo):
    for variant in Variant.objects.prefetch_related("batches"):
        batches = list(variant.batches.all())
        assert len(batches) >= 2, variant.sku
        assert len({b.harvest_date for b in batches}) == len(batches)
        assert len({b.best_before for b in batches}) == len(batches)
    assert demo.batches == Batch.objects.count() == 106


def test_stock_counters_match_the_ledger(demo):
    for batch in Batch.objects.all():
        assert batch.on_hand == inventory.ledger_on_hand(batch_id=batch.pk)
        # a box lot opens with its assembly, every other lot with its receipt
        opening = "assembled" if batch.variant.product.is_gift_set else "received"
        assert batch.movements.filter(kind=opening, quantity__gt=0).get().quantity == (
            batch.quantity_received
        )


def test_gift_sets_are_in_stock_from_box_lots_assembled_from_component_lots(demo):
    for gift_set in Variant.objects.filter(product__is_gift_set=True):
        box_lots = Batch.objects.filter(variant=gift_set)
        assert box_lots.count() == 2
        assert Batch.objects.sellable().filter(variant=gift_set).count() == 2
        for box_lot in box_lots:
            run = box_lot.assembly
            assert run.boxes == box_lot.quantity_received
            recipe = dict(gift_set.components.values_list("component_id", "quantity"))
            assert {i.batch.variant_id: i.quantity for i in run.inputs.all()} == {
                component: units * run.boxes for component, units in recipe.items()
            }
            assert not run.transfers.exclude(status="received").exists()
            assert run.transfers.exists()  # partners' components travelled to the assembler


def test_exactly_one_batch_is_past_best_before_and_not_on_sale(demo, today):
    expired = Batch.objects.filter(best_before__lt=today)

    assert list(expired.values_list("lot_code", flat=True)) == ["CT-MUC-200-01"]
    assert expired.get().display_status == "expired"
    assert not Batch.objects.on_sale().filter(best_before__lt=today).exists()


def test_batches_sold_first_are_nearly_sold_out_where_the_data_says(demo):
    expected = {
        variant.sku
        for spec in data.CATALOGUE
        for variant in spec.variants
        if variant.stock is Stock.NEARLY_SOLD_OUT
    }
    nearly_gone = set()
    for variant in Variant.objects.all():
        current = Batch.objects.sellable().filter(variant=variant).fefo().first()
        if current.on_hand <= 3:
            assert current.on_hand in (2, 3)
            nearly_gone.add(variant.sku)

    assert nearly_gone == expected
    assert len(expected) == 5
    assert Batch.objects.filter(status="sold_out").get().lot_code == "ST25-5KG-01"


def test_every_product_and_cooperative_has_an_svg_picture(demo):
    for row in list(Product.objects.all()) + list(Cooperative.objects.all()):
        assert row.photo.name.endswith(f"/{row.slug}.svg")
        with default_storage.open(row.photo.name) as picture:
            svg = picture.read().decode()
        assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
        assert svg.rstrip().endswith("</svg>")


def test_product_picture_shows_the_vietnamese_name_and_stars(demo):
    product = Product.objects.get(slug="phu-quoc-fish-sauce-40n")

    svg = default_storage.open(product.photo.name).read().decode()

    assert "Nước mắm Phú Quốc 40 độ đạm" in svg
    assert svg.count("<polygon ") == 5


def test_loading_twice_changes_nothing(demo, today):
    media = Path(settings.MEDIA_ROOT)
    before = snapshot()
    files_before = sorted(p.name for p in media.rglob("*.svg"))

    again = loader.load_demo(today=today)

    assert snapshot() == before
    assert sorted(p.name for p in media.rglob("*.svg")) == files_before
    assert len(files_before) == 27 + 15
    assert (again.batches_received, demo.batches_received) == (0, 106)


def test_loading_on_a_later_day_receives_nothing_again(demo, today):
    before = snapshot()

    loader.load_demo(today=today + datetime.timedelta(days=40))

    assert snapshot() == before


def test_batch_plans_depend_on_today_but_lot_codes_do_not(today):
    spec = data.PRODUCTS[0]
    variant = spec.variants[0]

    first = plan_batches(product=spec, variant=variant, today=today)
    same_day = plan_batches(product=spec, variant=variant, today=today)
    later = plan_batches(product=spec, variant=variant, today=today + datetime.timedelta(days=9))

    assert first == same_day
    assert [p.lot_code for p in later] == [p.lot_code for p in first]
    assert [p.harvest_date - datetime.timedelta(days=9) for p in later] == [
        p.harvest_date for p in first
    ]


def test_demo_logins_are_an_admin_and_one_cooperatives_staff(demo, client):
    admin = User.objects.get(email=data.ADMIN_EMAIL)
    staff = User.objects.get(email=data.STAFF_EMAIL)

    assert (admin.is_superuser, admin.is_staff) == (True, True)
    assert (staff.is_superuser, staff.is_staff, staff.is_cooperative_staff) == (False, True, True)
    assert staff.cooperative.slug == data.STAFF_COOPERATIVE.slug
    # django-axes counts sign-ins per request, so authenticate() is given one.
    assert client.login(request=HttpRequest(), email=data.STAFF_EMAIL, password=data.STAFF_PASSWORD)
    assert [login.password_is_demo for login in demo.logins] == [True, True]


def test_demo_staff_login_sees_only_their_cooperatives_products_in_the_admin(demo, client):
    client.login(request=HttpRequest(), email=data.STAFF_EMAIL, password=data.STAFF_PASSWORD)

    response = client.get("/admin/shop/product/")

    assert response.status_code == 200
    listed = {product.slug for product in response.context["cl"].result_list}
    assert listed == {
        "phu-quoc-fish-sauce-40n",
        "phu-quoc-black-pepper",
        "phu-quoc-sim-wine",
    }


def test_a_changed_password_survives_a_reload_until_reset(demo, today):
    staff = User.objects.get(email=data.STAFF_EMAIL)
    staff.set_password("my-own-secret-42")
    staff.save()

    kept = loader.load_demo(today=today)
    staff.refresh_from_db()
    assert staff.check_password("my-own-secret-42")
    assert [login.password_is_demo for login in kept.logins] == [True, False]

    reset = loader.load_demo(today=today, reset_passwords=True)
    staff.refresh_from_db()
    assert staff.check_password(data.STAFF_PASSWORD)
    assert [login.password_is_demo for login in reset.logins] == [True, True]


def test_demo_command_without_serving_prints_both_logins_and_the_url(demo, monkeypatch, settings):
    # the command sets SITE_URL for runserver's child process: keep it to this test
    monkeypatch.setattr(os, "environ", {k: v for k, v in os.environ.items() if k != "SITE_URL"})
    settings.SITE_URL_FROM_REQUEST = True
    out = io.StringIO()

    call_command("demo", "--no-serve", stdout=out)

    text = out.getvalue()
    assert f"{data.ADMIN_EMAIL} / {data.ADMIN_PASSWORD}" in text
    assert f"{data.STAFF_EMAIL} / {data.STAFF_PASSWORD}" in text
    assert "http://127.0.0.1:8000" in text
    assert "24 products and 3 gift sets, 51 variants, 106 batches (0 received now)" in text


def test_load_demo_with_an_unknown_province_stops_and_writes_nothing(demo, monkeypatch):
    before = snapshot()
    nowhere = replace(data.COOPERATIVES[0], slug="atlantis-pearls", province="atlantis")
    monkeypatch.setattr(loader, "COOPERATIVES", (*data.COOPERATIVES, nowhere))

    with pytest.raises(CommandError, match="'atlantis' is missing: run `manage.py migrate`"):
        call_command("load_demo", "--reset-passwords", stdout=io.StringIO())

    assert snapshot() == before
    assert not Cooperative.objects.filter(slug="atlantis-pearls").exists()


def test_a_gtin_taken_by_another_variant_stops_the_load_and_writes_nothing(demo, today):
    demo_variant = Variant.objects.get(sku="PQ-NM40-250")
    demo_gtin = demo_variant.gtin
    Variant.objects.filter(pk=demo_variant.pk).update(gtin=next_gtin())
    VariantFactory(sku="SOMEONE-ELSE", gtin=demo_gtin)
    before = snapshot()

    with pytest.raises(loader.DemoDataError, match="PQ-NM40-250"):
        loader.load_demo(today=today, reset_passwords=True)

    assert snapshot() == before


def test_demo_taxes_cover_27_eu_countries_and_every_product_has_a_us_duty(demo):
    from shop import taxes
    from shop.models import TaxRate

    countries = set(TaxRate.objects.values_list("country", flat=True))
    assert len(countries) == 31  # the EU 27, the UK, Japan, Korea, Australia
    crafts = Product.objects.filter(group__in=[ProductGroup.TEXTILES, ProductGroup.HANDICRAFTS])
    assert set(crafts.values_list("tax_category", flat=True)) == {"standard"}
    table = taxes.rate_table(country="US", day=datetime.date(2026, 6, 1))
    assert [p.slug for p in Product.objects.all() if table.duty_rate(p.hs_code) is None] == []


def test_demo_products_carry_customs_data_and_rules_refuse_honey_to_australia(demo):
    from shop import destination_rules

    variants = list(Variant.objects.select_related("product"))
    assert [v.sku for v in variants if not v.product.customs_description] == []
    assert [v.sku for v in variants if not v.product.hs_code] == []
    assert [v.sku for v in variants if not 0 < (v.net_weight_grams or 0) <= v.weight_grams] == []
    honey, tet_box, ginseng, tea = (
        Variant.objects.select_related("product").get(sku=sku)
        for sku in ("MC-MO-250", "GIFT-TET", "NL-SAM-MO250", "TC-CHE-100")
    )
    refused = destination_rules.refused_lines([honey, tet_box, ginseng, tea], "AU")
    assert [(r.variant.sku, r.component.sku if r.component else None) for r in refused] == [
        ("MC-MO-250", None),
        ("GIFT-TET", "MC-MO-250"),
        ("NL-SAM-MO250", None),
    ]
    assert destination_rules.refused_lines([honey, tet_box, ginseng, tea], "DE") == []
    wine = Variant.objects.select_related("product").get(sku="PQ-SIM-750")
    assert [r.rule.hs_prefix for r in destination_rules.refused_lines([wine], "US")] == ["2206"]
